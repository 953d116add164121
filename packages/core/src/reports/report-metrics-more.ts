/**
 * The later report metrics over {@link TicketFacts}: next reply time, backlog over time, CSAT by
 * agent/category/channel, bot deflection and hand-off, complaints by product.
 */
import { csatBy, csatScore, type CsatScore, type SurveyResponse } from "./csat.js";
import { durationStats, type DurationStats } from "./duration-stats.js";
import { between, type DurationOptions } from "./report-metrics.js";
import type { TicketFacts } from "./ticket-facts.js";

/**
 * Next reply time: from the first customer message after a human reply to the next human reply.
 *
 * @example
 * nextReplyTime(facts).medianMs;
 */
export function nextReplyTime(facts: readonly TicketFacts[], opts: DurationOptions = {}): DurationStats {
  const ms: number[] = [];
  for (const f of facts) for (const [a, b] of f.nextReplies) ms.push(between(a, b, opts.calendar));
  return durationStats(ms, opts.bucketsMs);
}

/** Open tickets at one instant. */
export interface BacklogPoint {
  at: string;
  open: number;
}

/**
 * Backlog over time: at each instant of `at` (epoch ms), the tickets created before it and not
 * resolved by then (by their last resolution).
 *
 * @example
 * backlog(facts, localDayEnds(from, to, "Asia/Seoul"));
 */
export function backlog(facts: readonly TicketFacts[], at: readonly number[]): BacklogPoint[] {
  return at.map((t) => ({
    at: new Date(t).toISOString(),
    open: facts.reduce((n, f) => n + (f.createdAt < t && (f.resolvedAt === null || f.resolvedAt >= t) ? 1 : 0), 0),
  }));
}

function offsetMs(instant: number, fmt: Intl.DateTimeFormat): number {
  const p = Object.fromEntries(fmt.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour) % 24,
    Number(p.minute),
    Number(p.second),
  );
  return local - Math.floor(instant / 1000) * 1000;
}

/**
 * The local midnights of `timeZone` after `from` up to and including `to` (at most 400), as epoch ms:
 * the instants of a daily backlog.
 *
 * @example
 * localDayEnds(Date.parse("2026-11-01T00:00:00+09:00"), Date.parse("2026-11-03T00:00:00+09:00"), "Asia/Seoul"); // two midnights
 */
export function localDayEnds(from: number, to: number, timeZone: string): number[] {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const out: number[] = [];
  const p = Object.fromEntries(fmt.formatToParts(new Date(from)).map((x) => [x.type, x.value]));
  for (let day = 1; out.length < 400; day++) {
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day) + day);
    // Two passes find the instant whose local time is this midnight, across DST changes.
    let t = wall - offsetMs(wall, fmt);
    t = wall - offsetMs(t, fmt);
    if (t > to) break;
    if (t > from) out.push(t);
  }
  return out;
}

/** CSAT of the tickets, overall and by agent, category and channel (at the time of the survey). */
export interface CsatReport extends CsatScore {
  sent: number;
  byAgent: Record<string, CsatScore>;
  byCategory: Record<string, CsatScore>;
  byChannel: Record<string, CsatScore>;
}

/**
 * CSAT from the tickets' `csat.received` and `csat.sent` events.
 *
 * @example
 * csatReport(facts).byAgent.kim?.score;
 */
export function csatReport(facts: readonly TicketFacts[]): CsatReport {
  const responses: SurveyResponse[] = [];
  let sent = 0;
  for (const f of facts) {
    sent += f.surveysSent;
    for (const r of f.csat) {
      responses.push({
        ticketId: r.ticketId,
        rating: r.rating,
        comment: null,
        channel: r.channel,
        agentId: r.agentId,
        category: r.category,
        respondedAt: new Date(r.at),
      });
    }
  }
  const by = (key: (r: SurveyResponse) => string | null) =>
    Object.fromEntries([...csatBy(responses, key)].sort(([a], [b]) => a.localeCompare(b)));
  return {
    ...csatScore(responses, { sent }),
    sent,
    byAgent: by((r) => r.agentId),
    byCategory: by((r) => r.category),
    byChannel: by((r) => r.channel),
  };
}

/** What the bot did: tickets it touched, answered, handed over, and deflected (answered, no hand-off, no human reply). */
export interface BotReport {
  tickets: number;
  answered: number;
  handedOff: number;
  deflected: number;
  deflectionRate: number | null;
  handoffRate: number | null;
}

/**
 * Bot deflection and hand-off from the `bot.answered` / `bot.handoff` audit events.
 *
 * @example
 * botReport(facts).deflectionRate; // 0.4
 */
export function botReport(facts: readonly TicketFacts[]): BotReport {
  let tickets = 0;
  let answered = 0;
  let handedOff = 0;
  let deflected = 0;
  for (const f of facts) {
    if (!f.botAnswered && !f.botHandedOff) continue;
    tickets++;
    if (f.botAnswered) answered++;
    if (f.botHandedOff) handedOff++;
    else if (f.botAnswered && f.humanReplies === 0) deflected++;
  }
  return {
    tickets,
    answered,
    handedOff,
    deflected,
    deflectionRate: tickets ? deflected / tickets : null,
    handoffRate: tickets ? handedOff / tickets : null,
  };
}

/**
 * Closed complaints by the product linked to the ticket (`product.linked`); `unknown` without one.
 *
 * @example
 * complaintsByProduct(facts); // { "sku-123": 4, unknown: 1 }
 */
export function complaintsByProduct(facts: readonly TicketFacts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of facts) {
    if (f.complaintRootCause === null) continue;
    const k = f.productId ?? "unknown";
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
