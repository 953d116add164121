/**
 * The business calendar as data: weekly opening hours in a time zone, holidays and one-off
 * exceptions. Validated with zod at the edge by {@link defineCalendar}.
 */
import { z } from "zod";

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const HH_MM_OR_24 = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;
const MM_DD = /^(\d{2})-(\d{2})$/;

function isRealDate(s: string): boolean {
  const m = YYYY_MM_DD.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(2000, mo - 1, d));
  t.setUTCFullYear(y);
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function isRealMonthDay(s: string): boolean {
  const m = MM_DD.exec(s);
  if (!m) return false;
  // 2000 is a leap year, so 02-29 is accepted (it applies in leap years only).
  const [mo, d] = [Number(m[1]), Number(m[2])];
  const t = new Date(Date.UTC(2000, mo - 1, d));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** True when `timeZone` is an IANA zone this runtime's Intl knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A calendar date `YYYY-MM-DD`. */
export const CalendarDateSchema = z.string().refine(isRealDate, "must be a real date YYYY-MM-DD");

/**
 * Opening hours on one day as local wall-clock times `HH:MM`. An interval whose `end` is not after
 * its `start` crosses midnight into the next day (`22:00`–`06:00`; `09:00`–`09:00` is 24 hours);
 * `24:00` is allowed as `end`. A crossing interval belongs to the day it starts on: a holiday on
 * that day removes all of it, a holiday on the next day removes none of it.
 *
 * @example
 * TimeIntervalSchema.parse({ start: "09:00", end: "12:00" });
 */
export const TimeIntervalSchema = z.strictObject({
  start: z.string().regex(HH_MM, "must be HH:MM (00:00–23:59)"),
  end: z.string().regex(HH_MM_OR_24, "must be HH:MM (00:00–24:00)"),
});
/** One opening interval, see {@link TimeIntervalSchema}. */
export type TimeInterval = z.output<typeof TimeIntervalSchema>;

/**
 * A closed day: a single date, a yearly date (`MM-DD`, e.g. `12-25`) or an inclusive range of dates.
 *
 * @example
 * const holidays: Holiday[] = [{ date: "2025-10-03", name: "Gaecheonjeol" }, { yearly: "12-25" }, { from: "2025-10-05", to: "2025-10-08" }];
 */
export const HolidaySchema = z.union([
  z.strictObject({ date: CalendarDateSchema, name: z.string().optional() }),
  z.strictObject({
    yearly: z.string().refine(isRealMonthDay, "must be a month-day MM-DD"),
    name: z.string().optional(),
  }),
  z
    .strictObject({ from: CalendarDateSchema, to: CalendarDateSchema, name: z.string().optional() })
    .refine((h) => h.from <= h.to, { message: "`from` must not be after `to`", path: ["to"] }),
]);
/** A holiday, see {@link HolidaySchema}. */
export type Holiday = z.output<typeof HolidaySchema>;

/**
 * Special hours for one date. Overrides both the weekday's hours and any holiday on that date;
 * an empty `intervals` closes the date.
 *
 * @example
 * const sundaySale: CalendarException = { date: "2025-11-30", intervals: [{ start: "10:00", end: "16:00" }], name: "Black Friday weekend" };
 */
export const CalendarExceptionSchema = z.strictObject({
  date: CalendarDateSchema,
  intervals: z.array(TimeIntervalSchema),
  name: z.string().optional(),
});
/** A one-off exception, see {@link CalendarExceptionSchema}. */
export type CalendarException = z.output<typeof CalendarExceptionSchema>;

const day = z.array(TimeIntervalSchema).default([]);

/** The weekdays in calendar order, Monday first. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** A weekday key of {@link BusinessCalendar}`.weekly`. */
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A business calendar: opening hours per weekday (several intervals for lunch breaks), in an IANA
 * time zone, minus holidays, with one-off exceptions. Omitted weekdays are closed.
 *
 * @example
 * const cal = BusinessCalendarSchema.parse({
 *   id: "seoul-office",
 *   timeZone: "Asia/Seoul",
 *   weekly: { mon: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }] },
 *   holidays: [{ yearly: "01-01", name: "New Year" }],
 * });
 */
export const BusinessCalendarSchema = z
  .strictObject({
    id: z.string().min(1),
    timeZone: z.string().refine(isValidTimeZone, "must be an IANA time zone, e.g. Asia/Seoul"),
    weekly: z
      .strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day })
      .default({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }),
    holidays: z.array(HolidaySchema).default([]),
    exceptions: z.array(CalendarExceptionSchema).default([]),
  })
  .superRefine((cal, ctx) => {
    const seen = new Set<string>();
    cal.exceptions.forEach((e, i) => {
      if (seen.has(e.date))
        ctx.addIssue({ code: "custom", message: `duplicate exception for ${e.date}`, path: ["exceptions", i, "date"] });
      seen.add(e.date);
    });
  });

/** A validated business calendar (output of {@link BusinessCalendarSchema} / {@link defineCalendar}). */
export type BusinessCalendar = z.output<typeof BusinessCalendarSchema>;
/** What {@link defineCalendar} accepts: weekdays, holidays and exceptions may be omitted. */
export type BusinessCalendarInput = z.input<typeof BusinessCalendarSchema>;
