/**
 * When a person will answer: the next service time of a team calendar, and the hand-off line
 * that tells the customer ("a person will answer from 09:00 tomorrow"), in Korean or English.
 */
import type { BusinessCalendar } from "./business-calendar.js";
import { instantMs } from "./check-instant.js";
import { compiledCalendar, isOpenMs, nextOpeningMs } from "./compile-calendar.js";

/** The next service time: `open` now, or when the calendar opens next (`at` null: closed for years). */
export interface NextServiceTime {
  open: boolean;
  /** `now` when open, else the next opening; null when the calendar stays closed for about three years. */
  at: Date | null;
  /** Local wall-clock time of `at` in the calendar's zone (`HH:MM`), null with `at`. */
  localTime: string | null;
  /** Whole local days from `now`'s date to `at`'s date in the calendar's zone (0 today, 1 tomorrow). */
  daysAhead: number | null;
}

function localParts(ms: number, timeZone: string): { date: string; time: string; weekday: number } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    weekday: "short",
  }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? "";
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}`, weekday };
}

/**
 * Whether the team is working at `now`, and if not, when it starts again (in its own time zone).
 * For plugins and templates (e.g. the knowledge bot's hand-off variable) as much as for the desk.
 *
 * @example
 * nextServiceTime(refundsCalendar, new Date("2026-03-02T12:00:00Z"));
 * // Monday 21:00 in Seoul → { open: false, at: 2026-03-03T00:00:00Z, localTime: "09:00", daysAhead: 1 }
 */
export function nextServiceTime(calendar: BusinessCalendar, now: Date): NextServiceTime {
  const t = instantMs(now, "now");
  const cc = compiledCalendar(calendar);
  if (isOpenMs(cc, t))
    return { open: true, at: new Date(t), localTime: localParts(t, calendar.timeZone).time, daysAhead: 0 };
  const next = nextOpeningMs(cc, t);
  if (Number.isNaN(next)) return { open: false, at: null, localTime: null, daysAhead: null };
  const from = localParts(t, calendar.timeZone);
  const to = localParts(next, calendar.timeZone);
  const days = Math.round((Date.parse(`${to.date}T00:00:00Z`) - Date.parse(`${from.date}T00:00:00Z`)) / 86_400_000);
  return { open: false, at: new Date(next), localTime: to.time, daysAhead: days };
}

const KO_DAYS = ["일", "월", "화", "수", "목", "금", "토"];
const EN_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * The hand-off line for a customer when the team is not working at `now`; null while it is (or
 * when it stays closed for years). Korean for `ko…`, English otherwise.
 *
 * @example
 * serviceHoursNotice(cal, fridayEvening, "ko"); // "지금은 상담 시간이 아닙니다. 월요일(3월 9일) 09:00부터 상담원이 답변드립니다."
 * serviceHoursNotice(cal, mondayNight, "en");   // "Our team is away right now. A person will answer from 09:00 tomorrow."
 */
export function serviceHoursNotice(calendar: BusinessCalendar, now: Date, language: string): string | null {
  const next = nextServiceTime(calendar, now);
  if (next.open || !next.at || next.daysAhead === null) return null;
  const to = localParts(next.at.getTime(), calendar.timeZone);
  const [, month, day] = to.date.split("-").map(Number);
  if (language.toLowerCase().startsWith("ko")) {
    const when =
      next.daysAhead === 0 ? "오늘" : next.daysAhead === 1 ? "내일" : `${KO_DAYS[to.weekday]}요일(${month}월 ${day}일)`;
    return `지금은 상담 시간이 아닙니다. ${when} ${next.localTime}부터 상담원이 답변드립니다.`;
  }
  const when =
    next.daysAhead === 0
      ? "today"
      : next.daysAhead === 1
        ? "tomorrow"
        : `on ${EN_DAYS[to.weekday]} ${day} ${new Intl.DateTimeFormat("en", { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2000, month! - 1, 1)))}`;
  return `Our team is away right now. A person will answer from ${next.localTime} ${when}.`;
}
