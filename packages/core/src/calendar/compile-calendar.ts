/**
 * The fast internal form of a business calendar. A "day block" is the span of UTC time of one local
 * date (from its local midnight to the next) with its open time as absolute UTC ms ranges; blocks are
 * built once with a few Intl calls and cached, so walking the calendar costs one Map lookup per day.
 */
import type { BusinessCalendar, TimeInterval } from "./business-calendar.js";
import { WEEKDAYS } from "./business-calendar.js";
import { zoneOffsetMs } from "./zone-offset.js";

/** Milliseconds in a day of 24 hours. */
export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Searches give up after this many consecutive closed days (about three years). */
export const MAX_CLOSED_DAYS = 1100;
/** Day blocks kept per calendar; the oldest is dropped beyond that (FIFO). */
const MAX_CACHED_DAYS = 8192;

/** One local date of a calendar as absolute time. */
export interface DayBlock {
  /** Local day number: days since 1970-01-01 in the calendar's zone. */
  readonly day: number;
  /** UTC ms of the first instant of the local date (inclusive). */
  readonly start: number;
  /** UTC ms of the first instant of the next local date (exclusive). */
  readonly end: number;
  /** Open time as sorted, disjoint `[from, to)` pairs of UTC ms, flattened. */
  readonly ranges: readonly number[];
}

/** The precompiled calendar. Internal; obtained with {@link compiledCalendar}. */
export interface CompiledCalendar {
  readonly id: string;
  readonly timeZone: string;
  /** Per weekday, Monday = 0: flattened `[startMinute, endMinute)`; end may exceed 1440 (crosses midnight). */
  readonly weekly: ReadonlyArray<readonly number[]>;
  readonly holidayDays: ReadonlySet<number>;
  /** `month * 100 + day` of yearly holidays. */
  readonly yearly: ReadonlySet<number>;
  /** Inclusive `[fromDay, toDay]` pairs, flattened. */
  readonly holidayRanges: readonly number[];
  readonly exceptions: ReadonlyMap<number, readonly number[]>;
  readonly days: Map<number, DayBlock>;
  /** Last seen offset, to guess the local day of an instant. */
  guessOffset: number;
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function compileIntervals(intervals: readonly TimeInterval[]): number[] {
  const out: number[] = [];
  for (const iv of intervals) {
    const s = minutes(iv.start);
    let e = minutes(iv.end);
    if (e <= s) e += 1440;
    out.push(s, e);
  }
  return out;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumberOf(date: string): number {
  const t = new Date(Date.UTC(2000, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
  t.setUTCFullYear(Number(date.slice(0, 4)));
  return Math.round(t.getTime() / DAY_MS);
}

const compiledByCalendar = new WeakMap<BusinessCalendar, CompiledCalendar>();

/**
 * The compiled form of a calendar, built on first use and remembered per calendar object.
 * The calendar is trusted to be valid (use {@link defineCalendar} at the edge).
 */
export function compiledCalendar(cal: BusinessCalendar): CompiledCalendar {
  let cc = compiledByCalendar.get(cal);
  if (cc === undefined) {
    cc = compile(cal);
    compiledByCalendar.set(cal, cc);
  }
  return cc;
}

function compile(cal: BusinessCalendar): CompiledCalendar {
  const holidayDays = new Set<number>();
  const yearly = new Set<number>();
  const holidayRanges: number[] = [];
  for (const h of cal.holidays) {
    if ("date" in h) holidayDays.add(dayNumberOf(h.date));
    else if ("yearly" in h) yearly.add(Number(h.yearly.slice(0, 2)) * 100 + Number(h.yearly.slice(3, 5)));
    else holidayRanges.push(dayNumberOf(h.from), dayNumberOf(h.to));
  }
  const exceptions = new Map<number, number[]>();
  for (const e of cal.exceptions) exceptions.set(dayNumberOf(e.date), compileIntervals(e.intervals));
  return {
    id: cal.id,
    timeZone: cal.timeZone,
    weekly: WEEKDAYS.map((w) => compileIntervals(cal.weekly[w])),
    holidayDays,
    yearly,
    holidayRanges,
    exceptions,
    days: new Map(),
    guessOffset: zoneOffsetMs(cal.timeZone, 0),
  };
}

function isHoliday(cc: CompiledCalendar, day: number): boolean {
  if (cc.holidayDays.has(day)) return true;
  if (cc.yearly.size > 0) {
    const d = new Date(day * DAY_MS);
    if (cc.yearly.has((d.getUTCMonth() + 1) * 100 + d.getUTCDate())) return true;
  }
  const r = cc.holidayRanges;
  for (let i = 0; i < r.length; i += 2) if (day >= r[i]! && day <= r[i + 1]!) return true;
  return false;
}

/** Opening intervals (minutes from local midnight) that start on local day `day`. */
function intervalsOfDay(cc: CompiledCalendar, day: number): readonly number[] {
  const ex = cc.exceptions.get(day);
  if (ex !== undefined) return ex;
  if (isHoliday(cc, day)) return [];
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return cc.weekly[(((day + 3) % 7) + 7) % 7]!;
}

/** Finds the first instant in (lo, hi] whose offset differs from the offset at lo (second precision). */
function transitionBetween(timeZone: string, lo: number, hi: number, offLo: number): number {
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const m = Math.floor((a + b) / 2);
    if (zoneOffsetMs(timeZone, m * 1000) === offLo) a = m;
    else b = m;
  }
  return b * 1000;
}

/** First instant whose local wall-clock time is at or after local ms `x` (x = local day number × DAY_MS). */
function firstInstantAtLocal(cc: CompiledCalendar, x: number): number {
  const HOURS_18 = 18 * 3_600_000;
  const oE = zoneOffsetMs(cc.timeZone, x - HOURS_18);
  const oL = zoneOffsetMs(cc.timeZone, x + HOURS_18);
  if (oE === oL) return x - oE;
  const t = transitionBetween(cc.timeZone, x - HOURS_18, x + HOURS_18, oE);
  if (x - oE < t) return x - oE;
  return Math.max(t, x - oL);
}

function buildBlock(cc: CompiledCalendar, day: number): DayBlock {
  const prev = cc.days.get(day - 1);
  const next = cc.days.get(day + 1);
  const start = prev !== undefined ? prev.end : firstInstantAtLocal(cc, day * DAY_MS);
  const end = next !== undefined ? next.start : firstInstantAtLocal(cc, (day + 1) * DAY_MS);
  // Offset-constant segments of [start, end): one, or two on a DST-transition day.
  const segs: number[] = [];
  const oA = zoneOffsetMs(cc.timeZone, start);
  const oB = zoneOffsetMs(cc.timeZone, end - 1);
  if (oA === oB) segs.push(start, end, oA);
  else {
    const t = transitionBetween(cc.timeZone, start, end - 1, oA);
    segs.push(start, t, oA, t, end, oB);
  }
  cc.guessOffset = day * DAY_MS - start;
  // An instant is open when its local wall-clock time lies in an opening interval. Intervals of
  // days day-2 .. day+1 can reach local times inside this block (they last under 48 h, offsets shift a few hours).
  const raw: number[] = [];
  for (let k = day - 2; k <= day + 1; k++) {
    const ivs = intervalsOfDay(cc, k);
    for (let i = 0; i < ivs.length; i += 2) {
      const ls = k * DAY_MS + ivs[i]! * MINUTE_MS;
      const le = k * DAY_MS + ivs[i + 1]! * MINUTE_MS;
      for (let j = 0; j < segs.length; j += 3) {
        const o = segs[j + 2]!;
        const from = Math.max(ls - o, segs[j]!);
        const to = Math.min(le - o, segs[j + 1]!);
        if (to > from) raw.push(from, to);
      }
    }
  }
  const ranges: number[] = [];
  if (raw.length > 0) {
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
    pairs.sort((p, q) => p[0] - q[0]);
    for (const [f, t] of pairs) {
      const last = ranges.length - 1;
      if (last > 0 && f <= ranges[last]!) ranges[last] = Math.max(ranges[last]!, t);
      else ranges.push(f, t);
    }
  }
  return { day, start, end, ranges };
}

/** The block of local day `day`, from the cache or built. */
export function dayBlock(cc: CompiledCalendar, day: number): DayBlock {
  let b = cc.days.get(day);
  if (b === undefined) {
    b = buildBlock(cc, day);
    if (cc.days.size >= MAX_CACHED_DAYS) {
      const oldest = cc.days.keys().next();
      if (oldest.done !== true) cc.days.delete(oldest.value);
    }
    cc.days.set(day, b);
  }
  return b;
}

/** The block containing instant `t` (UTC ms). */
export function blockAt(cc: CompiledCalendar, t: number): DayBlock {
  let d = Math.floor((t + cc.guessOffset) / DAY_MS);
  let b = dayBlock(cc, d);
  while (t < b.start) b = dayBlock(cc, --d);
  while (t >= b.end) b = dayBlock(cc, ++d);
  return b;
}

/**
 * `start + durationMs` of open time, in UTC ms. NaN when the calendar stays closed for
 * {@link MAX_CLOSED_DAYS} days in a row. A negative duration walks backwards.
 */
export function addBusinessMs(cc: CompiledCalendar, start: number, durationMs: number): number {
  if (durationMs === 0) return start;
  let b = blockAt(cc, start);
  let d = b.day;
  let rem = durationMs;
  let closed = 0;
  if (rem > 0) {
    for (;;) {
      const r = b.ranges;
      for (let i = 0; i < r.length; i += 2) {
        const re = r[i + 1]!;
        if (re <= start) continue;
        const rs = r[i]!;
        const s = rs > start ? rs : start;
        const avail = re - s;
        if (rem <= avail) return s + rem;
        rem -= avail;
      }
      if (r.length === 0) {
        if (++closed > MAX_CLOSED_DAYS) return Number.NaN;
      } else closed = 0;
      b = dayBlock(cc, ++d);
    }
  }
  rem = -rem;
  for (;;) {
    const r = b.ranges;
    for (let i = r.length - 2; i >= 0; i -= 2) {
      const rs = r[i]!;
      if (rs >= start) continue;
      const re = r[i + 1]!;
      const e = re < start ? re : start;
      const avail = e - rs;
      if (rem <= avail) return e - rem;
      rem -= avail;
    }
    if (r.length === 0) {
      if (++closed > MAX_CLOSED_DAYS) return Number.NaN;
    } else closed = 0;
    b = dayBlock(cc, --d);
  }
}

/** Open time in [a, b) in ms; negative when b < a. */
export function businessMsBetween(cc: CompiledCalendar, a: number, b: number): number {
  if (b < a) return 0 - businessMsBetween(cc, b, a);
  let sum = 0;
  let blk = blockAt(cc, a);
  let d = blk.day;
  while (blk.start < b) {
    const r = blk.ranges;
    for (let i = 0; i < r.length; i += 2) {
      const lo = r[i]! > a ? r[i]! : a;
      const hi = r[i + 1]! < b ? r[i + 1]! : b;
      if (hi > lo) sum += hi - lo;
    }
    blk = dayBlock(cc, ++d);
  }
  return sum;
}

/** Whether instant `t` is in open time. */
export function isOpenMs(cc: CompiledCalendar, t: number): boolean {
  const r = blockAt(cc, t).ranges;
  for (let i = 0; i < r.length; i += 2) if (t >= r[i]! && t < r[i + 1]!) return true;
  return false;
}

/** `t` if open, else the start of the next open range; NaN when closed for {@link MAX_CLOSED_DAYS} days. */
export function nextOpeningMs(cc: CompiledCalendar, t: number): number {
  let b = blockAt(cc, t);
  let d = b.day;
  let closed = 0;
  for (;;) {
    const r = b.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (r[i + 1]! > t) return r[i]! > t ? r[i]! : t;
    }
    if (r.length === 0 && ++closed > MAX_CLOSED_DAYS) return Number.NaN;
    if (r.length > 0) closed = 0;
    b = dayBlock(cc, ++d);
  }
}
