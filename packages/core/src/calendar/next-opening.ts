import type { BusinessCalendar } from "./business-calendar.js";
import { instantMs } from "./check-instant.js";
import { compiledCalendar, nextOpeningMs } from "./compile-calendar.js";

/**
 * `at` itself when `cal` is open then, else the next instant it opens; `null` when it stays closed
 * for about three years.
 *
 * @example
 * nextOpening(new Date("2025-06-14T10:00:00+09:00"), cal); // Saturday → Monday 2025-06-16T00:00:00Z (09:00 KST)
 */
export function nextOpening(at: Date, cal: BusinessCalendar): Date | null {
  const r = nextOpeningMs(compiledCalendar(cal), instantMs(at, "at"));
  return Number.isNaN(r) ? null : new Date(r);
}
