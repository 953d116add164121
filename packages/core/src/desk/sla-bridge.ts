import type { TicketEvent } from "../domain/event.js";
import type { Ticket, SlaSnapshot } from "../domain/ticket.js";
import type { Customer } from "../domain/customer.js";
import { priorityRank, type Priority } from "../domain/enums.js";
import { evaluateSla, type SlaEvent, type SlaHistoryEvent, type SlaPolicy, type SlaEvaluation } from "../sla/index.js";
import type { BusinessCalendar } from "../calendar/index.js";

/** Turns a ticket's audit log into the SLA engine's history. */
export function slaHistory(events: TicketEvent[], customer: Customer | null): SlaHistoryEvent[] {
  const history: SlaHistoryEvent[] = [];
  for (const e of events) {
    const d = e.data;
    switch (e.type) {
      case "ticket.created":
      case "ticket.follow_up_created":
        history.push({
          type: "created", at: e.at, status: d.status as never, priority: d.priority as never, category: d.category as never,
          channel: String(d.channel), tags: (d.tags as string[] | undefined) ?? [], customer: customer?.attributes ?? {},
        });
        break;
      case "status.changed":
        history.push({ type: "status", at: e.at, status: d.to as never });
        break;
      case "message.received":
        history.push({ type: "message", at: e.at, direction: "inbound", authorKind: "customer", channel: String(d.channel), public: true });
        break;
      case "reply.sent":
      case "ack.sent":
        history.push({
          type: "message", at: e.at, direction: "outbound", authorKind: (d.authorKind as never) ?? "agent", channel: String(d.channel),
          public: true, autoAck: e.type === "ack.sent" || d.automatic === true,
        });
        break;
      case "note.added":
        history.push({ type: "message", at: e.at, direction: "note", authorKind: (d.authorKind as never) ?? "agent", channel: typeof d.channel === "string" ? d.channel : "", public: false });
        break;
      case "priority.changed":
        history.push({ type: "priority", at: e.at, priority: d.to as never });
        break;
      case "category.changed":
        history.push({ type: "fields", at: e.at, category: d.to as never });
        break;
      case "tags.changed":
        history.push({ type: "fields", at: e.at, tags: d.to as string[] });
        break;
    }
  }
  return history;
}

/** Evaluates a ticket's SLA and the snapshot to store on it. */
export function evaluateTicketSla(
  ticket: Ticket,
  events: TicketEvent[],
  customer: Customer | null,
  policies: SlaPolicy[],
  calendar: BusinessCalendar | null,
  now: Date,
): { evaluation: SlaEvaluation; snapshot: SlaSnapshot; slaDueAt: Date | null } {
  const previous = ticket.sla ? { evaluatedAt: new Date(ticket.sla.evaluatedAt) } : undefined;
  const history = slaHistory(events, customer);
  let evaluation = evaluateSla(history, policies, calendar, now, previous);
  // The desk raises the priority for escalations after this evaluation (a `priority.changed` at `now`). Evaluate again
  // with that change, so the snapshot and the next timer use the raised targets now rather than at the ticket's next
  // change; events the raise itself causes at `now` (an immediate breach) are reported too, as none will be later.
  let priority = ticket.priority;
  for (;;) {
    const raised = escalatedPriority(evaluation.events, priority);
    if (raised === priority) break;
    priority = raised;
    history.push({ type: "priority", at: now, priority });
    const again = evaluateSla(history, policies, calendar, now, previous);
    const seen = new Set(evaluation.events.map(eventKey));
    evaluation = { ...again, events: [...evaluation.events, ...again.events.filter((e) => !seen.has(eventKey(e)))] };
  }
  const snapshot: SlaSnapshot = {
    policyId: evaluation.policyId,
    evaluatedAt: now.toISOString(),
    metrics: evaluation.metrics.map((m) => ({
      metric: m.metric,
      status: m.status,
      dueAt: m.dueAt ? m.dueAt.toISOString() : null,
      targetMinutes: m.targetMs === null || m.targetMs === undefined ? null : Math.round(m.targetMs / 60_000),
      businessTimeUsedMs: m.businessTimeUsedMs,
      breachedAt: m.breachedAt ? m.breachedAt.toISOString() : null,
      fulfilledAt: m.fulfilledAt ? m.fulfilledAt.toISOString() : null,
    })),
  };
  const dueTimes = evaluation.metrics.filter((m) => m.status === "active" && m.dueAt).map((m) => m.dueAt!.getTime());
  const slaDueAt = dueTimes.length > 0 ? new Date(Math.min(...dueTimes)) : null;
  return { evaluation, snapshot, slaDueAt };
}

/** The priority after the escalations of these warnings and breaches: raised, never lowered (as the desk applies them). */
function escalatedPriority(events: readonly SlaEvent[], from: Priority): Priority {
  let priority = from;
  for (const e of events) {
    if (e.type !== "warn" && e.type !== "breach") continue;
    for (const escalation of e.escalations ?? []) {
      if (escalation.raisePriority && priorityRank(escalation.raisePriority) > priorityRank(priority)) priority = escalation.raisePriority;
    }
  }
  return priority;
}

function eventKey(e: SlaEvent): string {
  return `${e.type}|${e.metric ?? ""}|${e.cycle ?? 0}|${e.at.getTime()}`;
}
