/**
 * One small pure function per report metric, over {@link TicketFacts}. {@link computeReport}
 * calls them all; each can be used alone.
 */
import type { BusinessCalendar } from "../calendar/business-calendar.js";
import { businessTimeBetween } from "../calendar/business-time-between.js";
import { durationStats, type DurationStats } from "./duration-stats.js";
import { localHourWeekday } from "./local-hour-weekday.js";
import type { TicketFacts } from "./ticket-facts.js";

/** How durations are measured: wall-clock, or open time of a business calendar. */
export interface DurationOptions {
  calendar?: BusinessCalendar | null;
  bucketsMs?: readonly number[];
}

/** A count out of a total, with the rate (null when the total is 0). */
export interface Rate {
  count: number;
  total: number;
  rate: number | null;
}

function rate(count: number, total: number): Rate {
  return { count, total, rate: total > 0 ? count / total : null };
}

/**
 * Milliseconds from `a` to `b`, in wall-clock time or in a calendar's open time.
 *
 * @example
 * between(start, end, null); // end - start
 */
export function between(a: number, b: number, calendar: BusinessCalendar | null | undefined): number {
  return calendar ? businessTimeBetween(new Date(a), new Date(b), calendar) : b - a;
}

/**
 * Where the first reply time starts: at a bot's hand-off when the bot handed the ticket over
 * before the first human reply (bot time is not the agents'), else at creation.
 *
 * @example
 * firstReplyStart(facts); // epoch ms
 */
export function firstReplyStart(f: TicketFacts): number {
  return f.handoffAt !== null && f.firstHumanReplyAt !== null && f.handoffAt <= f.firstHumanReplyAt
    ? f.handoffAt
    : f.createdAt;
}

/**
 * Time from ticket creation (or a bot's hand-off) to the first human reply (bots and automatic
 * replies left out). Tickets the shop opened itself (an `origin`, e.g. a conversation an agent
 * started in the provider's inbox) have no first reply to wait for and are left out.
 *
 * @example
 * firstReplyTime(facts).medianMs; // e.g. 1_800_000 (30 min)
 */
export function firstReplyTime(facts: readonly TicketFacts[], opts: DurationOptions = {}): DurationStats {
  const ms: number[] = [];
  for (const f of facts)
    if (f.firstHumanReplyAt !== null && f.origin === null)
      ms.push(between(firstReplyStart(f), f.firstHumanReplyAt, opts.calendar));
  return durationStats(ms, opts.bucketsMs);
}

/**
 * Time from creation to the (last) resolution of resolved tickets.
 *
 * @example
 * resolutionTime(facts, { calendar: seoulOffice }).p90Ms;
 */
export function resolutionTime(facts: readonly TicketFacts[], opts: DurationOptions = {}): DurationStats {
  const ms: number[] = [];
  for (const f of facts) if (f.resolvedAt !== null) ms.push(between(f.createdAt, f.resolvedAt, opts.calendar));
  return durationStats(ms, opts.bucketsMs);
}

/** SLA attainment of one metric under one policy. */
export interface SlaAttainment {
  policyId: string | null;
  metric: string;
  attained: number;
  breached: number;
  rate: number | null;
}

/**
 * Share of SLA targets met, per policy and metric (a breach counts even if fulfilled later).
 *
 * @example
 * slaAttainment(facts); // [{ policyId: "default", metric: "first_reply", attained: 9, breached: 1, rate: 0.9 }]
 */
export function slaAttainment(facts: readonly TicketFacts[]): SlaAttainment[] {
  const rows = new Map<string, SlaAttainment>();
  for (const f of facts) {
    for (const [metric, outcome] of f.sla) {
      const key = `${f.policyId ?? ""}\u0000${metric}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { policyId: f.policyId, metric, attained: 0, breached: 0, rate: null }));
      if (outcome === "attained") row.attained++;
      else row.breached++;
    }
  }
  return [...rows.values()]
    .map((r) => ({ ...r, rate: r.attained / (r.attained + r.breached) }))
    .sort((a, b) => (a.policyId ?? "").localeCompare(b.policyId ?? "") || a.metric.localeCompare(b.metric));
}

/** Ticket counts by category, channel, hour of day and weekday (0 = Monday) in a time zone. */
export interface Volume {
  total: number;
  byCategory: Record<string, number>;
  byChannel: Record<string, number>;
  byHour: number[];
  byWeekday: number[];
}

/**
 * Ticket volume by category, channel, hour of day and weekday in the shop's time zone.
 *
 * @example
 * volume(facts, "Asia/Seoul").byHour[9]; // tickets created 09:00–09:59 KST
 */
export function volume(facts: readonly TicketFacts[], timeZone = "UTC"): Volume {
  const local = localHourWeekday(timeZone);
  const v: Volume = {
    total: facts.length,
    byCategory: {},
    byChannel: {},
    byHour: new Array<number>(24).fill(0),
    byWeekday: new Array<number>(7).fill(0),
  };
  for (const f of facts) {
    v.byCategory[f.category] = (v.byCategory[f.category] ?? 0) + 1;
    v.byChannel[f.channel] = (v.byChannel[f.channel] ?? 0) + 1;
    const [hour, weekday] = local(f.createdAt);
    v.byHour[hour]!++;
    v.byWeekday[weekday]!++;
  }
  return v;
}

/**
 * Share of solved tickets that were reopened after a solve.
 *
 * @example
 * reopenRate(facts).rate; // 0.08
 */
export function reopenRate(facts: readonly TicketFacts[]): Rate {
  let reopened = 0;
  let solved = 0;
  for (const f of facts) {
    if (f.solvedCount === 0) continue;
    solved++;
    if (f.reopened) reopened++;
  }
  return rate(reopened, solved);
}

/**
 * Share of resolved tickets solved with exactly one human reply and never reopened.
 *
 * @example
 * oneTouchResolution(facts).rate; // 0.6
 */
export function oneTouchResolution(facts: readonly TicketFacts[]): Rate {
  let one = 0;
  let resolved = 0;
  for (const f of facts) {
    if (f.resolvedAt === null) continue;
    resolved++;
    if (f.humanReplies === 1 && !f.reopened) one++;
  }
  return rate(one, resolved);
}

/**
 * Closed complaints by the root cause recorded at close.
 *
 * @example
 * complaintsByRootCause(facts); // { late_delivery: 4, wrong_item: 1 }
 */
export function complaintsByRootCause(facts: readonly TicketFacts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of facts)
    if (f.complaintRootCause !== null) out[f.complaintRootCause] = (out[f.complaintRootCause] ?? 0) + 1;
  return out;
}
