/**
 * The inbox script's call-back part (plain browser JavaScript, spliced into inbox-script.ts's
 * closure: it uses its `h`, `call`, `flash`, `L`, `current` and `openTicket`, and time-script.ts's
 * shop-zone clock): the queue above the ticket list, the call-back panel and the SLA line of a ticket.
 */
export const callbackScript = String.raw`
  // A live refresh redraws the queue: a time the agent is typing survives it (ticket id → value).
  const timeDrafts = new Map();
  const timeInput = (id, dueAt) => h("input", { type: "datetime-local", "aria-label": L.rescheduleAt + " (" + zoneLabel(dueAt) + ")", value: timeDrafts.get(id) || wallTime(dueAt), oninput: (ev) => timeDrafts.set(id, ev.target.value) });
  // The input's zone in sight next to it: the shop's, which need not be the laptop's.
  const zoneNote = (dueAt) => h("small", { class: "zone" }, zoneLabel(dueAt));

  // One call-back change. Its buttons stay disabled until the answer, so a second click logs no second call.
  async function callbackAct(id, path, body, buttons, target) {
    const before = buttons.map((b) => b.disabled);
    for (const b of buttons) b.disabled = true;
    try {
      await call("POST", "/tickets/" + id + "/callback/" + path, body);
      timeDrafts.delete(id);
      await loadCallbacks();
      if (current === id) await openTicket(id);
    } catch (e) {
      flash(target, e.message);
      buttons.forEach((b, i) => { b.disabled = before[i]; });
    }
  }
  function rescheduleBody(input) { const at = input.value ? fromWallTime(input.value) : null; return at ? { at } : null; }

  async function loadCallbacks() {
    const { data } = await call("GET", "/callbacks");
    const list = $("#callbacks");
    if (!data.callbacks.length) { list.replaceChildren(h("li", { class: "empty" }, L.noCallbacks)); return; }
    list.replaceChildren(...data.callbacks.map((cb) => {
      const result = h("div", { "aria-live": "polite" });
      const at = timeInput(cb.ticketId, cb.dueAt);
      const buttons = [];
      const log = (outcome) => h("button", { type: "button", "data-outcome": outcome, onclick: () => void callbackAct(cb.ticketId, "log", { outcome }, buttons, result) }, L.outcomes[outcome]);
      buttons.push(log("reached"), log("no_answer"), h("button", { type: "button", "data-action": "reschedule", onclick: () => {
        const body = rescheduleBody(at);
        if (body) void callbackAct(cb.ticketId, "reschedule", body, buttons, result); else at.focus();
      } }, L.reschedule));
      return h("li", { class: cb.due ? "due" : "", "data-ticket": cb.ticketId, "data-state": cb.status },
        h("button", { type: "button", class: "open", onclick: () => void openTicket(cb.ticketId) }, h("strong", {}, "SD-" + cb.ticketNumber + " "), cb.customerName || "—"),
        h("div", {}, h("span", { class: "number" }, cb.displayNumber), " · " + (L.sources[cb.source] || cb.source)),
        h("div", {}, cb.due ? h("span", { class: "badge due-now" }, L.callNow) : null,
          h("span", { class: "badge", "data-due": cb.dueAt }, L.dueAt + " " + when(cb.dueAt)),
          h("span", { class: "badge", "data-attempts": cb.attempts }, L.attempts + " " + cb.attempts + "/" + data.maxAttempts),
          h("span", { class: "badge" }, L.callbackStates[cb.status] || cb.status),
          cb.lastOutcome ? h("span", { class: "badge" }, L.lastOutcome + ": " + (L.outcomes[cb.lastOutcome] || cb.lastOutcome)) : null),
        h("div", { class: "row" }, buttons[0], buttons[1], at, zoneNote(cb.dueAt), buttons[2]), result);
    }));
  }

  function callbackPanel(id, cb) {
    if (!cb) return [];
    const result = h("div", { id: "callback-result", "aria-live": "polite" });
    const outcome = h("select", { "aria-label": L.outcome }, ...Object.entries(L.outcomes).map(([v, l]) => h("option", { value: v }, l)));
    const duration = h("input", { type: "number", min: "0", "aria-label": L.duration });
    const notes = h("input", { "aria-label": L.noteLabel });
    const at = timeInput(id, cb.dueAt);
    const reason = h("input", { "aria-label": L.reason });
    const buttons = [
      h("button", { type: "button", id: "log-call", disabled: !cb.open, onclick: () => void callbackAct(id, "log", {
        outcome: outcome.value, ...(duration.value ? { durationSeconds: Number(duration.value) } : {}), ...(notes.value.trim() ? { notes: notes.value } : {}),
      }, buttons, result) }, L.logCall),
      h("button", { type: "button", id: "reschedule-call", onclick: () => {
        const body = rescheduleBody(at);
        if (body) void callbackAct(id, "reschedule", body, buttons, result); else at.focus();
      } }, L.reschedule),
      h("button", { type: "button", id: "cancel-callback", disabled: !cb.open, onclick: () => {
        if (reason.value.trim()) void callbackAct(id, "cancel", { reason: reason.value }, buttons, result); else reason.focus();
      } }, L.cancelCallback),
    ];
    const facts = [L.sources[cb.source] || cb.source, L.attempts + " " + cb.attempts];
    if (cb.dueAt) facts.push(L.dueAt + " " + when(cb.dueAt));
    if (cb.lastOutcome) facts.push(L.lastOutcome + ": " + (L.outcomes[cb.lastOutcome] || cb.lastOutcome));
    return [
      h("h3", {}, L.callback + " · " + (L.callbackStates[cb.status] || cb.status)),
      h("p", { id: "callback-state", "data-state": cb.status }, h("strong", {}, cb.displayNumber), " · " + facts.join(" · ")),
      h("div", { class: "row", id: "callback-panel" }, h("label", {}, L.outcome, outcome), h("label", {}, L.duration, duration), h("label", {}, L.noteLabel, notes), buttons[0]),
      h("div", { class: "row" }, h("label", {}, L.rescheduleAt, at), zoneNote(cb.dueAt), buttons[1], h("label", {}, L.reason, reason), buttons[2]),
      result,
    ];
  }

  function slaLine(t) {
    // Stopped clocks (a metric the policy does not use now) say nothing to the agent.
    const metrics = ((t.sla && t.sla.metrics) || []).filter((m) => m.status !== "inactive");
    if (!metrics.length) return null;
    return h("p", { id: "sla-state" }, L.sla + " ", ...metrics.map((m) => h("span", {
      class: "badge" + (m.status === "breached" ? " sla-breached" : m.status === "fulfilled" ? " sla-ok" : ""), "data-metric": m.metric, "data-status": m.status,
    }, (L.slaMetrics[m.metric] || m.metric) + ": " + (L.slaStatuses[m.status] || m.status)
      // A running clock says when it breaches; the other states' deadlines are history or hypothetical.
      + (m.status === "active" && m.dueAt ? " · " + L.slaDue + " " + when(m.dueAt) : ""))));
  }
`;
