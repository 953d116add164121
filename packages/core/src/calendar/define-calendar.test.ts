import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { defineCalendar } from "./define-calendar.js";

function errorOf(fn: () => unknown): StoredeskError {
  try {
    fn();
  } catch (err) {
    if (StoredeskError.is(err)) return err;
    throw err;
  }
  throw new Error("did not throw");
}

describe("defineCalendar", () => {
  it("fills omitted weekdays, holidays and exceptions and freezes the result", () => {
    const cal = defineCalendar({
      id: "c",
      timeZone: "Asia/Seoul",
      weekly: { mon: [{ start: "09:00", end: "18:00" }] },
    });
    expect(cal.weekly.sun).toEqual([]);
    expect(cal.holidays).toEqual([]);
    expect(Object.isFrozen(cal.weekly.mon)).toBe(true);
  });

  it("rejects an unknown time zone with INVALID_INPUT at timeZone", () => {
    const err = errorOf(() => defineCalendar({ id: "c", timeZone: "Mars/Olympus" }));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.path).toEqual(["timeZone"]);
  });

  it("rejects a malformed time with the path of the field", () => {
    const err = errorOf(() =>
      defineCalendar({ id: "c", timeZone: "UTC", weekly: { tue: [{ start: "09:00", end: "25:00" }] } }),
    );
    expect(err.path).toEqual(["weekly", "tue", 0, "end"]);
  });

  it("accepts 24:00 as an end but not as a start", () => {
    expect(() =>
      defineCalendar({ id: "c", timeZone: "UTC", weekly: { mon: [{ start: "00:00", end: "24:00" }] } }),
    ).not.toThrow();
    expect(() =>
      defineCalendar({ id: "c", timeZone: "UTC", weekly: { mon: [{ start: "24:00", end: "24:00" }] } }),
    ).toThrow(StoredeskError);
  });

  it("rejects impossible dates, reversed ranges and duplicate exceptions", () => {
    expect(() => defineCalendar({ id: "c", timeZone: "UTC", holidays: [{ date: "2025-02-30" }] })).toThrow(
      StoredeskError,
    );
    expect(() => defineCalendar({ id: "c", timeZone: "UTC", holidays: [{ yearly: "13-01" }] })).toThrow(StoredeskError);
    expect(() =>
      defineCalendar({ id: "c", timeZone: "UTC", holidays: [{ from: "2025-05-05", to: "2025-05-01" }] }),
    ).toThrow(StoredeskError);
    const err = errorOf(() =>
      defineCalendar({
        id: "c",
        timeZone: "UTC",
        exceptions: [
          { date: "2025-05-05", intervals: [] },
          { date: "2025-05-05", intervals: [] },
        ],
      }),
    );
    expect(err.path).toEqual(["exceptions", 1, "date"]);
  });

  it("rejects unknown keys, which are usually typos", () => {
    expect(() => defineCalendar({ id: "c", timeZone: "UTC", weekly: { monday: [] } } as never)).toThrow(StoredeskError);
  });
});
