import { invalidInput, StoredeskError } from "../errors.js";
import type { BusinessCalendar } from "./business-calendar.js";
import { instantMs } from "./check-instant.js";
import { addBusinessMs, compiledCalendar, MAX_CLOSED_DAYS } from "./compile-calendar.js";

/**
 * The instant `durationMs` of open time after `start` in `cal` (before it, for a negative duration).
 * A start outside hours begins counting at the next opening; the result of a positive duration lies
 * at or before the end of an open interval. Cost grows with the open intervals crossed, not the duration.
 *
 * @throws StoredeskError `INVALID_INPUT` for an invalid date or non-finite duration, and when the
 * calendar is closed for about three years in a row (it would never get there).
 * @example
 * // Friday 17:00 in Seoul + 2 business hours (09–12, 13–18 Mon–Fri) → Monday 10:00
 * addBusinessTime(new Date("2025-06-13T17:00:00+09:00"), 2 * 3_600_000, cal);
 */
export function addBusinessTime(start: Date, durationMs: number, cal: BusinessCalendar): Date {
  const t = instantMs(start, "start");
  if (!Number.isFinite(durationMs)) throw invalidInput("durationMs must be a finite number", ["durationMs"]);
  const r = addBusinessMs(compiledCalendar(cal), t, durationMs);
  if (Number.isNaN(r)) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `calendar "${cal.id}" is closed for more than ${MAX_CLOSED_DAYS} days in a row from ${start.toISOString()}`,
      path: ["calendar"],
    });
  }
  return new Date(r);
}
