import { describe, expect, it } from "vitest";
import { businessTimeBetween } from "./business-time-between.js";
import { defineCalendar } from "./define-calendar.js";

const H = 3_600_000;
const lunch = [
  { start: "09:00", end: "12:00" },
  { start: "13:00", end: "18:00" },
];
const cal = defineCalendar({
  id: "c",
  timeZone: "Asia/Seoul",
  weekly: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch },
});

describe("businessTimeBetween", () => {
  it("leaves out the lunch break", () => {
    expect(businessTimeBetween(new Date("2025-06-16T11:00:00+09:00"), new Date("2025-06-16T14:00:00+09:00"), cal)).toBe(
      2 * H,
    );
  });

  it("counts whole weeks of 40 hours", () => {
    expect(businessTimeBetween(new Date("2025-06-14T00:00:00+09:00"), new Date("2025-06-28T00:00:00+09:00"), cal)).toBe(
      80 * H,
    );
  });

  it("is negative when swapped and zero for an empty span", () => {
    const a = new Date("2025-06-16T10:00:00+09:00");
    const b = new Date("2025-06-17T10:00:00+09:00");
    expect(businessTimeBetween(b, a, cal)).toBe(-8 * H);
    expect(businessTimeBetween(a, a, cal)).toBe(0);
  });
});
