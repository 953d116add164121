/**
 * The SLA engine: a ticket's history folded against its policy (./sla-fold.ts), and each
 * metric's state, the events (warnings, breaches, …) of an evaluation window and when to look
 * again read off the fold (targets: ./sla-targets.ts). Pure.
 */
import { invalidInput } from "../errors.js";
import type { BusinessCalendar } from "../calendar/business-calendar.js";
import { compiledCalendar } from "../calendar/compile-calendar.js";
import { slaFoldOf, type Cycle, type Context, type SlaFold } from "./sla-fold.js";
import type { SlaEscalation, SlaPolicy } from "./sla-policy.js";
import { clockFor, contextAt, crossing, everTargeted, targetOf, usedUntil } from "./sla-targets.js";
import type { SlaHistoryEvent, SlaMetric } from "./types.js";
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
  return evaluateSlaFold(slaFoldOf(history, policy, nowMs), calendar, now, previous);
}

/**
 * Evaluates a fold (see {@link startSlaFold}, {@link foldSlaEvent}) at `now`: exactly what
 * {@link evaluateSla} answers for the history folded, when every event folded is at or before
 * `now`. Reads the fold, never changes it; costs the cycles kept, not the history's length.
 *
 * @throws StoredeskError `INVALID_INPUT` when `now` is invalid, the fold has no `created` event or
 *   holds an event after `now`.
 * @example
 * const evaluation = evaluateSlaFold(fold, calendar, now, { evaluatedAt: ticketSla.evaluatedAt });
 */
export function evaluateSlaFold(
  r: SlaFold,
  calendar: BusinessCalendar | null,
  now: Date,
  previous?: { evaluatedAt: Date },
): SlaEvaluation {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw invalidInput("now is an invalid Date", ["now"]);
  if (!r.created) throw invalidInput("SLA history has no `created` event at or before now", ["history"]);
  if (r.lastAt > nowMs) throw invalidInput("The SLA fold holds an event after now", ["now"]);
  const sinceMs = previous === undefined ? Number.NEGATIVE_INFINITY : previous.evaluatedAt.getTime();
  const clock = clockFor(calendar === null ? null : compiledCalendar(calendar));
  // Only events in (sinceMs, nowMs] are reported: the others are never built.

  const all: SlaEvent[] = [];
  for (const a of r.applies)
    if (inWindow(a.at, sinceMs, nowMs)) all.push({ type: "apply", at: new Date(a.at), policyId: a.policyId });
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
    const breach = crossing(c, r.contexts, clock, "breach");
    const warn = crossing(c, r.contexts, clock, "warn");
    breachOf.set(c, breach);
    if (warn < breach && warn <= nowMs && inWindow(warn, sinceMs, nowMs)) {
      all.push({
        type: "warn",
        metric: c.metric,
        at: new Date(warn),
        cycle: c.cycle,
        ...withEsc(escalationsFor(contextAt(r.contexts, warn), c.metric, "warn")),
      });
    }
    if (breach <= nowMs && inWindow(breach, sinceMs, nowMs)) {
      all.push({
        type: "breach",
        metric: c.metric,
        at: new Date(breach),
        cycle: c.cycle,
        ...withEsc(escalationsFor(contextAt(r.contexts, breach), c.metric, "breach")),
      });
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
      metrics.push({
        metric,
        status: "inactive",
        cycle: 0,
        startedAt: null,
        dueAt: null,
        businessTimeUsedMs: 0,
        targetMs: target ? target.minutes * 60_000 : null,
        time: target?.time ?? null,
      });
      continue;
    }
    const breach = breachOf.get(c)!;
    const kind = target?.time ?? "calendar";
    const until = c.fulfilledAt ?? nowMs;
    const used = usedUntil(c, until, kind, clock);
    let due: number | null = null;
    if (breach <= nowMs) due = breach;
    else if (target !== null) {
      if (c.fulfilledAt !== null)
        due = clock.add(c.fulfilledAt, target.minutes * 60_000 - usedUntil(c, c.fulfilledAt, kind, clock), kind);
      else if (c.runningSince !== null) due = breach;
      else due = clock.add(nowMs, target.minutes * 60_000 - used, kind);
    }
    const status: SlaMetricStatus =
      breach <= nowMs
        ? "breached"
        : target === null
          ? "inactive"
          : c.fulfilledAt !== null
            ? "fulfilled"
            : c.runningSince !== null
              ? "active"
              : "paused";
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
