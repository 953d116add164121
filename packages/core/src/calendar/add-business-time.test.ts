import { refAdd, refIsOpen } from "./minute-reference.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { addBusinessTime } from "./add-business-time.js";
import type { BusinessCalendarInput, TimeInterval } from "./business-calendar.js";
import { businessTimeBetween } from "./business-time-between.js";
import { defineCalendar } from "./define-calendar.js";
import { isOpen } from "./is-open.js";
import { nextOpening } from "./next-opening.js";

const H = 3_600_000;
const M = 60_000;
const at = (iso: string): Date => new Date(iso);
const lunch: TimeInterval[] = [
  { start: "09:00", end: "12:00" },
  { start: "13:00", end: "18:00" },
];
const weekdays = (ivs: TimeInterval[]): BusinessCalendarInput["weekly"] => ({
  mon: ivs,
  tue: ivs,
  wed: ivs,
  thu: ivs,
  fri: ivs,
});
const seoul = defineCalendar({ id: "seoul", timeZone: "Asia/Seoul", weekly: weekdays(lunch) });

// The deliberately simple minute-stepping reference lives in minute-reference.ts (the bench uses it too).

// ---- Random calendars around DST transitions.

const zones = ["Asia/Seoul", "America/New_York", "Europe/Berlin", "UTC", "Australia/Lord_Howe"] as const;
const hhmm = (min: number): string =>
  `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
  .map(([s, e]): TimeInterval => ({ start: hhmm(s), end: e === 1440 ? "24:00" : hhmm(e) }));
const dayArb = fc.array(intervalArb, { maxLength: 3 });
const dateArb = fc
  .integer({ min: 0, max: 40 })
  .map((n) => new Date(Date.UTC(2025, 1, 20) + n * 86_400_000).toISOString().slice(0, 10));
const holidayArb = fc.oneof(
  dateArb.map((date) => ({ date })),
  dateArb.map((d) => ({ yearly: d.slice(5) })),
  fc
    .tuple(dateArb, fc.integer({ min: 0, max: 4 }))
    .map(([from, n]) => ({ from, to: new Date(Date.parse(from) + n * 86_400_000).toISOString().slice(0, 10) })),
);
const calendarArb = fc
  .record({
    timeZone: fc.constantFrom(...zones),
    mon: fc.array(intervalArb, { minLength: 1, maxLength: 3 }),
    tue: dayArb,
    wed: dayArb,
    thu: dayArb,
    fri: dayArb,
    sat: dayArb,
    sun: dayArb,
    holidays: fc.array(holidayArb, { maxLength: 4 }),
    exceptions: fc.uniqueArray(fc.record({ date: dateArb, intervals: dayArb }), {
      selector: (e) => e.date,
      maxLength: 3,
    }),
  })
  .map(({ timeZone, holidays, exceptions, ...weekly }) =>
    defineCalendar({ id: "random", timeZone, weekly, holidays, exceptions }),
  );
// Starts around the 2025 spring transitions (New York 9 March, Berlin 30 March; Lord Howe 6 April) and in autumn.
const startArb = fc
  .oneof(
    fc.integer({ min: Date.UTC(2025, 2, 5) / M, max: Date.UTC(2025, 3, 8) / M }),
    fc.integer({ min: Date.UTC(2025, 9, 24) / M, max: Date.UTC(2025, 10, 4) / M }),
  )
  .map((m) => m * M);
const durationArb = fc.integer({ min: 0, max: 2 * 24 * 60 }).map((m) => m * M);

describe("addBusinessTime", () => {
  it("skips the lunch break", () => {
    expect(addBusinessTime(at("2025-06-16T11:00:00+09:00"), 2 * H, seoul)).toEqual(at("2025-06-16T14:00:00+09:00"));
  });

  it("continues on the next working day when the day runs out", () => {
    expect(addBusinessTime(at("2025-06-13T17:00:00+09:00"), 2 * H, seoul)).toEqual(at("2025-06-16T10:00:00+09:00"));
  });

  it("starts counting at the next opening when the start is outside hours", () => {
    expect(addBusinessTime(at("2025-06-14T15:00:00+09:00"), 30 * M, seoul)).toEqual(at("2025-06-16T09:30:00+09:00"));
    expect(addBusinessTime(at("2025-06-16T07:00:00+09:00"), 3 * H, seoul)).toEqual(at("2025-06-16T12:00:00+09:00"));
  });

  it("ends at the close of an interval when the duration fills it exactly", () => {
    expect(addBusinessTime(at("2025-06-16T09:00:00+09:00"), 3 * H, seoul)).toEqual(at("2025-06-16T12:00:00+09:00"));
  });

  it("returns the start itself for a zero duration, even outside hours", () => {
    expect(addBusinessTime(at("2025-06-14T03:00:00Z"), 0, seoul)).toEqual(at("2025-06-14T03:00:00Z"));
  });

  it("walks 48 business hours over six working days", () => {
    // Mon 09:00 + 48h at 8h a day = the following Monday at 18:00 (Mon..Fri = 40h, Mon = 8h)
    expect(addBusinessTime(at("2025-06-16T09:00:00+09:00"), 48 * H, seoul)).toEqual(at("2025-06-23T18:00:00+09:00"));
  });

  it("walks backwards for a negative duration", () => {
    expect(addBusinessTime(at("2025-06-16T10:00:00+09:00"), -2 * H, seoul)).toEqual(at("2025-06-13T17:00:00+09:00"));
    expect(addBusinessTime(at("2025-06-16T14:00:00+09:00"), -2 * H, seoul)).toEqual(at("2025-06-16T11:00:00+09:00"));
  });

  it("counts an overnight interval into the next day, and it belongs to the day it starts on", () => {
    const night = defineCalendar({
      id: "night",
      timeZone: "Europe/Berlin",
      weekly: weekdays([{ start: "22:00", end: "06:00" }]),
      holidays: [{ date: "2025-06-17" }],
    });
    // Fri 23:00 → Sat 06:00 is the Friday shift (7 h), then Monday 22:00
    expect(addBusinessTime(at("2025-06-13T23:00:00+02:00"), 8 * H, night)).toEqual(at("2025-06-16T23:00:00+02:00"));
    // Tuesday 17 June is a holiday: Monday's shift runs to Tuesday 06:00, Tuesday's own shift is gone.
    expect(isOpen(at("2025-06-17T05:00:00+02:00"), night)).toBe(true);
    expect(isOpen(at("2025-06-17T23:00:00+02:00"), night)).toBe(false);
    expect(nextOpening(at("2025-06-17T07:00:00+02:00"), night)).toEqual(at("2025-06-18T22:00:00+02:00"));
  });

  it("skips a holiday range across a weekend", () => {
    const cal = defineCalendar({
      id: "h",
      timeZone: "Asia/Seoul",
      weekly: weekdays(lunch),
      holidays: [{ from: "2025-10-03", to: "2025-10-06", name: "Chuseok" }],
    });
    // Thu 2 Oct 17:00 + 2h: 1h Thursday, then Fri..Mon closed, Tuesday 09:00 + 1h
    expect(addBusinessTime(at("2025-10-02T17:00:00+09:00"), 2 * H, cal)).toEqual(at("2025-10-07T10:00:00+09:00"));
  });

  it("opens on an exception Sunday and follows special hours over a holiday", () => {
    const cal = defineCalendar({
      id: "sale",
      timeZone: "Asia/Seoul",
      weekly: weekdays(lunch),
      holidays: [{ yearly: "06-16" }],
      exceptions: [
        { date: "2025-06-15", intervals: [{ start: "10:00", end: "14:00" }], name: "Sunday sale" },
        { date: "2025-06-16", intervals: [{ start: "15:00", end: "16:00" }] },
      ],
    });
    expect(addBusinessTime(at("2025-06-13T17:00:00+09:00"), 2 * H, cal)).toEqual(at("2025-06-15T11:00:00+09:00"));
    // Sunday 13–14, then Monday's special 15–16 although Monday is a yearly holiday, then Tuesday
    expect(addBusinessTime(at("2025-06-15T13:00:00+09:00"), 2 * H, cal)).toEqual(at("2025-06-16T16:00:00+09:00"));
    expect(addBusinessTime(at("2025-06-15T13:00:00+09:00"), 3 * H, cal)).toEqual(at("2025-06-17T10:00:00+09:00"));
  });

  it("has one hour less on the New York spring-forward night and one more on fall-back", () => {
    const ny = defineCalendar({
      id: "ny",
      timeZone: "America/New_York",
      weekly: { sun: [{ start: "01:00", end: "04:00" }] },
    });
    // 9 March 2025: 02:00–03:00 does not exist
    expect(businessTimeBetween(at("2025-03-09T00:00:00-05:00"), at("2025-03-10T00:00:00-04:00"), ny)).toBe(2 * H);
    expect(addBusinessTime(at("2025-03-09T01:00:00-05:00"), 90 * M, ny)).toEqual(at("2025-03-09T03:30:00-04:00"));
    // 2 November 2025: 01:00–02:00 happens twice
    expect(businessTimeBetween(at("2025-11-02T00:00:00-04:00"), at("2025-11-03T00:00:00-05:00"), ny)).toBe(4 * H);
    expect(addBusinessTime(at("2025-11-02T01:00:00-04:00"), 90 * M, ny)).toEqual(at("2025-11-02T01:30:00-05:00"));
  });

  it("treats a Berlin interval inside the skipped hour as empty and inside the repeated hour as twice as long", () => {
    const berlin = defineCalendar({
      id: "ber",
      timeZone: "Europe/Berlin",
      weekly: {
        sun: [
          { start: "02:00", end: "03:00" },
          { start: "08:00", end: "09:00" },
        ],
      },
    });
    // 30 March 2025: 02:00 → 03:00, the first interval never happens
    expect(addBusinessTime(at("2025-03-30T00:00:00+01:00"), 30 * M, berlin)).toEqual(at("2025-03-30T08:30:00+02:00"));
    // 26 October 2025: 02:00–03:00 runs in CEST and again in CET
    expect(businessTimeBetween(at("2025-10-26T00:00:00+02:00"), at("2025-10-26T12:00:00+01:00"), berlin)).toBe(3 * H);
    expect(addBusinessTime(at("2025-10-26T02:30:00+02:00"), 60 * M, berlin)).toEqual(at("2025-10-26T02:30:00+01:00"));
  });

  it("uses Seoul time, which has no daylight saving", () => {
    expect(addBusinessTime(at("2025-01-06T00:00:00Z"), 1 * H, seoul)).toEqual(at("2025-01-06T01:00:00Z"));
    expect(addBusinessTime(at("2025-07-07T00:00:00Z"), 1 * H, seoul)).toEqual(at("2025-07-07T01:00:00Z"));
  });

  it("throws a clear error for a calendar that is never open instead of looping", () => {
    const closed = defineCalendar({ id: "closed", timeZone: "UTC" });
    expect(() => addBusinessTime(at("2025-01-01T00:00:00Z"), H, closed)).toThrow(/closed for more than/);
    try {
      addBusinessTime(at("2025-01-01T00:00:00Z"), H, closed);
    } catch (err) {
      expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
    }
    expect(nextOpening(at("2025-01-01T00:00:00Z"), closed)).toBeNull();
  });

  it("rejects an invalid date and a non-finite duration", () => {
    expect(() => addBusinessTime(new Date(Number.NaN), H, seoul)).toThrow(StoredeskError);
    expect(() => addBusinessTime(at("2025-01-01T00:00:00Z"), Number.POSITIVE_INFINITY, seoul)).toThrow(StoredeskError);
  });

  it("matches minute-by-minute stepping on random calendars around DST transitions", () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, (cal, start, duration) => {
        expect(addBusinessTime(new Date(start), duration, cal).getTime()).toBe(refAdd(cal, start, duration));
      }),
      { numRuns: 120 },
    );
  });

  it("agrees with isOpen and nextOpening of the reference at random minutes", () => {
    fc.assert(
      fc.property(calendarArb, fc.array(startArb, { minLength: 1, maxLength: 20 }), (cal, starts) => {
        for (const s of starts) {
          expect(isOpen(new Date(s), cal)).toBe(refIsOpen(cal, s));
          const next = nextOpening(new Date(s), cal);
          expect(next).not.toBeNull();
          expect(isOpen(next!, cal)).toBe(true);
          if (next!.getTime() > s) expect(refIsOpen(cal, next!.getTime() - M)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("measures back what it added: businessTimeBetween(a, addBusinessTime(a, d)) === d", () => {
    fc.assert(
      fc.property(
        calendarArb,
        startArb,
        fc.integer({ min: 0, max: 30 * 24 * 60 * 60 }).map((s) => s * 1000),
        (cal, start, duration) => {
          const end = addBusinessTime(new Date(start), duration, cal);
          expect(businessTimeBetween(new Date(start), end, cal)).toBe(duration);
          expect(businessTimeBetween(end, new Date(start), cal)).toBe(0 - duration);
          expect(addBusinessTime(end, -duration, cal).getTime()).toBeGreaterThanOrEqual(start);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is additive: adding d1 then d2 equals adding d1 + d2", () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, durationArb, (cal, start, d1, d2) => {
        const s = new Date(start);
        if (d1 === 0) return; // a zero duration leaves a closed start where it is
        expect(addBusinessTime(addBusinessTime(s, d1, cal), d2, cal)).toEqual(addBusinessTime(s, d1 + d2, cal));
      }),
      { numRuns: 300 },
    );
  });
});
