/**
 * A provider's timestamp as the time an event occurred. A value that is no date, or outside
 * years 1970–9999 (a hostile or broken sender), must not cost the event: the receive time is
 * used and the original kept, so "answered 2xx ⇒ stored" holds.
 */

const MIN_MS = 0;
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** What {@link eventTime} returns: the time to use, and `truncated` facts for `meta.truncated` when it replaced one. */
export interface EventTime {
  occurredAt: Date;
  /** `{ occurredAt: "<the original value>" }` when the receive time replaced it, else undefined. */
  truncated?: { occurredAt: string };
}

/**
 * Reads a provider timestamp: epoch `seconds`, `milliseconds`, or `auto` (below 10^12 means
 * seconds, as Meta mixes both), or a date string. Out of range → `now`, original in `truncated`.
 *
 * @example
 * eventTime("1743813734", "seconds", now)   // { occurredAt: 2025-04-05T00:42:14Z }
 * eventTime("99999999999999999999", "seconds", now) // { occurredAt: now, truncated: { occurredAt: "99999999999999999999" } }
 */
export function eventTime(
  value: number | string | null | undefined,
  unit: "seconds" | "milliseconds" | "auto",
  now: Date,
): EventTime {
  const n =
    typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  const ms = Number.isFinite(n)
    ? unit === "seconds" || (unit === "auto" && n < 1e12)
      ? n * 1000
      : n
    : typeof value === "string"
      ? Date.parse(value)
      : NaN;
  if (Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS) return { occurredAt: new Date(ms) };
  return { occurredAt: now, truncated: { occurredAt: String(value).slice(0, 100) } };
}
