import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { importICalHolidays } from "./import-ical-holidays.js";

const ics = (...events: string[]): string =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//EN",
    ...events.flatMap((e) => ["BEGIN:VEVENT", ...e.split("\n"), "END:VEVENT"]),
    "END:VCALENDAR",
    "",
  ].join("\r\n");

describe("importICalHolidays", () => {
  it("reads a one-day all-day event with its summary", () => {
    expect(
      importICalHolidays(
        ics("DTSTART;VALUE=DATE:20251003\nDTEND;VALUE=DATE:20251004\nSUMMARY:National Foundation Day"),
      ),
    ).toEqual([{ date: "2025-10-03", name: "National Foundation Day" }]);
  });

  it("treats DTEND as exclusive for multi-day ranges", () => {
    expect(importICalHolidays(ics("DTSTART;VALUE=DATE:20251005\nDTEND;VALUE=DATE:20251008\nSUMMARY:Chuseok"))).toEqual([
      { from: "2025-10-05", to: "2025-10-07", name: "Chuseok" },
    ]);
  });

  it("uses DURATION when there is no DTEND and one day when there is neither", () => {
    expect(importICalHolidays(ics("DTSTART;VALUE=DATE:20250101\nDURATION:P2D", "DTSTART;VALUE=DATE:20250301"))).toEqual(
      [{ from: "2025-01-01", to: "2025-01-02" }, { date: "2025-03-01" }],
    );
  });

  it("turns RRULE:FREQ=YEARLY into yearly month-days", () => {
    expect(
      importICalHolidays(
        ics("DTSTART;VALUE=DATE:20201224\nDTEND;VALUE=DATE:20201226\nRRULE:FREQ=YEARLY\nSUMMARY:Christmas"),
      ),
    ).toEqual([
      { yearly: "12-24", name: "Christmas" },
      { yearly: "12-25", name: "Christmas" },
    ]);
  });

  it("lists the years of a bounded yearly rule as dates", () => {
    expect(importICalHolidays(ics("DTSTART;VALUE=DATE:20240501\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:May Day"))).toEqual([
      { date: "2024-05-01", name: "May Day" },
      { date: "2025-05-01", name: "May Day" },
    ]);
  });

  it("unfolds long lines, unescapes text and handles LF line ends", () => {
    const text =
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250606\nSUMMARY:Memorial\n  Day\\, Korea\nEND:VEVENT\nEND:VCALENDAR\n";
    expect(importICalHolidays(text)).toEqual([{ date: "2025-06-06", name: "Memorial Day, Korea" }]);
  });

  it("ignores nested alarms, cancelled events and what is outside VEVENT", () => {
    const text = ics(
      "DTSTART;VALUE=DATE:20250815\nSUMMARY:Liberation Day\nBEGIN:VALARM\nTRIGGER:-PT15M\nEND:VALARM",
      "DTSTART;VALUE=DATE:20250816\nSTATUS:CANCELLED",
    );
    expect(importICalHolidays(text)).toEqual([{ date: "2025-08-15", name: "Liberation Day" }]);
  });

  it("rejects an event without a start", () => {
    expect(() => importICalHolidays(ics("SUMMARY:Nothing"))).toThrow(StoredeskError);
  });
});
