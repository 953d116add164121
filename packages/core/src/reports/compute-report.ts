/** The report entry point: history + options → every metric, filtered. */
import type { TicketEvent } from "../domain/event.js";
import { parseInput } from "../validate.js";
import type { DurationStats } from "./duration-stats.js";
import { ReportOptionsSchema, type ReportOptions, type ReportOptionsInput } from "./report-options.js";
import {
  complaintsByRootCause,
  firstReplyTime,
  oneTouchResolution,
  reopenRate,
  resolutionTime,
  slaAttainment,
  volume,
  type Rate,
  type SlaAttainment,
  type Volume,
} from "./report-metrics.js";
import { factsByTicket, type TicketFacts } from "./ticket-facts.js";
import { complaintTrend, type RootCauseWeek } from "./complaint-trend.js";
import { faqGaps, type FaqGapsReport } from "./faq-gaps.js";
import {
  backlog,
  botReport,
  complaintsByProduct,
  csatReport,
  localDayEnds,
  nextReplyTime,
  type BacklogPoint,
  type BotReport,
  type CsatReport,
} from "./report-metrics-more.js";

/** A computed report: plain JSON-safe data (no Dates, no Maps). */
export interface Report {
  period: { from: string | null; to: string | null };
  timeZone: string;
  /** "business" when durations are in a calendar's open time. */
  time: "calendar" | "business";
  tickets: number;
  firstReply: DurationStats;
  resolution: DurationStats;
  sla: SlaAttainment[];
  volume: Volume;
  reopen: Rate;
  oneTouch: Rate;
  complaintsByRootCause: Record<string, number>;
  nextReply: DurationStats;
  /** Open tickets at each local midnight of the period (empty without both ends of a period). */
  backlog: BacklogPoint[];
  csat: CsatReport;
  bot: BotReport;
  complaintsByProduct: Record<string, number>;
  /** Closed complaints per local week and root cause, first to last week with a closure. */
  complaintTrend: RootCauseWeek[];
  /** The bot's hand-offs without a good enough article, grouped by question. */
  faqGaps: FaqGapsReport;
}

/**
 * The instants of the daily backlog: the shop's local midnights in the period (none without both ends).
 *
 * @example
 * backlogInstants(options); // [epoch ms, …]
 */
export function backlogInstants(o: ReportOptions): number[] {
  return o.period?.from && o.period.to ? localDayEnds(o.period.from.getTime(), o.period.to.getTime(), o.timeZone) : [];
}

function oneOf(list: string[] | undefined, value: string | null): boolean {
  return list === undefined || (value !== null && list.includes(value));
}

/**
 * Keeps the tickets that match the options' period and filters.
 *
 * @example
 * filterFacts(factsByTicket(history), parseInput(ReportOptionsSchema, { channels: ["email"] }));
 */
export function filterFacts(facts: readonly TicketFacts[], o: ReportOptions): TicketFacts[] {
  const from = o.period?.from?.getTime() ?? -Infinity;
  const to = o.period?.to?.getTime() ?? Infinity;
  return facts.filter(
    (f) =>
      f.createdAt >= from &&
      f.createdAt < to &&
      oneOf(o.channels, f.channel) &&
      oneOf(o.categories, f.category) &&
      oneOf(o.teams, f.team) &&
      oneOf(o.priorities, f.priority) &&
      (o.agents === undefined || o.agents.some((a) => a === f.assigneeId || f.repliedBy.includes(a))) &&
      (o.tags === undefined || o.tags.some((t) => f.tags.includes(t))),
  );
}

/**
 * Computes every report metric over a history of ticket events (any tickets, any order).
 * Bad options are an `INVALID_INPUT` StoredeskError.
 *
 * @example
 * const report = computeReport(events, { timeZone: "Asia/Seoul", period: { from: new Date("2026-11-01") } });
 * report.firstReply.medianMs; // median first human reply time in ms
 */
export function computeReport(history: readonly TicketEvent[], options: ReportOptionsInput = {}): Report {
  const o = parseInput(ReportOptionsSchema, options, "report options");
  const facts = filterFacts(factsByTicket(history), o);
  const durations = { calendar: o.calendar ?? null, ...(o.bucketsMs ? { bucketsMs: o.bucketsMs } : {}) };
  return {
    period: { from: o.period?.from?.toISOString() ?? null, to: o.period?.to?.toISOString() ?? null },
    timeZone: o.timeZone,
    time: o.calendar ? "business" : "calendar",
    tickets: facts.length,
    firstReply: firstReplyTime(facts, durations),
    resolution: resolutionTime(facts, durations),
    sla: slaAttainment(facts),
    volume: volume(facts, o.timeZone),
    reopen: reopenRate(facts),
    oneTouch: oneTouchResolution(facts),
    complaintsByRootCause: complaintsByRootCause(facts),
    nextReply: nextReplyTime(facts, durations),
    backlog: backlog(facts, backlogInstants(o)),
    csat: csatReport(facts),
    bot: botReport(facts),
    complaintsByProduct: complaintsByProduct(facts),
    complaintTrend: complaintTrend(facts, o.timeZone),
    faqGaps: faqGaps(facts, o.faqGaps),
  };
}
