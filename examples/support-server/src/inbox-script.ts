/**
 * The inbox page's client script (plain browser JavaScript, ~200 lines, no framework): fills the
 * server-rendered regions from the agent API, sends the CSRF token on every change, and refreshes
 * on the API's SSE feed. Kept as a string so the page ships it inline with no build step. The
 * shop-zone clock (time-script.ts), the call-back queue and panel (callback-script.ts) and the
 * reply box's files (files-script.ts) are spliced into the same closure.
 */
import { callbackScript } from "./callback-script.js";
import { filesScript } from "./files-script.js";
import { timeScript } from "./time-script.js";

export const inboxScript = String.raw`
(() => {
  const L = window.INBOX_LABELS;
  let csrf = null, me = null, current = null, typingTimer = null;
  const $ = (s) => document.querySelector(s);
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else if (v !== false && v != null) el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid != null) el.append(kid.nodeType ? kid : String(kid));
    return el;
  };
  async function call(method, path, body) {
    const res = await fetch("/api" + path, { method, headers: { "content-type": "application/json", ...(csrf ? { "x-csrf-token": csrf } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const data = await res.json().catch(() => ({}));
    if (!res.ok && res.status !== 202) throw Object.assign(new Error(data.error ? data.error.message : res.statusText), { status: res.status, data });
    return { status: res.status, data };
  }
  function flash(target, text, ok) { target.replaceChildren(h("p", { class: "notice" + (ok ? " ok" : ""), role: "status" }, text)); }
${timeScript}
${callbackScript}
${filesScript}

  async function boot() {
    try {
      const { data } = await call("GET", "/me");
      csrf = data.csrfToken; me = data.agent;
      $("#app").hidden = false; $("#login").hidden = true;
      $("#who").textContent = me.name + " (" + me.role + ")";
      await loadList();
      await loadCallbacks();
      live();
    } catch (e) {
      $("#login").hidden = false; $("#app").hidden = true;
      $("#login input").focus();
    }
  }
  $("#login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    try { await call("POST", "/login", { email: f.get("email"), password: f.get("password") }); await boot(); }
    catch (e) { $("#login-error").textContent = e.message; }
  });
  $("#logout").addEventListener("click", async () => { await call("POST", "/logout"); location.reload(); });
  $("#filters").addEventListener("change", () => void loadList());

  async function loadList() {
    const q = new URLSearchParams([...new FormData($("#filters"))].filter(([, v]) => v));
    const { data } = await call("GET", "/tickets?" + q.toString());
    $("#tickets").replaceChildren(...data.tickets.map((t) => h("li", {}, h("button", {
      type: "button", "aria-current": current === t.id ? "true" : "false", "data-ticket": t.id, onclick: () => void openTicket(t.id),
    }, h("strong", {}, "SD-" + t.number + " "), t.subject || "", h("br"),
      h("span", { class: "badge" }, t.channel), h("span", { class: "badge" }, L.statuses[t.status] || t.status),
      h("span", { class: "badge" }, t.category), t.slaState !== "none" ? h("span", { class: "badge sla-" + t.slaState }, t.slaState === "breached" ? L.breached : t.slaState === "due" ? L.due : "SLA") : null,
      " " + (t.customerName || "")))));
  }

  function messageView(m) {
    const cls = "msg " + m.direction;
    const who = m.direction === "inbound" ? L.customer : m.direction === "note" ? L.internal : (m.authorKind === "agent" ? L.agentLabel : L.bot);
    return h("div", { class: cls, "data-direction": m.direction },
      h("small", {}, who + " · " + m.channel + " · ", h("time", { datetime: m.createdAt }, when(m.createdAt))),
      m.text, ...m.attachments.map(attachmentView),
      m.meta && m.meta.deliveredBy === "email" ? h("small", {}, L.byEmail + " " + m.meta.emailTo) : null);
  }

  async function openTicket(id) {
    const same = current === id;
    current = id;
    const { data } = await call("GET", "/tickets/" + id);
    const t = data.ticket;
    for (const b of document.querySelectorAll("#tickets button")) b.setAttribute("aria-current", b.dataset.ticket === id ? "true" : "false");
    const result = h("div", { "aria-live": "polite" });
    const reply = h("textarea", { id: "reply-text", "aria-label": L.replyLabel, oninput: () => { clearTimeout(typingTimer); typingTimer = setTimeout(() => void call("POST", "/tickets/" + id + "/typing").catch(() => {}), 200); } });
    const templates = (await call("GET", "/templates")).data.templates;
    const tplSelect = h("select", { "aria-label": L.template, onchange: async (ev) => {
      if (!ev.target.value) return;
      const r = await call("POST", "/tickets/" + id + "/render/" + ev.target.value);
      reply.value = r.data.body;
    } }, h("option", { value: "" }, L.noTemplate), ...templates.map((x) => h("option", { value: x.id }, x.name)));
    const notices = [];
    if (data.replyWindow.kind === "template_only") notices.push(h("p", { class: "notice", id: "window-state" }, data.replyWindow.reason === "phone_no_text" ? L.phoneNoText : L.windowClosed));
    else notices.push(h("p", { class: "notice ok", id: "window-state" }, L.windowOpen));
    if (data.visitorOnline === false && t.channel === "webchat") notices.push(h("p", { class: "notice" }, L.visitorOffline));
    const agents = (await call("GET", "/agents")).data.agents;
    const statusSel = h("select", { "aria-label": L.status }, ...Object.entries(L.statuses).map(([v, l]) => h("option", { value: v, selected: v === t.status }, l)));
    const assignSel = h("select", { "aria-label": L.assign }, h("option", { value: "" }, L.none), ...agents.map((a) => h("option", { value: a.id, selected: a.id === t.assigneeId }, a.name)));
    const tags = h("input", { "aria-label": L.tags, value: t.tags.join(", ") });
    const act = async (path, body, okText) => {
      try { const r = await call("POST", "/tickets/" + id + path, body); flash(result, okText || (r.status === 202 ? L.pending : L.done), r.status !== 202); if (r.status !== 202) await openTicket(id); return r; }
      catch (e) { flash(result, e.message); }
    };
    const steps = Object.entries(L.steps).map(([type, label]) => h("button", { type: "button", onclick: () => void act("/complaint", { type, summary: "from the inbox", resolution: "from the inbox", satisfied: true }) }, label));
    const amount = h("input", { type: "number", "aria-label": L.amount, value: "39000", min: "1" });
    const orderId = h("input", { "aria-label": L.order, value: (data.commerce && data.commerce.recentOrders[0] && data.commerce.recentOrders[0].id) || "" });
    const refundResult = h("div", { id: "refund-result", "aria-live": "polite" });
    // A live refresh must not eat what the agent is typing: read the draft at the last moment.
    const draft = same && $("#reply-text") ? $("#reply-text").value : "";
    const hadFocus = document.activeElement && document.activeElement.id === "reply-text";
    const files = filePicker(id, data.files);
    // A refused reply keeps what the agent wrote and picked.
    const sendReply = async () => {
      const text = reply.value;
      if (!text.trim() && files.count() === 0) return;
      const picks = files.take();
      reply.value = "";
      let attachments;
      try { attachments = await attachmentsOf(picks); }
      catch (e) { files.restore(picks); reply.value = text; flash(result, e.message); return; }
      const r = await act("/reply", attachments.length > 0 ? { text, attachments } : { text });
      if (!r) { files.restore(picks); if (!reply.value) reply.value = text; }
    };
    $("#view").replaceChildren(
      h("h2", { id: "view-title" }, "SD-" + t.number + " " + (t.subject || "")),
      h("div", { class: "row" }, h("label", {}, L.status, statusSel), h("button", { type: "button", onclick: () => void act("/status", { status: statusSel.value }) }, L.save),
        h("label", {}, L.assign, assignSel), h("button", { type: "button", onclick: () => void act("/assign", { agentId: assignSel.value || null }) }, L.assign),
        h("label", {}, L.tags, tags), h("button", { type: "button", onclick: () => void act("/tags", { tags: tags.value.split(",").map((x) => x.trim()).filter(Boolean) }) }, L.save)),
      slaLine(t),
      h("h3", {}, L.conversation), h("div", { id: "conversation" }, ...data.conversation.map(messageView)), h("p", { id: "visitor-typing", "aria-live": "polite" }),
      ...callbackPanel(id, data.callback),
      ...notices,
      h("div", { class: "row" }, h("label", {}, L.template, tplSelect)), reply, ...files.nodes,
      h("div", { class: "row" },
        h("button", { class: "primary", type: "button", id: "send-reply", onclick: () => void sendReply() }, L.reply),
        h("button", { type: "button", id: "add-note", onclick: async () => { if (reply.value.trim()) { const text = reply.value; reply.value = ""; await act("/note", { text }); } } }, L.note)),
      result,
      h("h3", {}, L.complaint + (t.complaint ? " · " + t.complaint.step : "")), h("div", { class: "row" }, ...steps),
      h("h3", {}, L.refund), h("div", { class: "row" }, h("label", {}, L.order, orderId), h("label", {}, L.amount, amount),
        h("button", { type: "button", id: "refund", onclick: async () => {
          try { const r = await call("POST", "/tickets/" + id + "/refund", { orderId: orderId.value, amount: Number(amount.value), reason: "inbox" }); flash(refundResult, r.status === 202 ? L.pending + " → " + r.data.approverRole : L.done, r.status !== 202); }
          catch (e) { flash(refundResult, e.message); }
        } }, L.refund)), refundResult,
    );
    const c = data.customer || { identities: [] };
    const orders = (data.commerce && data.commerce.recentOrders) || [];
    $("#side").replaceChildren(h("h2", { id: "customer-title" }, L.customer), h("p", {}, h("strong", {}, c.name || "—")),
      h("ul", {}, ...c.identities.map((i) => h("li", {}, i.kind + ": " + i.value))),
      h("h3", {}, L.orders), h("ul", {}, ...orders.map((o) => h("li", {}, o.name + " · " + (o.fulfillmentStatus || "") + " · " + o.total + " " + o.currency))));
    reply.value = draft;
    renderChips();
    if (hadFocus) reply.focus();
    void call("POST", "/tickets/" + id + "/read").catch(() => {});
  }

  function live() {
    const es = new EventSource("/api/events");
    let pending = null;
    es.addEventListener("change", (ev) => {
      const change = JSON.parse(ev.data);
      if (change.type === "visitor" && change.kind === undefined && change.typing) { const p = $("#visitor-typing"); if (p) { p.textContent = L.typing; setTimeout(() => { p.textContent = ""; }, 3000); } return; }
      clearTimeout(pending);
      pending = setTimeout(() => { void loadList(); void loadCallbacks(); if (current && change.ticketId === current) void openTicket(current); }, 50);
    });
  }
  void boot();
})();
`;
