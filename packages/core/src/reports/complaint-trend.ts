/**
 * Complaint root causes over time: closed complaints per week (Monday to Sunday in the shop's
 * zone) and root cause, so a shop sees whether "late delivery" is growing or fading.
 */
import type { TicketFacts } from "./ticket-facts.js";

/** One week of the trend. */
export interface RootCauseWeek {
  /** The week's Monday, a local date `YYYY-MM-DD` in the report's zone. */
  weekStart: string;
  /** Complaints closed that week. */
  total: number;
  /** Of those, by root cause (only causes that occurred). */
  byRootCause: Record<string, number>;
}

/** One grouped count: complaints closed in a week with a cause (what the SQL report returns). */
export interface RootCauseWeekCount {
  weekStart: string;
  rootCause: string;
  count: number;
}

const DAY_MS = 86_400_000;

/** The Monday of the week of a local date (ISO weeks), as `YYYY-MM-DD`. */
function mondayOf(localDate: string): string {
  const [y, m, d] = localDate.split("-").map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  const weekday = (new Date(utc).getUTCDay() + 6) % 7; // 0 = Monday
  return new Date(utc - weekday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Closed complaints per local week and root cause, from grouped counts (any order): every week
 * from the first to the last with a closure is listed, empty weeks with a total of 0.
 *
 * @example
 * rootCauseWeeks([{ weekStart: "2026-03-02", rootCause: "late_delivery", count: 3 }]);
 * // [{ weekStart: "2026-03-02", total: 3, byRootCause: { late_delivery: 3 } }]
 */
export function rootCauseWeeks(counts: readonly RootCauseWeekCount[]): RootCauseWeek[] {
  const weeks = new Map<string, RootCauseWeek>();
  for (const c of counts) {
    if (c.count <= 0) continue;
    const week = weeks.get(c.weekStart) ?? { weekStart: c.weekStart, total: 0, byRootCause: {} };
    week.total += c.count;
    week.byRootCause[c.rootCause] = (week.byRootCause[c.rootCause] ?? 0) + c.count;
    weeks.set(c.weekStart, week);
  }
  const starts = [...weeks.keys()].sort();
  if (starts.length === 0) return [];
  const out: RootCauseWeek[] = [];
  const last = Date.parse(`${starts[starts.length - 1]}T00:00:00Z`);
  for (let t = Date.parse(`${starts[0]}T00:00:00Z`); t <= last; t += 7 * DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    const week = weeks.get(key) ?? { weekStart: key, total: 0, byRootCause: {} };
    week.byRootCause = Object.fromEntries(Object.entries(week.byRootCause).sort(([a], [b]) => (a < b ? -1 : 1)));
    out.push(week);
  }
  return out;
}

/**
 * The weekly root-cause trend of the report's tickets: each closed complaint counted in the local
 * week (in `timeZone`) it closed in.
 *
 * @example
 * complaintTrend(facts, "Asia/Seoul"); // [{ weekStart: "2026-03-02", total: 4, byRootCause: { … } }, …]
 */
export function complaintTrend(facts: readonly TicketFacts[], timeZone: string): RootCauseWeek[] {
  const localDate = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const counts: RootCauseWeekCount[] = [];
  for (const f of facts) {
    if (f.complaintRootCause === null || f.complaintClosedAt === null) continue;
    const weekStart = mondayOf(localDate.format(new Date(f.complaintClosedAt)));
    counts.push({ weekStart, rootCause: f.complaintRootCause, count: 1 });
  }
  return rootCauseWeeks(counts);
}
