import { describe, expect, it } from "vitest";
import { defineCalendar } from "./define-calendar.js";
import { nextOpening } from "./next-opening.js";

const cal = defineCalendar({
  id: "c",
  timeZone: "America/New_York",
  weekly: { mon: [{ start: "09:00", end: "17:00" }], wed: [{ start: "09:00", end: "17:00" }] },
});

describe("nextOpening", () => {
  it("returns the instant itself when open", () => {
    const at = new Date("2025-03-10T10:00:00-04:00");
    expect(nextOpening(at, cal)).toEqual(at);
  });

  it("returns the next opening across closed days and a DST change", () => {
    // Wednesday 5 March EST → Monday 10 March, after the switch to EDT
    expect(nextOpening(new Date("2025-03-05T18:00:00-05:00"), cal)).toEqual(new Date("2025-03-10T09:00:00-04:00"));
  });

  it("returns null for a calendar that never opens", () => {
    expect(
      nextOpening(new Date("2025-01-01T00:00:00Z"), defineCalendar({ id: "never", timeZone: "Asia/Seoul" })),
    ).toBeNull();
  });
});
