/**
 * The SLA engine: replays a ticket's history against its policy and reports each metric's state,
 * the events (warnings, breaches, …) of an evaluation window, and when to look again. Pure.
 */
import { invalidInput } from "../errors.js";
import type { BusinessCalendar } from "../calendar/business-calendar.js";
import type { CompiledCalendar } from "../calendar/compile-calendar.js";
import { addBusinessMs, businessMsBetween, compiledCalendar } from "../calendar/compile-calendar.js";
import { selectPolicy } from "./select-policy.js";
import type { SlaEscalation, SlaPolicy, SlaTarget } from "./sla-policy.js";
import { DEFAULT_SLA_PAUSES } from "./sla-policy.js";
import type { Category, Priority, SlaHistoryEvent, SlaMetric, TicketStatus } from "./types.js";
import { SLA_METRICS } from "./types.js";

/** State of one metric: `inactive` when it has no target now (or never started). */
export type SlaMetricStatus = "active" | "paused" | "fulfilled" | "breached" | "inactive";

/**
 * One metric in an {@link SlaEvaluation}: its latest cycle (`next_reply` and the update metrics
 * run one cycle per reply).
 *
 * @example
 * const fr = evaluation.metrics.find((m) => m.metric === "first_reply");
 * if (fr?.status === "active") console.log("due", fr.dueAt);
 */
export interface SlaMetricState {
  metric: SlaMetric;
  status: SlaMetricStatus;
  /** 1 for the first cycle of the metric; 0 when it never started. */
  cycle: number;
  startedAt: Date | null;
  /**
   * The deadline. Active: when it breaches if nothing happens. Paused: when it would breach if the
   * clock resumed at `now`. Fulfilled: the deadline that was in force. Breached: the breach instant.
   */
  dueAt: Date | null;
  /** Time the metric's clock has run up to `now` (or fulfilment), in the target's time kind (business ms or calendar ms). */
  businessTimeUsedMs: number;
  /** The target in force now, in ms; null without a target. */
  targetMs: number | null;
  time: "business" | "calendar" | null;
  breachedAt?: Date;
  fulfilledAt?: Date;
}

/** Kinds of {@link SlaEvent}. `apply`: a policy took effect (or was removed: `policyId: null`). */
export type SlaEventType = "apply" | "activate" | "pause" | "resume" | "warn" | "fulfill" | "breach";

/**
 * Something that happened to the SLA of a ticket. Warn and breach events carry the policy's
 * matching escalations.
 *
 * @example
 * for (const e of evaluation.events) if (e.type === "breach") notify(e.metric, e.escalations);
 */
export interface SlaEvent {
  type: SlaEventType;
  metric?: SlaMetric;
  at: Date;
  cycle?: number;
  policyId?: string | null;
  escalations?: SlaEscalation[];
}

/**
 * The result of {@link evaluateSla}.
 *
 * @example
 * if (evaluation.nextDueAt) scheduler.schedule({ at: evaluation.nextDueAt, job: "sla", ticketId });
 */
export interface SlaEvaluation {
  /** The policy in force at `now`, or null. */
  policyId: string | null;
  /** All six metrics, in the order of `SLA_METRICS`. */
  metrics: SlaMetricState[];
  /** The earliest warning or breach after `now` of a running metric: when to evaluate again. */
  nextDueAt: Date | null;
  /** Events with `at` in (previous.evaluatedAt, now], oldest first. */
  events: SlaEvent[];
}

// ---------------------------------------------------------------------------------------------
// Replay of the history into metric cycles (independent of targets).
//
// The hot path of every ticket change: written as module-level functions over a state object (no
// closures or arrays made per call) and allocating only what the result holds.

const SOLVED = (s: TicketStatus): boolean => s === "solved" || s === "closed";
const RESOLUTION_METRICS: readonly SlaMetric[] = ["requester_wait", "agent_work"];
const AGENT_ONLY: readonly ("agent" | "bot" | "system")[] = ["agent"];

interface Cycle {
  metric: SlaMetric;
  cycle: number;
  startedAt: number;
  /** Closed running segments `[from, to)`, flattened; `endsByFulfil[i]` for segment i. */
  segs: number[];
  endsByFulfil: boolean[];
  runningSince: number | null;
  fulfilledAt: number | null;
}

interface Context {
  at: number;
  policy: SlaPolicy | null;
  priority: Priority;
}

interface Lifecycle {
  type: "activate" | "pause" | "resume" | "fulfill";
  at: number;
  cycle: Cycle;
}

interface Replay {
  cycles: Cycle[];
  latest: Map<SlaMetric, Cycle>;
  contexts: Context[];
  applies: Array<{ at: number; policyId: string | null }>;
  lifecycle: Lifecycle[];
}

/** The ticket as the replay has reached it. */
interface ReplayState {
  r: Replay;
  list: readonly SlaPolicy[] | null;
  single: SlaPolicy | null;
  status: TicketStatus;
  priority: Priority;
  category: Category;
  channel: string;
  tags: readonly string[];
  customer: Record<string, unknown> | undefined;
  pinned: string | null;
  policy: SlaPolicy | null;
  replied: boolean;
}

function choose(s: ReplayState): SlaPolicy | null {
  if (s.single !== null) return s.pinned === null || s.pinned === s.single.id ? s.single : null;
  const list = s.list!;
  if (s.pinned !== null) {
    for (const p of list) if (p.id === s.pinned) return p;
    return null;
  }
  return selectPolicy(list, { category: s.category, priority: s.priority, channel: s.channel, tags: s.tags, customer: s.customer });
}

function shouldRun(s: ReplayState, metric: SlaMetric): boolean {
  const paused = s.policy?.pauses?.[metric] ?? DEFAULT_SLA_PAUSES[metric];
  return paused.length === 0 || !paused.includes(s.status);
}

function openCycle(s: ReplayState, metric: SlaMetric): Cycle | null {
  const c = s.r.latest.get(metric);
  return c !== undefined && c.fulfilledAt === null ? c : null;
}

function start(s: ReplayState, metric: SlaMetric, at: number): void {
  const r = s.r;
  const prev = r.latest.get(metric);
  const c: Cycle = { metric, cycle: (prev?.cycle ?? 0) + 1, startedAt: at, segs: [], endsByFulfil: [], runningSince: null, fulfilledAt: null };
  r.cycles.push(c);
  r.latest.set(metric, c);
  r.lifecycle.push({ type: "activate", at, cycle: c });
  if (shouldRun(s, metric)) c.runningSince = at;
  else r.lifecycle.push({ type: "pause", at, cycle: c });
}

function stop(c: Cycle, at: number, byFulfil: boolean): void {
  if (c.runningSince !== null) {
    c.segs.push(c.runningSince, at);
    c.endsByFulfil.push(byFulfil);
    c.runningSince = null;
  }
}

function fulfil(s: ReplayState, metric: SlaMetric, at: number): void {
  const c = openCycle(s, metric);
  if (c === null) return;
  stop(c, at, true);
  c.fulfilledAt = at;
  s.r.lifecycle.push({ type: "fulfill", at, cycle: c });
}

function syncRunning(s: ReplayState, at: number): void {
  for (const c of s.r.latest.values()) {
    if (c.fulfilledAt !== null) continue;
    const run = shouldRun(s, c.metric);
    if (run && c.runningSince === null) {
      c.runningSince = at;
      s.r.lifecycle.push({ type: "resume", at, cycle: c });
    } else if (!run && c.runningSince !== null) {
      stop(c, at, false);
      s.r.lifecycle.push({ type: "pause", at, cycle: c });
    }
  }
}

function isReply(s: ReplayState, e: Extract<SlaHistoryEvent, { type: "message" }>): boolean {
  if (e.direction !== "outbound") return false;
  const rc = s.policy?.replyCounts;
  if (!(rc?.authorKinds ?? AGENT_ONLY).includes(e.authorKind as "agent")) return false;
  if (!e.public && rc?.includePrivate !== true) return false;
  if (e.autoAck === true && rc?.includeAutoAck !== true) return false;
  return rc?.anyChannel === true || e.channel === s.channel;
}

function recontext(s: ReplayState, at: number): void {
  const r = s.r;
  const next = choose(s);
  const last = r.contexts[r.contexts.length - 1];
  if (last !== undefined && last.policy === next && last.priority === s.priority) return;
  if (last === undefined ? next !== null : last.policy !== next) r.applies.push({ at, policyId: next?.id ?? null });
  s.policy = next;
  r.contexts.push({ at, policy: next, priority: s.priority });
}

/** The history at or before `nowMs`, in time order (ties in array order), with each event's instant. */
function ordered(history: readonly SlaHistoryEvent[], nowMs: number): { events: readonly SlaHistoryEvent[]; ats: number[] } {
  const ats: number[] = [];
  let inOrder = true;
  for (let i = 0; i < history.length; i++) {
    const at = history[i]!.at.getTime();
    // Not `at > nowMs`: an invalid Date (NaN) is left out, as by the sort below.
    if (!(at <= nowMs) || (i > 0 && at < ats[i - 1]!)) {
      inOrder = false;
      break;
    }
    ats.push(at);
  }
  if (inOrder) return { events: history, ats };
  const sorted = history
    .map((e, i) => ({ e, i, at: e.at.getTime() }))
    .filter((x) => x.at <= nowMs)
    .sort((a, b) => a.at - b.at || a.i - b.i);
  return { events: sorted.map((x) => x.e), ats: sorted.map((x) => x.at) };
}

function replay(history: readonly SlaHistoryEvent[], policies: readonly SlaPolicy[] | SlaPolicy, nowMs: number): Replay {
  const { events, ats } = ordered(history, nowMs);
  let created = -1;
  for (let k = 0; k < events.length; k++) {
    if (events[k]!.type === "created") {
      created = k;
      break;
    }
  }
  if (created < 0) throw invalidInput("SLA history has no `created` event at or before now", ["history"]);

  const c0 = events[created] as Extract<SlaHistoryEvent, { type: "created" }>;
  const r: Replay = { cycles: [], latest: new Map(), contexts: [], applies: [], lifecycle: [] };
  const isList = Array.isArray(policies);
  const s: ReplayState = {
    r,
    list: isList ? (policies as readonly SlaPolicy[]) : null,
    single: isList ? null : (policies as SlaPolicy),
    status: c0.status,
    priority: c0.priority,
    category: c0.category,
    channel: c0.channel,
    tags: c0.tags,
    customer: c0.customer,
    pinned: null,
    policy: null,
    replied: false,
  };

  const t0 = ats[created]!;
  recontext(s, t0);
  start(s, "first_reply", t0);
  for (const m of RESOLUTION_METRICS) start(s, m, t0);
  if (SOLVED(s.status)) for (const m of SLA_METRICS) fulfil(s, m, t0);

  for (let k = created + 1; k < events.length; k++) {
    const e = events[k]!;
    const at = ats[k]!;
    switch (e.type) {
      case "created":
        break; // a second creation is ignored
      case "status": {
        const was = s.status;
        s.status = e.status;
        if (!SOLVED(was) && SOLVED(s.status)) {
          for (const m of SLA_METRICS) fulfil(s, m, at);
        } else if (SOLVED(was) && !SOLVED(s.status)) {
          if (openCycle(s, "next_reply") === null) start(s, "next_reply", at);
          if (s.policy?.reopenRearmsResolution !== false) {
            for (const m of RESOLUTION_METRICS) {
              const c = r.latest.get(m);
              if (c !== undefined && c.fulfilledAt !== null) {
                c.fulfilledAt = null;
                r.lifecycle.push({ type: "activate", at, cycle: c });
                if (!shouldRun(s, m)) r.lifecycle.push({ type: "pause", at, cycle: c });
                else c.runningSince = at;
              }
            }
          }
        }
        break;
      }
      case "message": {
        if (SOLVED(s.status)) break;
        if (isReply(s, e)) {
          s.replied = true;
          fulfil(s, "first_reply", at);
          fulfil(s, "next_reply", at);
          fulfil(s, "periodic_update", at);
          fulfil(s, "pausable_update", at);
          start(s, "periodic_update", at);
          start(s, "pausable_update", at);
        } else if (e.direction === "inbound" && e.authorKind === "customer" && s.replied && openCycle(s, "next_reply") === null) {
          start(s, "next_reply", at);
        }
        break;
      }
      case "priority":
        s.priority = e.priority;
        break;
      case "fields":
        if (e.category !== undefined) s.category = e.category;
        if (e.tags !== undefined) s.tags = e.tags;
        if (e.channel !== undefined) s.channel = e.channel;
        break;
      case "policy":
        s.pinned = e.policyId;
        break;
    }
    recontext(s, at);
    syncRunning(s, at);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Targets on top of the cycles: warn and breach instants.

interface Clock {
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
function clockFor(cc: CompiledCalendar | null): Clock {
  if (cc === null) return CALENDAR_TIME_CLOCK;
  let clock = clocks.get(cc);
  if (clock === undefined) {
    clock = clockOf(cc);
    clocks.set(cc, clock);
  }
  return clock;
}

function targetOf(ctx: Context, metric: SlaMetric): SlaTarget | null {
  const t = ctx.policy?.targets;
  return t?.[ctx.priority]?.[metric] ?? t?.default?.[metric] ?? null;
}

function contextAt(contexts: readonly Context[], at: number): Context {
  let found = contexts[0]!;
  for (const c of contexts) {
    if (c.at <= at) found = c;
    else break;
  }
  return found;
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

function usedUntil(c: Cycle, t: number, kind: SlaTarget["time"], clock: Clock): number {
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
function openAt(c: Cycle, t: number, lifecycle: readonly Lifecycle[]): boolean {
  if (t < c.startedAt) return false;
  let isOpen = true;
  for (const l of lifecycle) {
    if (l.cycle !== c || l.at > t) continue;
    if (l.type === "fulfill") isOpen = false;
    else if (l.type === "activate") isOpen = true;
  }
  return isOpen;
}

/** What {@link crossing} looks for: the breach (the target) or the warning (`warnBeforeMinutes` earlier). */
type Threshold = "breach" | "warn";

function limitOf(threshold: Threshold, target: SlaTarget, ctx: Context): number | null {
  if (threshold === "breach") return target.minutes * 60_000;
  const w = ctx.policy?.warnBeforeMinutes ?? 0;
  return w > 0 ? Math.max(0, target.minutes - w) * 60_000 : null;
}

/**
 * The first instant the cycle's used time reaches the threshold's limit, following target changes;
 * possibly after now (along the running segment); +∞ when never.
 */
function crossing(c: Cycle, r: Replay, clock: Clock, threshold: Threshold): number {
  const ctxs = r.contexts;
  const n = segmentCount(c);
  // Epochs: the context in force at the start, then each later change.
  let first = 0;
  for (let i = 0; i < ctxs.length; i++) if (ctxs[i]!.at <= c.startedAt) first = i;
  for (let i = first; i < ctxs.length; i++) {
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
      if (openAt(c, eStart, r.lifecycle)) return eStart;
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

/** Whether any context from the cycle's start on gives its metric a target (else it never warns nor breaches). */
function everTargeted(c: Cycle, contexts: readonly Context[]): boolean {
  let first = 0;
  for (let i = 0; i < contexts.length; i++) if (contexts[i]!.at <= c.startedAt) first = i;
  for (let i = first; i < contexts.length; i++) if (targetOf(contexts[i]!, c.metric) !== null) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------

function escalationsFor(ctx: Context, metric: SlaMetric, on: "warn" | "breach"): SlaEscalation[] | undefined {
  const all = ctx.policy?.escalations;
  if (all === undefined || all.length === 0) return undefined;
  const list = all.filter((e) => e.on === on && (e.metrics === undefined || e.metrics.includes(metric)));
  return list.length > 0 ? list : undefined;
}

function inWindow(at: number, sinceMs: number, nowMs: number): boolean {
  return at > sinceMs && at <= nowMs;
}

function byInstant(a: SlaEvent, b: SlaEvent): number {
  return a.at.getTime() - b.at.getTime();
}

/**
 * Evaluates a ticket's SLA at `now` from its history (events after `now` are ignored).
 *
 * `policy` is one policy (applied to the ticket whatever its conditions) or an ordered list, from
 * which the first match is selected at creation and again whenever priority or fields change
 * (a `policy` history event pins a policy by id; `policyId: null` returns to selection).
 * `calendar` gives business time; with `null`, business targets are measured in calendar time.
 *
 * Semantics, per metric:
 * - `first_reply` starts at creation and is fulfilled by the first qualifying reply (see `replyCounts`).
 * - `next_reply` starts at a customer message after an agent reply, or at a reopen, and is fulfilled by the next reply.
 * - `periodic_update` / `pausable_update` start at each reply and are fulfilled by the next one.
 * - `requester_wait` / `agent_work` run from creation until solved, paused per `pauses`, resumed on reopen.
 * - Solving fulfils every running metric. A priority, field or policy change re-targets running metrics:
 *   the new target applies from the metric's start, keeping the time already used.
 * - A warning fires `warnBeforeMinutes` before the breach (in the target's time kind), once per cycle;
 *   a breach at the due instant unless fulfilled by then. A metric fulfilled after its breach stays breached.
 *
 * Pure and deterministic; `events` holds those in (previous.evaluatedAt, now], so consecutive
 * evaluations report each event once.
 *
 * @throws StoredeskError `INVALID_INPUT` when the history has no `created` event at or before `now`.
 * @example
 * const { metrics, events, nextDueAt } = evaluateSla(history, defaultSlaPolicies(), calendar, now, { evaluatedAt: lastRun });
 */
export function evaluateSla(
  history: readonly SlaHistoryEvent[],
  policy: SlaPolicy | readonly SlaPolicy[],
  calendar: BusinessCalendar | null,
  now: Date,
  previous?: { evaluatedAt: Date },
): SlaEvaluation {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw invalidInput("now is an invalid Date", ["now"]);
  const sinceMs = previous === undefined ? Number.NEGATIVE_INFINITY : previous.evaluatedAt.getTime();
  const r = replay(history, policy, nowMs);
  const clock = clockFor(calendar === null ? null : compiledCalendar(calendar));
  // Only events in (sinceMs, nowMs] are reported: the others are never built.

  const all: SlaEvent[] = [];
  for (const a of r.applies) if (inWindow(a.at, sinceMs, nowMs)) all.push({ type: "apply", at: new Date(a.at), policyId: a.policyId });
  for (const l of r.lifecycle) {
    if (!inWindow(l.at, sinceMs, nowMs)) continue;
    if (targetOf(contextAt(r.contexts, l.at), l.cycle.metric) === null) continue; // unmeasured metrics stay quiet
    all.push({ type: l.type, metric: l.cycle.metric, at: new Date(l.at), cycle: l.cycle.cycle });
  }

  let nextDue = Number.POSITIVE_INFINITY;
  const breachOf = new Map<Cycle, number>();
  for (const c of r.cycles) {
    if (!everTargeted(c, r.contexts)) {
      breachOf.set(c, Number.POSITIVE_INFINITY);
      continue;
    }
    const breach = crossing(c, r, clock, "breach");
    const warn = crossing(c, r, clock, "warn");
    breachOf.set(c, breach);
    if (warn < breach && warn <= nowMs && inWindow(warn, sinceMs, nowMs)) {
      all.push({ type: "warn", metric: c.metric, at: new Date(warn), cycle: c.cycle, ...withEsc(escalationsFor(contextAt(r.contexts, warn), c.metric, "warn")) });
    }
    if (breach <= nowMs && inWindow(breach, sinceMs, nowMs)) {
      all.push({ type: "breach", metric: c.metric, at: new Date(breach), cycle: c.cycle, ...withEsc(escalationsFor(contextAt(r.contexts, breach), c.metric, "breach")) });
    }
    if (c.runningSince !== null) {
      if (warn < breach && warn > nowMs && warn < nextDue) nextDue = warn;
      if (breach > nowMs && breach < nextDue) nextDue = breach;
    }
  }

  const nowCtx = r.contexts[r.contexts.length - 1]!;
  const metrics: SlaMetricState[] = [];
  for (const metric of SLA_METRICS) {
    const c = r.latest.get(metric);
    const target = targetOf(nowCtx, metric);
    if (c === undefined) {
      metrics.push({ metric, status: "inactive", cycle: 0, startedAt: null, dueAt: null, businessTimeUsedMs: 0, targetMs: target ? target.minutes * 60_000 : null, time: target?.time ?? null });
      continue;
    }
    const breach = breachOf.get(c)!;
    const kind = target?.time ?? "calendar";
    const until = c.fulfilledAt ?? nowMs;
    const used = usedUntil(c, until, kind, clock);
    let due: number | null = null;
    if (breach <= nowMs) due = breach;
    else if (target !== null) {
      if (c.fulfilledAt !== null) due = clock.add(c.fulfilledAt, target.minutes * 60_000 - usedUntil(c, c.fulfilledAt, kind, clock), kind);
      else if (c.runningSince !== null) due = breach;
      else due = clock.add(nowMs, target.minutes * 60_000 - used, kind);
    }
    const status: SlaMetricStatus =
      breach <= nowMs ? "breached" : target === null ? "inactive" : c.fulfilledAt !== null ? "fulfilled" : c.runningSince !== null ? "active" : "paused";
    const state: SlaMetricState = {
      metric,
      status,
      cycle: c.cycle,
      startedAt: new Date(c.startedAt),
      dueAt: due === null || !Number.isFinite(due) ? null : new Date(due),
      businessTimeUsedMs: used,
      targetMs: target ? target.minutes * 60_000 : null,
      time: target?.time ?? null,
    };
    if (breach <= nowMs) state.breachedAt = new Date(breach);
    if (c.fulfilledAt !== null) state.fulfilledAt = new Date(c.fulfilledAt);
    metrics.push(state);
  }

  // Oldest first, ties in the order found (a stable sort; most windows are in order already).
  let inOrder = true;
  for (let i = 1; i < all.length && inOrder; i++) if (all[i]!.at.getTime() < all[i - 1]!.at.getTime()) inOrder = false;
  if (!inOrder) all.sort(byInstant);

  return {
    policyId: nowCtx.policy?.id ?? null,
    metrics,
    nextDueAt: Number.isFinite(nextDue) ? new Date(nextDue) : null,
    events: all,
  };
}

function withEsc(escalations: SlaEscalation[] | undefined): { escalations?: SlaEscalation[] } {
  return escalations === undefined ? {} : { escalations };
}
