/**
 * The SLA fold: a ticket's history folded event by event into metric cycles (independent of
 * targets and calendars). {@link evaluateSla} is this fold over the whole history followed by
 * {@link evaluateSlaFold}; the desk keeps a fold per ticket and adds only a change's new events,
 * so a save costs the new events, not a replay of the log.
 *
 * The hot path of every ticket change: module-level functions over a state object (no closures
 * made per event) that allocate only what the state holds.
 */
import { invalidInput } from "../errors.js";
import { selectPolicy } from "./select-policy.js";
import type { SlaPolicy } from "./sla-policy.js";
import { DEFAULT_SLA_PAUSES } from "./sla-policy.js";
import type { Category, Priority, SlaHistoryEvent, SlaMetric, TicketStatus } from "./types.js";
import { SLA_METRICS } from "./types.js";

const SOLVED = (s: TicketStatus): boolean => s === "solved" || s === "closed";
const RESOLUTION_METRICS: readonly SlaMetric[] = ["requester_wait", "agent_work"];
const AGENT_ONLY: readonly ("agent" | "bot" | "system")[] = ["agent"];

/** One cycle of one metric (internal to the SLA engine). */
export interface Cycle {
  metric: SlaMetric;
  cycle: number;
  startedAt: number;
  /** Closed running segments `[from, to)`, flattened; `endsByFulfil[i]` for segment i. */
  segs: number[];
  endsByFulfil: boolean[];
  runningSince: number | null;
  fulfilledAt: number | null;
  /** Open/closed switches `[at, 1 | 0]`, flattened: activations (1) and fulfilments (0), in time order. */
  opens: number[];
}

/** The policy and priority in force from `at` on (internal). */
export interface Context {
  at: number;
  policy: SlaPolicy | null;
  priority: Priority;
}

/** A lifecycle instant of a cycle (internal). */
export interface Lifecycle {
  type: "activate" | "pause" | "resume" | "fulfill";
  at: number;
  cycle: Cycle;
}

/**
 * A ticket's SLA history folded so far: made by {@link startSlaFold}, advanced by
 * {@link foldSlaEvent}, read by {@link evaluateSlaFold}. Opaque: its fields are the engine's.
 *
 * @example
 * const fold = startSlaFold(defaultSlaPolicies());
 * for (const e of history) foldSlaEvent(fold, e);
 * const evaluation = evaluateSlaFold(fold, calendar, now);
 */
export interface SlaFold {
  /** Every cycle still able to report an event (see {@link forgetSlaBefore}), in start order. */
  cycles: Cycle[];
  latest: Map<SlaMetric, Cycle>;
  contexts: Context[];
  applies: Array<{ at: number; policyId: string | null }>;
  lifecycle: Lifecycle[];
  /** The instant of the last event folded (−∞ before any). */
  lastAt: number;
  /** Whether the `created` event has been folded (events before it are ignored). */
  created: boolean;
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

function choose(s: SlaFold): SlaPolicy | null {
  if (s.single !== null) return s.pinned === null || s.pinned === s.single.id ? s.single : null;
  const list = s.list!;
  if (s.pinned !== null) {
    for (const p of list) if (p.id === s.pinned) return p;
    return null;
  }
  return selectPolicy(list, {
    category: s.category,
    priority: s.priority,
    channel: s.channel,
    tags: s.tags,
    customer: s.customer,
  });
}

function shouldRun(s: SlaFold, metric: SlaMetric): boolean {
  const paused = s.policy?.pauses?.[metric] ?? DEFAULT_SLA_PAUSES[metric];
  return paused.length === 0 || !paused.includes(s.status);
}

function openCycle(s: SlaFold, metric: SlaMetric): Cycle | null {
  const c = s.latest.get(metric);
  return c !== undefined && c.fulfilledAt === null ? c : null;
}

function start(s: SlaFold, metric: SlaMetric, at: number): void {
  const prev = s.latest.get(metric);
  const c: Cycle = {
    metric,
    cycle: (prev?.cycle ?? 0) + 1,
    startedAt: at,
    segs: [],
    endsByFulfil: [],
    runningSince: null,
    fulfilledAt: null,
    opens: [at, 1],
  };
  s.cycles.push(c);
  s.latest.set(metric, c);
  s.lifecycle.push({ type: "activate", at, cycle: c });
  if (shouldRun(s, metric)) c.runningSince = at;
  else s.lifecycle.push({ type: "pause", at, cycle: c });
}

function stop(c: Cycle, at: number, byFulfil: boolean): void {
  if (c.runningSince !== null) {
    c.segs.push(c.runningSince, at);
    c.endsByFulfil.push(byFulfil);
    c.runningSince = null;
  }
}

function fulfil(s: SlaFold, metric: SlaMetric, at: number): void {
  const c = openCycle(s, metric);
  if (c === null) return;
  stop(c, at, true);
  c.fulfilledAt = at;
  c.opens.push(at, 0);
  s.lifecycle.push({ type: "fulfill", at, cycle: c });
}

function syncRunning(s: SlaFold, at: number): void {
  for (const c of s.latest.values()) {
    if (c.fulfilledAt !== null) continue;
    const run = shouldRun(s, c.metric);
    if (run && c.runningSince === null) {
      c.runningSince = at;
      s.lifecycle.push({ type: "resume", at, cycle: c });
    } else if (!run && c.runningSince !== null) {
      stop(c, at, false);
      s.lifecycle.push({ type: "pause", at, cycle: c });
    }
  }
}

function isReply(s: SlaFold, e: Extract<SlaHistoryEvent, { type: "message" }>): boolean {
  if (e.direction !== "outbound") return false;
  const rc = s.policy?.replyCounts;
  if (!(rc?.authorKinds ?? AGENT_ONLY).includes(e.authorKind as "agent")) return false;
  if (!e.public && rc?.includePrivate !== true) return false;
  if (e.autoAck === true && rc?.includeAutoAck !== true) return false;
  return rc?.anyChannel === true || e.channel === s.channel;
}

function recontext(s: SlaFold, at: number): void {
  const next = choose(s);
  const last = s.contexts[s.contexts.length - 1];
  if (last !== undefined && last.policy === next && last.priority === s.priority) return;
  if (last === undefined ? next !== null : last.policy !== next) s.applies.push({ at, policyId: next?.id ?? null });
  s.policy = next;
  s.contexts.push({ at, policy: next, priority: s.priority });
}

/**
 * An empty fold for one policy (applied whatever its conditions) or an ordered list (the first
 * match is selected, as {@link evaluateSla} describes).
 *
 * @example
 * const fold = startSlaFold(defaultSlaPolicies());
 */
export function startSlaFold(policies: SlaPolicy | readonly SlaPolicy[]): SlaFold {
  const isList = Array.isArray(policies);
  return {
    cycles: [],
    latest: new Map(),
    contexts: [],
    applies: [],
    lifecycle: [],
    lastAt: Number.NEGATIVE_INFINITY,
    created: false,
    list: isList ? (policies as readonly SlaPolicy[]) : null,
    single: isList ? null : (policies as SlaPolicy),
    status: "new",
    priority: "normal",
    category: "other",
    channel: "",
    tags: [],
    customer: undefined,
    pinned: null,
    policy: null,
    replied: false,
  };
}

/**
 * Folds one event, which must not be older than the last one folded (events at one instant apply
 * in the order folded). Returns false, folding nothing, for an event out of order or with an
 * invalid date: the caller folds the whole history again ({@link slaFoldOf} sorts it).
 *
 * @example
 * if (!foldSlaEvent(fold, { type: "status", at: now, status: "solved" })) fold = slaFoldOf(history, policies, now);
 */
export function foldSlaEvent(s: SlaFold, e: SlaHistoryEvent): boolean {
  const at = e.at.getTime();
  if (!(at >= s.lastAt)) return false; // NaN too
  s.lastAt = at;
  if (!s.created) {
    if (e.type !== "created") return true; // nothing counts before the ticket exists
    s.created = true;
    s.status = e.status;
    s.priority = e.priority;
    s.category = e.category;
    s.channel = e.channel;
    s.tags = e.tags;
    s.customer = e.customer;
    recontext(s, at);
    start(s, "first_reply", at);
    for (const m of RESOLUTION_METRICS) start(s, m, at);
    if (SOLVED(s.status)) for (const m of SLA_METRICS) fulfil(s, m, at);
    return true;
  }
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
            const c = s.latest.get(m);
            if (c !== undefined && c.fulfilledAt !== null) {
              c.fulfilledAt = null;
              c.opens.push(at, 1);
              s.lifecycle.push({ type: "activate", at, cycle: c });
              if (!shouldRun(s, m)) s.lifecycle.push({ type: "pause", at, cycle: c });
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
      } else if (
        e.direction === "inbound" &&
        e.authorKind === "customer" &&
        s.replied &&
        openCycle(s, "next_reply") === null
      ) {
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
  return true;
}

/**
 * The fold of a whole history up to `nowMs` (later events and invalid dates left out; out-of-order
 * events sorted by time, ties in array order).
 *
 * @throws StoredeskError `INVALID_INPUT` when the history has no `created` event at or before `nowMs`.
 * @example
 * const fold = slaFoldOf(history, defaultSlaPolicies(), now.getTime());
 */
export function slaFoldOf(
  history: readonly SlaHistoryEvent[],
  policies: SlaPolicy | readonly SlaPolicy[],
  nowMs: number,
): SlaFold {
  const s = startSlaFold(policies);
  let inOrder = true;
  let last = Number.NEGATIVE_INFINITY;
  for (const e of history) {
    const at = e.at.getTime();
    // Not `at > nowMs`: an invalid Date (NaN) is left out, as by the sort below.
    if (!(at <= nowMs) || at < last) {
      inOrder = false;
      break;
    }
    last = at;
  }
  if (inOrder) {
    for (const e of history) foldSlaEvent(s, e);
  } else {
    const sorted = history
      .map((e, i) => ({ e, i, at: e.at.getTime() }))
      .filter((x) => x.at <= nowMs)
      .sort((a, b) => a.at - b.at || a.i - b.i);
    for (const x of sorted) foldSlaEvent(s, x.e);
  }
  if (!s.created) throw invalidInput("SLA history has no `created` event at or before now", ["history"]);
  return s;
}

/**
 * Drops what can no longer report an event in a window after `sinceMs`: finished cycles that are
 * no longer their metric's latest (only a latest cycle can be reopened), lifecycle instants and
 * policy changes at or before `sinceMs`, and the contexts before the oldest cycle kept. Keeps a
 * long-lived fold small; afterwards evaluate it only with `previous.evaluatedAt` ≥ `sinceMs`.
 *
 * @example
 * forgetSlaBefore(fold, now.getTime()); // the next evaluation's window starts at now
 */
export function forgetSlaBefore(s: SlaFold, sinceMs: number): void {
  // A finished cycle's warn and breach instants are at or before its fulfilment (see crossing).
  s.cycles = s.cycles.filter((c) => c.fulfilledAt === null || c.fulfilledAt > sinceMs || s.latest.get(c.metric) === c);
  if (s.lifecycle.length > 0 && s.lifecycle[0]!.at <= sinceMs) s.lifecycle = s.lifecycle.filter((l) => l.at > sinceMs);
  if (s.applies.length > 0 && s.applies[0]!.at <= sinceMs) s.applies = s.applies.filter((a) => a.at > sinceMs);
  let oldest = sinceMs;
  for (const c of s.cycles) if (c.startedAt < oldest) oldest = c.startedAt;
  let keep = 0;
  for (let i = 0; i < s.contexts.length; i++) if (s.contexts[i]!.at <= oldest) keep = i;
  if (keep > 0) s.contexts = s.contexts.slice(keep);
}

/**
 * An independent copy of a fold (to fold a what-if event, e.g. an escalation's priority raise,
 * without changing the original).
 *
 * @example
 * const raised = cloneSlaFold(fold);
 * foldSlaEvent(raised, { type: "priority", at: now, priority: "high" });
 */
export function cloneSlaFold(s: SlaFold): SlaFold {
  const copies = new Map<Cycle, Cycle>();
  const copy = (c: Cycle): Cycle => {
    let d = copies.get(c);
    if (d === undefined) {
      d = { ...c, segs: [...c.segs], endsByFulfil: [...c.endsByFulfil], opens: [...c.opens] };
      copies.set(c, d);
    }
    return d;
  };
  const latest = new Map<SlaMetric, Cycle>();
  for (const [m, c] of s.latest) latest.set(m, copy(c));
  return {
    ...s,
    cycles: s.cycles.map(copy),
    latest,
    contexts: [...s.contexts],
    applies: [...s.applies],
    lifecycle: s.lifecycle.map((l) => ({ ...l, cycle: copy(l.cycle) })),
  };
}
