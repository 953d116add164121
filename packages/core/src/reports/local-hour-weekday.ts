/** Hour of day and weekday of an instant in a time zone, cached per 15 minutes (Intl is slow). */

const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const QUARTER_HOUR = 900_000;

/**
 * A function giving `[hour 0–23, weekday 0 = Monday … 6 = Sunday]` of an epoch-ms instant in
 * `timeZone`. Every zone offset and DST switch in use falls on a quarter hour, so one Intl call
 * per quarter hour is exact.
 *
 * @example
 * localHourWeekday("Asia/Seoul")(Date.UTC(2025, 5, 16, 0, 30)); // [9, 0]: Monday 09:30 KST
 */
export function localHourWeekday(timeZone: string): (ms: number) => readonly [number, number] {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "numeric", weekday: "short" });
  const cache = new Map<number, readonly [number, number]>();
  return (ms) => {
    const key = Math.floor(ms / QUARTER_HOUR);
    let hit = cache.get(key);
    if (hit === undefined) {
      let hour = 0;
      let weekday = 0;
      for (const p of fmt.formatToParts(new Date(key * QUARTER_HOUR))) {
        if (p.type === "hour") hour = Number(p.value) % 24;
        else if (p.type === "weekday") weekday = WEEKDAY_INDEX[p.value] ?? 0;
      }
      hit = [hour, weekday] as const;
      cache.set(key, hit);
    }
    return hit;
  };
}
