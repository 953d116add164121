import type { StoredeskError } from "./errors.js";
import type { Job } from "./domain/job.js";
import type { Actor } from "./domain/event.js";

/** An audit event a decision wants written; the desk adds id, seq and time (and the actor unless given). */
export interface EventDraft {
  type: string;
  data: Record<string, unknown>;
  /** Who the event is by, when not the actor of the change it belongs to (the SLA engine, a plugin). */
  actor?: Actor;
}

/**
 * A side effect a pure decision asks for. The desk is the only place that performs effects
 * (`desk/perform-effects.ts`), so decisions can be tested, logged and replayed as data:
 * - `schedule`, `cancel_job`: in the decision's transaction;
 * - `send`: a message to the customer on the ticket (a registered template rendered for the
 *   ticket, or `text`), after the decision's commit;
 * - `emit`: a desk event (`sla.warning`, `plugin.<id>.<what>`…) with the saved ticket, after commit;
 * - `create_follow_up`: produced by `applyTicketAction` for a message on a closed ticket; the
 *   ingest's decide stage opens follow-ups itself and never asks for it, so the desk refuses it.
 */
export type Effect =
  | {
      type: "send";
      ticketId: string;
      /** The text to send; or a registered template (`templateId`) rendered for the ticket with `variables`. */
      text?: string;
      templateId?: string;
      variables?: Record<string, unknown>;
      automatic: boolean;
      /** Why: `auto_ack`, `complaint_update`, `complaint_confirm`, `proactive` or a plugin's word. */
      reason: string;
    }
  | { type: "schedule"; job: Omit<Job, "id" | "attempts" | "lockedBy" | "lockedUntil"> }
  | { type: "cancel_job"; key: string }
  | { type: "emit"; event: string; data: Record<string, unknown> }
  | { type: "create_follow_up"; closedTicketId: string };

/** The outcome of a pure decision: the new state, the audit events and the effects, or a typed error. */
export type Decision<T> =
  { ok: true; value: T; events: EventDraft[]; effects: Effect[] } | { ok: false; error: StoredeskError };

/** A successful decision. */
export function decided<T>(value: T, events: EventDraft[] = [], effects: Effect[] = []): Decision<T> {
  return { ok: true, value, events, effects };
}

/** A refused decision. */
export function refused<T>(error: StoredeskError): Decision<T> {
  return { ok: false, error };
}
