import type { StoredeskError } from "./errors.js";
import type { Job } from "./domain/job.js";

/** An audit event a decision wants written; the desk adds id, seq, time and actor. */
export interface EventDraft {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A side effect a pure decision asks for. The desk is the only place that
 * performs effects, so decisions can be tested, logged and replayed as data.
 */
export type Effect =
  | { type: "send"; ticketId: string; text: string; templateId?: string; variables?: Record<string, unknown>; automatic: boolean; reason: string }
  | { type: "schedule"; job: Omit<Job, "id" | "attempts" | "lockedBy" | "lockedUntil"> }
  | { type: "cancel_job"; key: string }
  | { type: "create_follow_up"; closedTicketId: string }
  | { type: "notify"; target: string; reason: string; ticketId: string };

/** The outcome of a pure decision: the new state, the audit events and the effects, or a typed error. */
export type Decision<T> =
  | { ok: true; value: T; events: EventDraft[]; effects: Effect[] }
  | { ok: false; error: StoredeskError };

/** A successful decision. */
export function decided<T>(value: T, events: EventDraft[] = [], effects: Effect[] = []): Decision<T> {
  return { ok: true, value, events, effects };
}

/** A refused decision. */
export function refused<T>(error: StoredeskError): Decision<T> {
  return { ok: false, error };
}
