/**
 * Durable triggers on committed changes. A change's trigger evaluation is a `rules.fire` job
 * scheduled by the `ticketSaving` hook **in the change's own transaction**, so a process that
 * dies right after the commit leaves the job behind for any instance's scheduler. The ticket
 * keeps `meta.rulesEvaluatedSeq`, the last audit event whose triggers were evaluated; the job
 * evaluates the events after it and moves it forward in the same transaction as the rules'
 * decision, so two instances running the job (the committing one at once, a scheduler later)
 * fire each event's triggers exactly once: the second re-reads the ticket and finds nothing new.
 */
import type { Effect } from "../../../decision.js";
import type { TicketEvent } from "../../../domain/event.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { HookDecision } from "../../../ports/desk-plugin.js";
import type { RuleAction } from "../../../rules/rule-action.js";
import type { RuleFacts } from "../../../rules/rule-facts.js";
import type { Trigger, TriggerEventType } from "../../../rules/trigger.js";
import { decisionFor, evaluateEvents } from "./decide-triggers.js";
import { performPending } from "./perform-rule-actions.js";
import { triggerEventData, triggerEventsOf } from "./rule-events.js";
import { FIRE_JOB, type RulesRuntime } from "./rules-runtime.js";

/** Ticket meta key: seq of the last audit event whose triggers were evaluated. */
export const EVALUATED_SEQ = "rulesEvaluatedSeq";

function markerOf(ticket: Ticket, log: readonly TicketEvent[], now: Date): number {
  const stored = ticket.meta[EVALUATED_SEQ];
  if (typeof stored === "number") return stored;
  // A ticket from before the plugin: only the change being saved now counts.
  let seq = 0;
  for (const e of log) if (e.at.getTime() < now.getTime()) seq = Math.max(seq, e.seq);
  return seq;
}

/**
 * The `ticketSaving` part: schedules a `rules.fire` job when the change has events that raise
 * triggers (or is an SLA check, whose warnings the SLA engine writes in this same save), else
 * moves the marker past the change. A new ticket and a customer's message are evaluated by the
 * ingest's own hooks, so their saves only move the marker.
 *
 * @example
 * const decision = scheduleFire(before, ticket, log, now);
 */
export function scheduleFire(
  before: Ticket | null,
  ticket: Ticket,
  log: readonly TicketEvent[],
  now: Date,
): HookDecision | undefined {
  const last = log.at(-1)?.seq ?? 0;
  const marker = before === null ? last : markerOf(ticket, log, now);
  const fresh = log.filter((e) => e.seq > marker);
  const ingest =
    fresh.some((e) => e.type === "message.received") && fresh.every((e) => e.at.getTime() === now.getTime());
  const raises =
    !ingest &&
    ticket.status !== "closed" &&
    (triggerEventsOf(fresh).length > 0 || fresh.some((e) => e.type === "sla.checked"));
  if (raises) {
    const effects: Effect[] = [
      {
        type: "schedule",
        job: { key: `rules-fire:${ticket.id}:${last}`, type: FIRE_JOB, ticketId: ticket.id, runAt: now, payload: {} },
      },
    ];
    return ticket.meta[EVALUATED_SEQ] === marker
      ? { effects }
      : { ticket: { meta: { [EVALUATED_SEQ]: marker } }, effects };
  }
  return ticket.meta[EVALUATED_SEQ] === last ? undefined : { ticket: { meta: { [EVALUATED_SEQ]: last } } };
}

/** What firing needs from the plugin: its rules, the facts of a ticket, the depth cap. */
export interface FireDeps {
  runnable(): Promise<Trigger[]>;
  facts(ticket: Ticket, customer: Awaited<ReturnType<RulesRuntime["desk"]["getCustomer"]>>): RuleFacts;
  maxDepth: number;
  /** Actions held for the action plan's decision maker (chained rules do not see them done). */
  held?: (action: RuleAction, ticket: Ticket) => boolean;
}

/**
 * Evaluates the triggers of a ticket's committed events after its marker, in one transaction
 * with the marker's move (see the module comment), then performs what they queued. Returns the
 * ids of the rules that fired.
 *
 * @example
 * await fireCommitted(rt, deps, ticketId);
 */
export async function fireCommitted(rt: RulesRuntime, deps: FireDeps, ticketId: string): Promise<string[]> {
  await rt.ready;
  const rules = await deps.runnable();
  const log = await rt.desk.listEvents(ticketId);
  const current = await rt.desk.getTicket(ticketId);
  const customer = await rt.desk.getCustomer(current.customerId);
  const last = log.at(-1)?.seq ?? 0;
  let fired: string[] = [];
  await rt.desk.decide(
    ticketId,
    (ticket, now): HookDecision | undefined => {
      const marker = typeof ticket.meta[EVALUATED_SEQ] === "number" ? ticket.meta[EVALUATED_SEQ] : 0;
      if (marker >= last) return undefined; // evaluated by another instance
      const fresh = log.filter((e) => e.seq > marker);
      const raised: TriggerEventType[] = ticket.status === "closed" ? [] : triggerEventsOf(fresh);
      const move = { ticket: { meta: { [EVALUATED_SEQ]: last } } };
      if (raised.length === 0 || rules.length === 0) return move;
      const evaluation = evaluateEvents(
        rules,
        raised,
        { ...deps.facts(ticket, customer), eventData: triggerEventData(fresh) },
        now,
        deps.maxDepth,
        deps.held,
      );
      fired = evaluation.fired;
      const decision = decisionFor(ticket, evaluation, { immediate: false, now });
      return {
        ...decision,
        ticket: { ...decision?.ticket, meta: { ...decision?.ticket?.meta, [EVALUATED_SEQ]: last } },
      };
    },
    { kind: "system", id: "rules" },
  );
  return fired;
}

/**
 * Right after a commit on this instance: runs the ticket's due `rules.fire` jobs (then removes
 * them; a scheduler elsewhere finding one anyway fires nothing twice), then the queued actions.
 *
 * @example
 * await fireDue(rt, deps, ticketId);
 */
export async function fireDue(rt: RulesRuntime, deps: FireDeps, ticketId: string): Promise<void> {
  const now = rt.desk.clock.now();
  const jobs = (await rt.desk.store.listJobs({ ticketId })).filter((j) => j.type === FIRE_JOB && j.runAt <= now);
  if (jobs.length > 0) {
    await fireCommitted(rt, deps, ticketId);
    for (const job of jobs) await rt.desk.store.cancelJob(job.key);
  }
  await performPending(rt, ticketId);
}
