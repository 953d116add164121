import { describe, expect, it } from "vitest";
import { eventTime } from "./event-time.js";

const now = new Date("2026-03-02T09:00:00Z");

describe("eventTime", () => {
  it("reads epoch seconds, milliseconds and Meta's mix of both", () => {
    expect(eventTime("1743813734", "seconds", now)).toEqual({ occurredAt: new Date(1743813734000) });
    expect(eventTime(1743813734000, "milliseconds", now)).toEqual({ occurredAt: new Date(1743813734000) });
    expect(eventTime(1743813734, "auto", now).occurredAt).toEqual(new Date(1743813734000));
    expect(eventTime(1743813734000, "auto", now).occurredAt).toEqual(new Date(1743813734000));
  });
  it("replaces an out-of-range or unreadable value by the receive time and keeps the original", () => {
    expect(eventTime("99999999999999999999", "seconds", now)).toEqual({
      occurredAt: now,
      truncated: { occurredAt: "99999999999999999999" },
    });
    expect(eventTime(-5, "milliseconds", now)).toEqual({ occurredAt: now, truncated: { occurredAt: "-5" } });
    expect(eventTime("next tuesday", "auto", now).occurredAt).toBe(now);
  });
});
