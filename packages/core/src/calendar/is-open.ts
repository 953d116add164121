import type { BusinessCalendar } from "./business-calendar.js";
import { instantMs } from "./check-instant.js";
import { compiledCalendar, isOpenMs } from "./compile-calendar.js";

/**
 * Whether `cal` is open at the instant `at` (interval starts inclusive, ends exclusive).
 *
 * @example
 * isOpen(new Date("2025-06-16T12:30:00+09:00"), cal); // false: lunch break
 */
export function isOpen(at: Date, cal: BusinessCalendar): boolean {
  return isOpenMs(compiledCalendar(cal), instantMs(at, "at"));
}
