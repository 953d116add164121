import { parseInput } from "../validate.js";
import type { BusinessCalendar, BusinessCalendarInput } from "./business-calendar.js";
import { BusinessCalendarSchema } from "./business-calendar.js";
import { compiledCalendar } from "./compile-calendar.js";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates a business calendar and precompiles it for fast business-time arithmetic.
 * The result is frozen (its compiled form is cached per object, so it must not change).
 *
 * @throws StoredeskError `INVALID_INPUT` with the offending field's `path`.
 * @example
 * const cal = defineCalendar({
 *   id: "seoul",
 *   timeZone: "Asia/Seoul",
 *   weekly: { mon: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }] },
 *   holidays: [{ yearly: "12-25", name: "Christmas" }],
 * });
 */
export function defineCalendar(input: BusinessCalendarInput): BusinessCalendar {
  const cal = deepFreeze(parseInput(BusinessCalendarSchema, input, "business calendar"));
  compiledCalendar(cal);
  return cal;
}
