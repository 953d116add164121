/** Time-zone offsets from Intl, with one cached formatter per zone (Intl construction is slow). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Offset of `timeZone` from UTC at the instant `utcMs`, in ms (local = utc + offset).
 * Internal: not on the hot path; callers cache per day.
 *
 * @example
 * zoneOffsetMs("Asia/Seoul", Date.UTC(2025, 0, 1)); // 32_400_000
 */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  let y = 0,
    mo = 0,
    d = 0,
    h = 0,
    mi = 0,
    s = 0;
  for (const p of formatterFor(timeZone).formatToParts(utcMs)) {
    switch (p.type) {
      case "year":
        y = Number(p.value);
        break;
      case "month":
        mo = Number(p.value);
        break;
      case "day":
        d = Number(p.value);
        break;
      case "hour":
        h = Number(p.value);
        break;
      case "minute":
        mi = Number(p.value);
        break;
      case "second":
        s = Number(p.value);
        break;
      default:
        break;
    }
  }
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const wholeSecond = Math.floor(utcMs / 1000) * 1000;
  return local - wholeSecond;
}
