import type { TicketEvent } from "../domain/event.js";
import type { Ticket, SlaSnapshot } from "../domain/ticket.js";
import type { Customer } from "../domain/customer.js";
import { priorityRank, type Priority } from "../domain/enums.js";
import { cloneSlaFold, evaluateSlaFold, foldSlaEvent, forgetSlaBefore, slaFoldOf } from "./index.js";
import type { SlaEvent, SlaFold, SlaHistoryEvent, SlaPolicy, SlaEvaluation } from "./index.js";
import type { BusinessCalendar } from "../calendar/index.js";
import { isoString } from "../domain/iso-time.js";

/**
 * Turns a ticket's audit log (from index `from` on) into the SLA engine's history.
 *
 * @example
 * const history = slaHistory(await store.listEvents(ticket.id), customer);
 */
export function slaHistory(events: readonly TicketEvent[], customer: Customer | null, from = 0): SlaHistoryEvent[] {
  const history: SlaHistoryEvent[] = [];
  for (let i = from; i < events.length; i++) {
    const e = events[i]!;
    const d = e.data;
    switch (e.type) {
      case "ticket.created":
      case "ticket.follow_up_created":
        history.push({
          type: "created",
          at: e.at,
          status: d.status as never,
          priority: d.priority as never,
          category: d.category as never,
          channel: String(d.channel),
          tags: (d.tags as string[] | undefined) ?? [],
          customer: customer?.attributes ?? {},
        });
        break;
      case "status.changed":
        history.push({ type: "status", at: e.at, status: d.to as never });
        break;
      case "message.received":
        history.push({
          type: "message",
          at: e.at,
          direction: "inbound",
          authorKind: "customer",
          channel: String(d.channel),
          public: true,
        });
        break;
      case "reply.sent":
      case "ack.sent":
        history.push({
          type: "message",
          at: e.at,
          direction: "outbound",
          authorKind: (d.authorKind as never) ?? "agent",
          channel: String(d.channel),
          public: true,
          autoAck: e.type === "ack.sent" || d.automatic === true,
        });
        break;
      case "note.added":
        history.push({
          type: "message",
          at: e.at,
          direction: "note",
          authorKind: (d.authorKind as never) ?? "agent",
          channel: typeof d.channel === "string" ? d.channel : "",
          public: false,
        });
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

/**
 * A ticket's SLA fold as of an audit log prefix: the log's first `count` events were folded, the
 * last of them `lastId`; `attributes` the customer facts folded with its creation; valid for
 * evaluations whose window starts at or after `since` (what was forgotten).
 */
export interface CachedSlaFold {
  fold: SlaFold;
  count: number;
  lastId: string;
  lastSeq: number;
  attributes: string;
  policies: readonly SlaPolicy[];
  since: number;
  /** The snapshot's `evaluatedAt` this save wrote (`since` as ISO text): the next save need not parse it. */
  evaluatedAt: string;
}

/**
 * Folds per ticket kept between saves (by ticket id), so a save folds only its new events. A bounded
 * map, oldest dropped first; an entry that does not match the log (another process wrote, a
 * transaction rolled back) is ignored and the log folded again.
 *
 * @example
 * const cache = slaFoldCache();
 */
export function slaFoldCache(limit = 20_000): Map<string, CachedSlaFold> {
  const map = new Map<string, CachedSlaFold>();
  const set = map.set.bind(map);
  map.set = (key, value) => {
    map.delete(key); // re-inserted last: the map's order is the order of use
    set(key, value);
    if (map.size > limit) map.delete(map.keys().next().value!);
    return map;
  };
  return map;
}

/** The cached fold of this log folded on to its end, or null when it cannot be used. */
function resumedFold(
  cached: CachedSlaFold | undefined,
  events: readonly TicketEvent[],
  customer: Customer | null,
  attributes: string,
  policies: readonly SlaPolicy[],
  nowMs: number,
  sinceMs: number,
): SlaFold | null {
  if (
    cached === undefined ||
    cached.policies !== policies ||
    cached.attributes !== attributes ||
    sinceMs < cached.since
  )
    return null;
  const last = events[cached.count - 1];
  if (last === undefined || last.id !== cached.lastId || last.seq !== cached.lastSeq || cached.fold.lastAt > nowMs)
    return null;
  for (const e of slaHistory(events, customer, cached.count)) {
    if (!(e.at.getTime() <= nowMs) || !foldSlaEvent(cached.fold, e)) return null; // out of order: fold the log again
  }
  return cached.fold;
}

/**
 * Evaluates a ticket's SLA and the snapshot to store on it. With `cache`, the ticket's fold from
 * its last save is resumed with only the log's new events (linear in the ticket's history overall,
 * not quadratic); the answer is the same as folding the whole log.
 *
 * @example
 * const { snapshot, slaDueAt } = evaluateTicketSla(ticket, log, customer, policies, calendar, now, cache);
 */
export function evaluateTicketSla(
  ticket: Ticket,
  events: readonly TicketEvent[],
  customer: Customer | null,
  policies: SlaPolicy[],
  calendar: BusinessCalendar | null,
  now: Date,
  cache?: Map<string, CachedSlaFold>,
): { evaluation: SlaEvaluation; snapshot: SlaSnapshot; slaDueAt: Date | null } {
  const cached = cache?.get(ticket.id);
  const previousAt = ticket.sla?.evaluatedAt;
  const previous =
    previousAt === undefined
      ? undefined
      : { evaluatedAt: new Date(cached?.evaluatedAt === previousAt ? cached.since : previousAt) };
  const nowMs = now.getTime();
  const sinceMs = previous ? previous.evaluatedAt.getTime() : Number.NEGATIVE_INFINITY;
  const attrs = customer?.attributes ?? {};
  const attributes = cache ? JSON.stringify(attrs) : "";
  const fold =
    resumedFold(cached, events, customer, attributes, policies, nowMs, sinceMs) ??
    slaFoldOf(slaHistory(events, customer), policies, nowMs);
  let evaluation = evaluateSlaFold(fold, calendar, now, previous);
  // The desk raises the priority for escalations after this evaluation (a `priority.changed` at `now`). Evaluate again
  // with that change, so the snapshot and the next timer use the raised targets now rather than at the ticket's next
  // change; events the raise itself causes at `now` (an immediate breach) are reported too, as none will be later.
  // The raise is folded into a copy: the log gets the real `priority.changed` events, folded at the next save.
  let priority = ticket.priority;
  let raised: SlaFold | null = null;
  for (;;) {
    const next = escalatedPriority(evaluation.events, priority);
    if (next === priority) break;
    priority = next;
    raised ??= cloneSlaFold(fold);
    foldSlaEvent(raised, { type: "priority", at: now, priority });
    const again = evaluateSlaFold(raised, calendar, now, previous);
    const seen = new Set(evaluation.events.map(eventKey));
    evaluation = { ...again, events: [...evaluation.events, ...again.events.filter((e) => !seen.has(eventKey(e)))] };
  }
  const snapshotAt = isoString(now);
  if (cache && events.length > 0) {
    // The next evaluation's window starts at `now` (the snapshot's evaluatedAt): what ended before is forgotten.
    forgetSlaBefore(fold, nowMs);
    const last = events[events.length - 1]!;
    cache.set(ticket.id, {
      fold,
      count: events.length,
      lastId: last.id,
      lastSeq: last.seq,
      attributes,
      policies,
      since: nowMs,
      evaluatedAt: snapshotAt,
    });
  }
  const snapshot: SlaSnapshot = {
    policyId: evaluation.policyId,
    evaluatedAt: snapshotAt,
    metrics: evaluation.metrics.map((m) => ({
      metric: m.metric,
      status: m.status,
      dueAt: m.dueAt ? isoString(m.dueAt) : null,
      targetMinutes: m.targetMs === null || m.targetMs === undefined ? null : Math.round(m.targetMs / 60_000),
      businessTimeUsedMs: m.businessTimeUsedMs,
      breachedAt: m.breachedAt ? isoString(m.breachedAt) : null,
      fulfilledAt: m.fulfilledAt ? isoString(m.fulfilledAt) : null,
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
      if (escalation.raisePriority && priorityRank(escalation.raisePriority) > priorityRank(priority))
        priority = escalation.raisePriority;
    }
  }
  return priority;
}

function eventKey(e: SlaEvent): string {
  return `${e.type}|${e.metric ?? ""}|${e.cycle ?? 0}|${e.at.getTime()}`;
}
