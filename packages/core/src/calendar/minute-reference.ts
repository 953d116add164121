/**
 * A deliberately simple business-time reference for tests and the bench: it steps minute
 * by minute and asks Intl for the wall clock every time. Slow by design, obviously right;
 * the real functions are checked against it. Not exported from the package.
 */
import type { BusinessCalendar, TimeInterval } from "./business-calendar.js";
import { WEEKDAYS } from "./business-calendar.js";

const MINUTE = 60_000;

const refFormatters = new Map<string, Intl.DateTimeFormat>();
export function wallClock(timeZone: string, ms: number): { date: string; minute: number } {
  let f = refFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    refFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}
export function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
export function refIntervals(cal: BusinessCalendar, date: string): Array<[number, number]> {
  const ex = cal.exceptions.find((e) => e.date === date);
  let ivs: readonly TimeInterval[];
  if (ex) ivs = ex.intervals;
  else if (
    cal.holidays.some((h) =>
      "date" in h ? h.date === date : "yearly" in h ? date.slice(5) === h.yearly : h.from <= date && date <= h.to,
    )
  )
    ivs = [];
  else ivs = cal.weekly[WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!];
  return ivs.map((iv) => {
    const s = Number(iv.start.slice(0, 2)) * 60 + Number(iv.start.slice(3));
    let e = Number(iv.end.slice(0, 2)) * 60 + Number(iv.end.slice(3));
    if (e <= s) e += 1440;
    return [s, e];
  });
}
export function refIsOpen(cal: BusinessCalendar, ms: number): boolean {
  const { date, minute } = wallClock(cal.timeZone, ms);
  return (
    refIntervals(cal, date).some(([s, e]) => s <= minute && minute < e) ||
    refIntervals(cal, previousDate(date)).some(([s, e]) => s <= minute + 1440 && minute + 1440 < e)
  );
}
export function refAdd(cal: BusinessCalendar, start: number, duration: number): number {
  let t = start;
  let rem = duration;
  while (rem > 0) {
    if (refIsOpen(cal, t)) rem -= MINUTE;
    t += MINUTE;
  }
  return t;
}
