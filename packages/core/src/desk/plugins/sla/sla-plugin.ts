/**
 * The built-in SLA engine as a plugin: on every ticket write (`ticketSaving`) it re-evaluates the
 * SLA, records what fell due (fulfilled, warned, breached), applies escalations and re-times the
 * ticket's one SLA timer (`sla:<ticketId>`), whose job re-checks it.
 */
import type { Actor } from "../../../domain/event.js";
import { priorityRank } from "../../../domain/enums.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { Effect, EventDraft } from "../../../decision.js";
import type { DeskPlugin } from "../../../ports/desk-plugin.js";
import type { SlaPolicy } from "../../../sla/index.js";
import { calendarForTicket, type BusinessCalendar, type TeamCalendars } from "../../../calendar/index.js";
import { evaluateTicketSla, slaFoldCache, type CachedSlaFold } from "../../../sla/ticket-sla.js";
import { slaCheckJob } from "./sla-check-job.js";
import { isoString } from "../../../domain/iso-time.js";

/** Job type of the SLA timer (one per ticket, key `sla:<ticketId>`). */
export const SLA_JOB = "sla.check";
const SLA_ACTOR: Actor = { kind: "system", id: "sla" };

/** Options of {@link slaPlugin} (from `createDesk({ sla })`). */
export interface SlaPluginOptions {
  policies: SlaPolicy[];
  calendar: BusinessCalendar | null;
  /** Teams' own calendars (action plans' `serviceHours`); a ticket of such a team is timed on it. */
  teamCalendars?: TeamCalendars;
}

/**
 * The SLA decision for a ticket about to be saved: the ticket with its snapshot, the audit
 * events (by the SLA engine) and the effects (timer, notices to emit after commit).
 *
 * @example
 * const { ticket, events, effects } = decideSla(ticket, log, customer, options, now);
 * // `cache` (optional, see slaFoldCache): resume the ticket's fold from its last save.
 */
export function decideSla(
  ticket: Ticket,
  log: Parameters<typeof evaluateTicketSla>[1],
  customer: Parameters<typeof evaluateTicketSla>[2],
  options: SlaPluginOptions,
  now: Date,
  cache?: Map<string, CachedSlaFold>,
): { ticket: Ticket; events: EventDraft[]; effects: Effect[] } {
  const { evaluation, snapshot, slaDueAt } = evaluateTicketSla(
    ticket,
    log,
    customer,
    options.policies,
    options.calendar,
    now,
    cache,
  );
  const drafts: EventDraft[] = [];
  const effects: Effect[] = [];
  let next: Ticket = { ...ticket, sla: snapshot, slaDueAt };
  if (!ticket.sla && evaluation.policyId) {
    drafts.push({
      type: "sla.applied",
      data: { policyId: evaluation.policyId, dueAt: slaDueAt ? isoString(slaDueAt) : null },
    });
  }
  for (const e of evaluation.events) {
    if (e.type !== "warn" && e.type !== "breach" && e.type !== "fulfill") continue;
    const metric = e.metric ?? "unknown";
    const dueAt = evaluation.metrics.find((m) => m.metric === metric)?.dueAt ?? null;
    const type = e.type === "warn" ? "sla.warning" : e.type === "breach" ? "sla.breached" : "sla.fulfilled";
    drafts.push({ type, data: { metric, at: isoString(e.at), dueAt: dueAt ? isoString(dueAt) : null } });
    effects.push({ type: "emit", event: type, data: type === "sla.fulfilled" ? { metric } : { metric, dueAt } });
    if (e.type !== "warn" && e.type !== "breach") continue;
    for (const escalation of e.escalations ?? []) {
      if (escalation.raisePriority && priorityRank(escalation.raisePriority) > priorityRank(next.priority)) {
        drafts.push({
          type: "priority.changed",
          data: { from: next.priority, to: escalation.raisePriority, reason: `sla.${e.type}` },
        });
        next = { ...next, priority: escalation.raisePriority };
      }
      if (escalation.assignTeam && escalation.assignTeam !== next.team) {
        const data = {
          from: next.assigneeId,
          to: null,
          fromTeam: next.team,
          toTeam: escalation.assignTeam,
          reason: `sla.${e.type}`,
        };
        drafts.push({ type: "assigned", data });
        next = { ...next, team: escalation.assignTeam, assigneeId: null };
      }
      drafts.push({ type: "sla.escalated", data: { metric, ...escalation } });
      if (escalation.notify?.length)
        effects.push({ type: "emit", event: "sla.escalated", data: { metric, notify: escalation.notify } });
    }
  }
  const key = `sla:${ticket.id}`;
  effects.unshift(
    evaluation.nextDueAt && next.status !== "closed"
      ? { type: "schedule", job: { key, type: SLA_JOB, ticketId: ticket.id, runAt: evaluation.nextDueAt, payload: {} } }
      : { type: "cancel_job", key },
  );
  return { ticket: next, events: drafts.map((d) => ({ type: d.type, data: d.data, actor: SLA_ACTOR })), effects };
}

/**
 * The built-in SLA plugin (registered by default; `createDesk({ builtins: { sla: false } })`
 * turns it off, a `DeskPlugin` with id `sla` in `plugins` replaces it).
 *
 * @example
 * const plugin = slaPlugin({ policies: defaultSlaPolicies(), calendar: null });
 */
export function slaPlugin(options: SlaPluginOptions): DeskPlugin<"sla"> {
  // Each ticket's fold from its last save: a save folds only its new events (checked against the log).
  const folds = slaFoldCache();
  return {
    specVersion: 1,
    id: "sla",
    hooks: {
      ticketSaving: ({ ticket, log, customer, now }) => {
        // The ticket's team calendar (action plans' serviceHours), else the desk's.
        const calendar = options.teamCalendars
          ? calendarForTicket(options.teamCalendars, ticket, options.calendar)
          : options.calendar;
        const decided = decideSla(ticket, log, customer, { ...options, calendar }, now, folds);
        const { sla, slaDueAt, priority, team, assigneeId } = decided.ticket;
        return {
          ticket: { sla, slaDueAt, priority, team, assigneeId },
          events: decided.events,
          effects: decided.effects,
        };
      },
    },
    jobs: { [SLA_JOB]: slaCheckJob },
  };
}
