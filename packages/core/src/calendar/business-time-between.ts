import type { BusinessCalendar } from "./business-calendar.js";
import { instantMs } from "./check-instant.js";
import { businessMsBetween, compiledCalendar } from "./compile-calendar.js";

/**
 * Open time of `cal` between `a` and `b`, in ms. Negative when `b` is before `a`
 * (`businessTimeBetween(b, a) === -businessTimeBetween(a, b)`).
 *
 * @example
 * // Monday 11:00 → 14:00 in a calendar with a 12–13 lunch break
 * businessTimeBetween(new Date("2025-06-16T11:00:00+09:00"), new Date("2025-06-16T14:00:00+09:00"), cal); // 7_200_000
 */
export function businessTimeBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  return businessMsBetween(compiledCalendar(cal), instantMs(a, "a"), instantMs(b, "b"));
}
