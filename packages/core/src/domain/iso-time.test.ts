import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoString } from "./iso-time.js";

describe("isoString", () => {
  it("writes what toISOString writes, for any time of years 1970–9999 and the edges around them", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 253_402_300_799_999 }), // the fast range
          fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }), // every valid Date
        ),
        (ms) => {
          const date = new Date(ms);
          expect(isoString(date)).toBe(date.toISOString());
        },
      ),
      { numRuns: 20_000 },
    );
    for (const ms of [
      0, 1, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, 253_402_300_800_000, -1,
    ]) {
      expect(isoString(new Date(ms))).toBe(new Date(ms).toISOString());
    }
  });

  it("throws toISOString's RangeError for an invalid date", () => {
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
  });
});
