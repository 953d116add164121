/**
 * The reply box's files, for the inbox script (plain browser JavaScript, spliced into its closure
 * like callback-script.ts; uses its `h`, `$` and `L`). A file picker (several files at once) with
 * the picked files shown as removable chips, name and size, before sending; the limits and
 * whether the ticket's channel takes files at all come from the API (`files` of
 * `GET /api/tickets/:id`), and a picker the channel cannot use is disabled with the reason. Picked
 * files belong to their ticket and survive the live refresh, like the draft text. At send time
 * they are read as base64 for the reply's `attachments: [{ filename, contentType, data }]`.
 */
export const filesScript = String.raw`
  let picked = { ticketId: null, files: [] };
  const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  function fileSize(bytes) {
    const short = (n) => (Math.round(n * 10) / 10).toString();
    return bytes < 1024 ? bytes + " B" : bytes < 1048576 ? short(bytes / 1024) + " KB" : short(bytes / 1048576) + " MB";
  }
  function mimeOf(file) {
    const type = (file.type || "").split(";")[0].trim().toLowerCase();
    return /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : "application/octet-stream";
  }
  function readBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => { const url = String(reader.result); resolve(url.slice(url.indexOf(",") + 1)); };
      reader.onerror = () => reject(reader.error || new Error(file.name));
      reader.readAsDataURL(file);
    });
  }
  function renderChips() {
    const list = $("#reply-files");
    if (!list) return;
    list.replaceChildren(...picked.files.map((f) => h("li", { class: "chip", "data-file": f.name },
      h("span", {}, f.name), h("small", {}, fileSize(f.size)),
      h("button", { type: "button", "aria-label": L.removeFile + ": " + f.name, onclick: () => { picked.files = picked.files.filter((x) => x !== f); renderChips(); } }, "×"))));
  }
  // An attachment in the thread: images inline, other files as a download link with name and size.
  function attachmentView(a) {
    const name = a.filename || a.contentType;
    const size = a.size != null ? " · " + fileSize(a.size) : "";
    const safe = a.url && /^(data:|https?:)/i.test(a.url);
    if (safe && a.contentType.startsWith("image/"))
      return h("figure", { class: "att", "data-attachment": name }, h("img", { class: "att", src: a.url, alt: a.filename || "" }), h("figcaption", {}, name + size));
    if (safe) return h("a", { class: "att-file", href: a.url, download: a.filename || "file", "data-attachment": name }, "📎 " + name + size);
    return h("small", { "data-attachment": name }, "[" + name + "]");
  }
  // The picker of one ticket with the API's files state: take() empties it for a send, restore() puts the files back.
  function filePicker(id, state) {
    if (picked.ticketId !== id) picked = { ticketId: id, files: [] };
    const problem = h("p", { id: "files-problem", class: "files-problem", role: "alert" });
    const input = h("input", { type: "file", id: "reply-file", multiple: true, disabled: !state.accepted, "aria-describedby": "files-state", onchange: () => {
      const problems = [];
      for (const f of [...input.files]) {
        const total = picked.files.reduce((n, x) => n + x.size, 0);
        if (picked.files.length >= state.maxFiles) { problems.push(fill(L.tooManyFiles, { count: state.maxFiles })); break; }
        if (f.size === 0) problems.push(fill(L.emptyFile, { name: f.name }));
        else if (f.size > state.maxFileBytes) problems.push(fill(L.fileTooLarge, { name: f.name, size: fileSize(state.maxFileBytes) }));
        else if (total + f.size > state.maxTotalBytes) problems.push(fill(L.filesTooLarge, { size: fileSize(state.maxTotalBytes) }));
        else picked.files.push(f);
      }
      input.value = "";
      problem.textContent = problems.join(" · ");
      renderChips();
    } });
    const why = state.accepted
      ? h("small", { id: "files-state" }, fill(L.filesLimit, { count: state.maxFiles, size: fileSize(state.maxFileBytes) }))
      : h("small", { id: "files-state", class: "files-off", "data-reason": state.reason }, L.filesOff[state.reason] || L.filesOff.channel_no_files);
    const nodes = [h("div", { class: "row files" }, h("label", {}, L.attach, input), why), h("ul", { class: "chips", id: "reply-files", "aria-label": L.attached }), problem];
    return {
      nodes,
      count: () => picked.files.length,
      take: () => { const files = picked.files; picked = { ticketId: id, files: [] }; renderChips(); return files; },
      restore: (files) => { if (picked.ticketId === id) { picked.files = files.concat(picked.files); renderChips(); } },
    };
  }
  async function attachmentsOf(files) {
    return Promise.all(files.map(async (f) => ({ filename: f.name, contentType: mimeOf(f), data: await readBase64(f) })));
  }
`;
