/**
 * A cache keyed by a span of a string, looked up without slicing the span out: the feature walk
 * looks up every word and Hangul run, and a slice plus a string-keyed Map lookup per word (V8
 * hashes each new string) was a tenth of the classifier's time. Open addressing over typed
 * arrays; the caller hashes the span while scanning it.
 */

/** The cache's state; see {@link spanCache}. */
export interface SpanCache<T> {
  /** Entry index + 1 per slot, 0 for an empty slot. */
  slots: Int32Array;
  /** The span hash per slot, compared before the key. */
  hashes: Int32Array;
  keys: string[];
  values: T[];
  /** Entries kept before the cache starts over (a bounded cache, like the Map it replaced). */
  limit: number;
}

/**
 * An empty cache holding up to `limit` entries; full, it is emptied and refilled.
 *
 * @example
 * const words = spanCache<number>(50_000);
 */
export function spanCache<T>(limit: number): SpanCache<T> {
  return { slots: new Int32Array(256), hashes: new Int32Array(256), keys: [], values: [], limit };
}

/**
 * The value stored for `s.slice(from, to)` whose hash (any 32-bit hash of its code units, the
 * same one every call) is `h`, or undefined.
 *
 * @example
 * spanGet(words, text, 4, 10, hashOfSpan)
 */
export function spanGet<T>(c: SpanCache<T>, s: string, from: number, to: number, h: number): T | undefined {
  const mask = c.slots.length - 1;
  const len = to - from;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const e = c.slots[slot]!;
    if (e === 0) return undefined;
    if (c.hashes[slot] !== (h | 0)) continue;
    const key = c.keys[e - 1]!;
    if (key.length !== len) continue;
    let i = 0;
    while (i < len && key.charCodeAt(i) === s.charCodeAt(from + i)) i++;
    if (i === len) return c.values[e - 1];
  }
}

function place(c: SpanCache<unknown>, h: number, entry: number): void {
  const mask = c.slots.length - 1;
  let slot = h & mask;
  while (c.slots[slot] !== 0) slot = (slot + 1) & mask;
  c.slots[slot] = entry + 1;
  c.hashes[slot] = h;
}

/**
 * Stores `value` for `key` (not already stored) with its span hash `h`.
 *
 * @example
 * spanSet(words, "refund", hashOfSpan, info)
 */
export function spanSet<T>(c: SpanCache<T>, key: string, h: number, value: T): void {
  if (c.keys.length >= c.limit) {
    c.keys.length = 0;
    c.values.length = 0;
    c.slots.fill(0);
  }
  // Kept at most half full, so probes stay short.
  if ((c.keys.length + 1) * 2 > c.slots.length) {
    const old = c.hashes;
    const oldSlots = c.slots;
    c.slots = new Int32Array(oldSlots.length * 2);
    c.hashes = new Int32Array(oldSlots.length * 2);
    for (let s = 0; s < oldSlots.length; s++) if (oldSlots[s] !== 0) place(c, old[s]!, oldSlots[s]! - 1);
  }
  c.keys.push(key);
  c.values.push(value);
  place(c, h | 0, c.keys.length - 1);
}
