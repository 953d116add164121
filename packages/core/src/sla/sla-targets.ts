/**
 * Targets on top of a fold's cycles: business or calendar clocks, time used, and the warn and
 * breach instants (following target changes). Internal to the SLA engine; pure.
 */
import type { CompiledCalendar } from "../calendar/compile-calendar.js";
import { addBusinessMs, businessMsBetween } from "../calendar/compile-calendar.js";
import type { Context, Cycle } from "./sla-fold.js";
import type { SlaTarget } from "./sla-policy.js";
import type { SlaMetric } from "./types.js";

/** Adds and measures time in a target's kind (business or calendar). */
export interface Clock {
  add(from: number, ms: number, kind: SlaTarget["time"]): number;
  between(a: number, b: number, kind: SlaTarget["time"]): number;
}

function clockOf(cc: CompiledCalendar | null): Clock {
  return {
    add(from, ms, kind) {
      if (ms <= 0) return from;
      if (kind === "calendar" || cc === null) return from + ms;
      const r = addBusinessMs(cc, from, ms);
      return Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
    },
    between(a, b, kind) {
      if (b <= a) return 0;
      if (b === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
      return kind === "calendar" || cc === null ? b - a : businessMsBetween(cc, a, b);
    },
  };
}

/** Clocks are made once per calendar (and once without one). */
const CALENDAR_TIME_CLOCK = clockOf(null);
const clocks = new WeakMap<CompiledCalendar, Clock>();

/**
 * The clock of a compiled calendar (null: calendar time for every target).
 *
 * @example
 * const clock = clockFor(compiledCalendar(calendar));
 */
export function clockFor(cc: CompiledCalendar | null): Clock {
  if (cc === null) return CALENDAR_TIME_CLOCK;
  let clock = clocks.get(cc);
  if (clock === undefined) {
    clock = clockOf(cc);
    clocks.set(cc, clock);
  }
  return clock;
}

/**
 * The target of a metric in a context (the priority's, else the default), or null.
 *
 * @example
 * const target = targetOf(context, "first_reply");
 */
export function targetOf(ctx: Context, metric: SlaMetric): SlaTarget | null {
  const t = ctx.policy?.targets;
  return t?.[ctx.priority]?.[metric] ?? t?.default?.[metric] ?? null;
}

/** Index of the last context at or before `at` (0 when none is). Contexts are in time order. */
function contextIndexAt(contexts: readonly Context[], at: number): number {
  let lo = 0;
  let hi = contexts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (contexts[mid]!.at <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The context in force at `at` (the first one when `at` is before all).
 *
 * @example
 * const ctx = contextAt(fold.contexts, breachAt);
 */
export function contextAt(contexts: readonly Context[], at: number): Context {
  return contexts[contextIndexAt(contexts, at)]!;
}

// A cycle's running segments are its closed ones (`segs`, flattened pairs) and, while it runs, an
// open one from `runningSince` to +∞; they are read in place, index `j` < segmentCount(c).

function segmentCount(c: Cycle): number {
  return c.segs.length / 2 + (c.runningSince !== null ? 1 : 0);
}
function segFrom(c: Cycle, j: number): number {
  return 2 * j < c.segs.length ? c.segs[2 * j]! : c.runningSince!;
}
function segTo(c: Cycle, j: number): number {
  return 2 * j < c.segs.length ? c.segs[2 * j + 1]! : Number.POSITIVE_INFINITY;
}
function segByFulfil(c: Cycle, j: number): boolean {
  return 2 * j < c.segs.length ? c.endsByFulfil[j]! : false;
}

/**
 * Time the cycle's clock ran before `t`, in the given time kind.
 *
 * @example
 * const used = usedUntil(cycle, now, "business", clock);
 */
export function usedUntil(c: Cycle, t: number, kind: SlaTarget["time"], clock: Clock): number {
  let used = 0;
  const n = segmentCount(c);
  for (let j = 0; j < n; j++) {
    const from = segFrom(c, j);
    if (from >= t) break;
    used += clock.between(from, Math.min(segTo(c, j), t), kind);
  }
  return used;
}

/** Whether the cycle is started and not fulfilled at `t` (a reopened resolution cycle may have been fulfilled earlier). */
function openAt(c: Cycle, t: number): boolean {
  if (t < c.startedAt) return false;
  let isOpen = true;
  const o = c.opens;
  for (let i = 0; i < o.length && o[i]! <= t; i += 2) isOpen = o[i + 1] === 1;
  return isOpen;
}

/** What {@link crossing} looks for: the breach (the target) or the warning (`warnBeforeMinutes` earlier). */
export type Threshold = "breach" | "warn";

function limitOf(threshold: Threshold, target: SlaTarget, ctx: Context): number | null {
  if (threshold === "breach") return target.minutes * 60_000;
  const w = ctx.policy?.warnBeforeMinutes ?? 0;
  return w > 0 ? Math.max(0, target.minutes - w) * 60_000 : null;
}

/**
 * The first instant the cycle's used time reaches the threshold's limit, following target changes;
 * possibly after now (along the running segment); +∞ when never.
 *
 * @example
 * const breachAt = crossing(cycle, fold.contexts, clock, "breach");
 */
export function crossing(c: Cycle, ctxs: readonly Context[], clock: Clock, threshold: Threshold): number {
  const n = segmentCount(c);
  // Epochs: the context in force at the start, then each later change.
  for (let i = contextIndexAt(ctxs, c.startedAt); i < ctxs.length; i++) {
    const ctx = ctxs[i]!;
    const eStart = Math.max(ctx.at, c.startedAt);
    const eEnd = i + 1 < ctxs.length ? ctxs[i + 1]!.at : Number.POSITIVE_INFINITY;
    if (eEnd <= eStart) continue; // superseded at the same instant
    const target = targetOf(ctx, c.metric);
    if (target === null) continue;
    const limit = limitOf(threshold, target, ctx);
    if (limit === null) continue;
    let need = limit - usedUntil(c, eStart, target.time, clock);
    if (need <= 0) {
      if (openAt(c, eStart)) return eStart;
      // Fulfilled at the change: a reopened cycle crosses when its clock runs again.
      need = 0;
    }
    for (let j = 0; j < n; j++) {
      const to = segTo(c, j);
      const a = Math.max(segFrom(c, j), eStart);
      const b = Math.min(to, eEnd);
      if (b <= a) continue;
      if (need === 0) return a;
      const p = clock.add(a, need, target.time);
      if (p < b) return p;
      if (p === b) {
        // The limit is reached exactly as the segment ends: a pause there breaches, a fulfilment
        // there is in time (a later reopen then crosses at once), an epoch end defers to the next epoch.
        if (b === to && !segByFulfil(c, j)) return p;
        need = 0;
        continue;
      }
      need -= clock.between(a, b, target.time);
    }
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Whether any context from the cycle's start on gives its metric a target (else it never warns nor breaches).
 *
 * @example
 * if (!everTargeted(cycle, fold.contexts)) continue;
 */
export function everTargeted(c: Cycle, contexts: readonly Context[]): boolean {
  for (let i = contextIndexAt(contexts, c.startedAt); i < contexts.length; i++)
    if (targetOf(contexts[i]!, c.metric) !== null) return true;
  return false;
}
