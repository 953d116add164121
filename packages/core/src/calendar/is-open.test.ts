import { describe, expect, it } from "vitest";
import { defineCalendar } from "./define-calendar.js";
import { isOpen } from "./is-open.js";

const lunch = [
  { start: "09:00", end: "12:00" },
  { start: "13:00", end: "18:00" },
];
const cal = defineCalendar({
  id: "c",
  timeZone: "Asia/Seoul",
  weekly: { mon: lunch, fri: lunch },
  holidays: [{ date: "2025-06-20" }],
});

describe("isOpen", () => {
  it("includes an interval's start and excludes its end", () => {
    expect(isOpen(new Date("2025-06-16T09:00:00+09:00"), cal)).toBe(true);
    expect(isOpen(new Date("2025-06-16T11:59:59.999+09:00"), cal)).toBe(true);
    expect(isOpen(new Date("2025-06-16T12:00:00+09:00"), cal)).toBe(false);
    expect(isOpen(new Date("2025-06-16T18:00:00+09:00"), cal)).toBe(false);
  });

  it("is closed on days without hours and on holidays", () => {
    expect(isOpen(new Date("2025-06-17T10:00:00+09:00"), cal)).toBe(false);
    expect(isOpen(new Date("2025-06-20T10:00:00+09:00"), cal)).toBe(false);
    expect(isOpen(new Date("2025-06-27T10:00:00+09:00"), cal)).toBe(true);
  });
});
