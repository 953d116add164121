/** Median, p90 and a bucketed distribution of durations: the shape every time metric reports. */

/** One bucket of a duration distribution: durations `< upToMs` (null: the open-ended last bucket). */
export interface DurationBucket {
  label: string;
  upToMs: number | null;
  count: number;
}

/** Summary of a set of durations in ms; statistics are null when there is none. */
export interface DurationStats {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  meanMs: number | null;
  buckets: DurationBucket[];
}

const MIN = 60_000;
/** Default bucket bounds: 15 min, 1 h, 4 h, 8 h, 24 h, 48 h, 7 days. */
export const DEFAULT_DURATION_BUCKETS_MS: readonly number[] = [
  15 * MIN,
  60 * MIN,
  240 * MIN,
  480 * MIN,
  1440 * MIN,
  2880 * MIN,
  10_080 * MIN,
];

function short(ms: number): string {
  if (ms % (1440 * MIN) === 0) return `${ms / (1440 * MIN)}d`;
  if (ms % (60 * MIN) === 0) return `${ms / (60 * MIN)}h`;
  return `${Math.round(ms / MIN)}m`;
}

/**
 * The `q` quantile (0–1) of ascending `sorted` values by linear interpolation between ranks,
 * the same definition as PostgreSQL's `percentile_cont`, so a later SQL report agrees.
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Count, median, p90, mean and bucket counts of `durationsMs` (the array is not changed).
 *
 * @example
 * durationStats([60_000, 120_000, 7_200_000]).medianMs; // 120_000
 */
export function durationStats(
  durationsMs: readonly number[],
  bucketsMs: readonly number[] = DEFAULT_DURATION_BUCKETS_MS,
): DurationStats {
  const sorted = Float64Array.from(durationsMs).sort();
  const bounds = [...bucketsMs].sort((a, b) => a - b);
  const buckets: DurationBucket[] = bounds.map((upToMs, i) => ({
    label: i === 0 ? `<${short(upToMs)}` : `${short(bounds[i - 1]!)}-${short(upToMs)}`,
    upToMs,
    count: 0,
  }));
  buckets.push({ label: bounds.length ? `>=${short(bounds[bounds.length - 1]!)}` : "all", upToMs: null, count: 0 });
  let sum = 0;
  let b = 0;
  for (const v of sorted) {
    sum += v;
    while (b < bounds.length && v >= bounds[b]!) b++;
    buckets[b]!.count++;
  }
  const n = sorted.length;
  return {
    count: n,
    medianMs: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    meanMs: n ? sum / n : null,
    buckets,
  };
}
