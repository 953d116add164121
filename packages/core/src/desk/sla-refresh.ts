/** The SLA engine's part in every ticket change: re-evaluate, audit, escalate, re-time. */
import type { Customer } from "../domain/customer.js";
import { priorityRank } from "../domain/enums.js";
import type { TicketEvent } from "../domain/event.js";
import type { Ticket } from "../domain/ticket.js";
import type { EventDraft } from "../decision.js";
import type { StoreOps } from "../ports/store.js";
import { buildEvents } from "./audit-log.js";
import type { DeskContext } from "./context.js";
import { evaluateTicketSla } from "./sla-bridge.js";

/** Job type of the SLA timer (one per ticket, key `sla:<ticketId>`). */
export const SLA_JOB = "sla.check";

/** An SLA happening to emit after commit. */
export type SlaNotice = {
  type: "sla.warning" | "sla.breached" | "sla.fulfilled" | "sla.escalated";
  metric: string;
  dueAt: Date | null;
  notify?: string[];
};

/**
 * Recomputes the ticket's SLA from its audit log, numbers SLA audit events for what happened
 * since the last evaluation (fulfilled, warned, breached), applies escalations and
 * (re)schedules the next SLA check. Returns the ticket, the notices to emit after commit and
 * the events (numbered, for the caller to write with its own).
 *
 * @example
 * const { ticket, notices, events } = await refreshSla(ctx, tx, ticket, now, log, customer);
 */
export async function refreshSla(
  ctx: DeskContext, tx: StoreOps, ticket: Ticket, now: Date, log?: TicketEvent[], knownCustomer?: Customer,
): Promise<{ ticket: Ticket; notices: SlaNotice[]; events: TicketEvent[] }> {
  const { slaPolicies, calendar } = ctx.settings;
  const events = log ?? (await tx.listEvents(ticket.id));
  const customer = knownCustomer?.id === ticket.customerId ? knownCustomer : await tx.getCustomer(ticket.customerId);
  const { evaluation, snapshot, slaDueAt } = evaluateTicketSla(ticket, events, customer, slaPolicies, calendar, now);
  const notices: SlaNotice[] = [];
  const drafts: EventDraft[] = [];
  let next: Ticket = { ...ticket, sla: snapshot, slaDueAt };
  if (!ticket.sla && evaluation.policyId) {
    drafts.push({ type: "sla.applied", data: { policyId: evaluation.policyId, dueAt: slaDueAt?.toISOString() ?? null } });
  }
  for (const e of evaluation.events) {
    if (e.type !== "warn" && e.type !== "breach" && e.type !== "fulfill") continue;
    const metric = e.metric ?? "unknown";
    const dueAt = evaluation.metrics.find((m) => m.metric === metric)?.dueAt ?? null;
    const type = e.type === "warn" ? "sla.warning" : e.type === "breach" ? "sla.breached" : "sla.fulfilled";
    drafts.push({ type, data: { metric, at: e.at.toISOString(), dueAt: dueAt?.toISOString() ?? null } });
    notices.push({ type, metric, dueAt });
    if (e.type !== "warn" && e.type !== "breach") continue;
    for (const escalation of e.escalations ?? []) {
      if (escalation.raisePriority && priorityRank(escalation.raisePriority) > priorityRank(next.priority)) {
        drafts.push({ type: "priority.changed", data: { from: next.priority, to: escalation.raisePriority, reason: `sla.${e.type}` } });
        next = { ...next, priority: escalation.raisePriority };
      }
      if (escalation.assignTeam && escalation.assignTeam !== next.team) {
        const data = { from: next.assigneeId, to: null, fromTeam: next.team, toTeam: escalation.assignTeam, reason: `sla.${e.type}` };
        drafts.push({ type: "assigned", data });
        next = { ...next, team: escalation.assignTeam, assigneeId: null };
      }
      drafts.push({ type: "sla.escalated", data: { metric, ...escalation } });
      if (escalation.notify?.length) notices.push({ type: "sla.escalated", metric, dueAt, notify: escalation.notify });
    }
  }
  // Numbered now, written by the caller together with the change's own events (one round trip).
  const written = buildEvents(ctx, ticket.id, drafts, { kind: "system", id: "sla" }, now, events);
  const key = `sla:${ticket.id}`;
  if (evaluation.nextDueAt && next.status !== "closed") {
    await tx.scheduleJob({
      id: ctx.newId(), key, type: SLA_JOB, ticketId: ticket.id, runAt: evaluation.nextDueAt, payload: {},
      attempts: 0, lockedBy: null, lockedUntil: null,
    });
  } else {
    await tx.cancelJob(key);
  }
  return { ticket: next, notices, events: written };
}

/**
 * Emits the SLA notices of a committed change.
 *
 * @example
 * emitSlaNotices(ctx, saved.ticket, saved.notices);
 */
export function emitSlaNotices(ctx: DeskContext, ticket: Ticket, notices: SlaNotice[]): void {
  for (const n of notices) {
    if (n.type === "sla.fulfilled") ctx.emitter.emit("sla.fulfilled", { ticket, metric: n.metric });
    else if (n.type === "sla.escalated") ctx.emitter.emit("sla.escalated", { ticket, metric: n.metric, notify: n.notify ?? [] });
    else ctx.emitter.emit(n.type, { ticket, metric: n.metric, dueAt: n.dueAt });
  }
}
