/**
 * The call-back's state on its ticket (`ticket.meta.callback`) and the pure decisions over it:
 * when the next call is due (never outside calling hours), and what a logged call changes.
 */
import type { BusinessCalendar, Ticket } from "@storedesk/core";
import { addBusinessTime, nextOpening } from "@storedesk/core";

/** Where a call-back stands. */
export type CallbackStatus = "scheduled" | "due" | "completed" | "gave_up" | "invalid" | "cancelled";

/** The states in which an agent still owes the customer a call. */
export const OPEN_CALLBACK_STATUSES: ReadonlySet<CallbackStatus> = new Set(["scheduled", "due"]);

/** What a call attempt came to. `reached` is a conversation; the others are attempts that failed. */
export type CallOutcome = "reached" | "no_answer" | "busy" | "voicemail" | "wrong_number";

/** `ticket.meta.callback`: JSON only, as every ticket meta. */
export interface CallbackState {
  status: CallbackStatus;
  /** The number to call (E.164). */
  number: string;
  /** When the next call is due (ISO 8601); null once the call-back is over. */
  dueAt: string | null;
  /** The customer's earliest time, when they named one (ISO 8601). */
  preferredAt: string | null;
  /** Failed attempts so far. */
  attempts: number;
  /** The last attempt's outcome, if any. */
  lastOutcome: CallOutcome | null;
  /** What started it: a request, a missed call, a voicemail. */
  source: "request" | "missed_call" | "voicemail";
}

/** The call-back settings the decisions need. */
export interface CallbackPolicy {
  /** Failed attempts before giving up (default 3). */
  maxAttempts: number;
  /** Time between failed attempts, in minutes (of calling hours when they are set). Default 60. */
  retryAfterMinutes: number;
  /** When agents call; a due time outside it moves to its next opening. Null: any time. */
  callingHours: BusinessCalendar | null;
}

/**
 * The first instant at or after `at` when a call may be made (calling hours), or `at`.
 *
 * @example
 * callTimeFrom(new Date("2026-03-07T03:00:00Z"), policy) // Saturday in Seoul → Monday's opening
 */
export function callTimeFrom(at: Date, policy: Pick<CallbackPolicy, "callingHours">): Date {
  if (!policy.callingHours) return at;
  return nextOpening(at, policy.callingHours) ?? at;
}

/**
 * The state of a new call-back: due at the customer's preferred time (never before now), moved
 * into calling hours.
 *
 * @example
 * const state = newCallbackState({ source: "request", number: "+821012345678", preferredAt: null }, policy, now);
 */
export function newCallbackState(
  start: { source: CallbackState["source"]; number: string; preferredAt: string | null },
  policy: CallbackPolicy,
  now: Date,
): CallbackState {
  const preferred = start.preferredAt ? new Date(start.preferredAt) : null;
  const earliest = preferred && preferred > now ? preferred : now;
  return {
    status: "scheduled",
    number: start.number,
    dueAt: callTimeFrom(earliest, policy).toISOString(),
    preferredAt: start.preferredAt,
    attempts: 0,
    lastOutcome: null,
    source: start.source,
  };
}

/**
 * The call-back state of a ticket, or null when the ticket is no call-back (or its meta was
 * written by something else).
 *
 * @example
 * const state = callbackStateOf(ticket);
 */
export function callbackStateOf(ticket: Pick<Ticket, "meta">): CallbackState | null {
  const value = ticket.meta.callback as Partial<CallbackState> | undefined;
  if (!value || typeof value !== "object" || typeof value.status !== "string" || typeof value.number !== "string")
    return null;
  return value as CallbackState;
}

/**
 * The state after an agent's call: `reached` completes it, `wrong_number` ends it, any other
 * outcome is a failed attempt, retried `retryAfterMinutes` later (in calling hours) until
 * `maxAttempts` failed attempts, then given up.
 *
 * @example
 * const next = afterCall(state, "no_answer", policy, now); // { status: "scheduled", attempts: 1, dueAt: … }
 */
export function afterCall(
  state: CallbackState,
  outcome: CallOutcome,
  policy: CallbackPolicy,
  now: Date,
): CallbackState {
  if (outcome === "reached") return { ...state, status: "completed", dueAt: null, lastOutcome: outcome };
  if (outcome === "wrong_number") return { ...state, status: "invalid", dueAt: null, lastOutcome: outcome };
  const attempts = state.attempts + 1;
  if (attempts >= policy.maxAttempts)
    return { ...state, status: "gave_up", dueAt: null, attempts, lastOutcome: outcome };
  const delayMs = policy.retryAfterMinutes * 60_000;
  const next = policy.callingHours
    ? addBusinessTime(now, delayMs, policy.callingHours)
    : new Date(now.getTime() + delayMs);
  return {
    ...state,
    status: "scheduled",
    dueAt: callTimeFrom(next, policy).toISOString(),
    attempts,
    lastOutcome: outcome,
  };
}
