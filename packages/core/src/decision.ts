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
 *   ticket, or `text`), written `queued` to the outbox in the decision's transaction (where the
 *   caller holds one) and sent after its commit;
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
      /**
       * Who the message is from (default `system`): `bot` for a bot's answer, `agent` for a
       * message on an agent's behalf. It is the message's `authorKind` and the kind of the actor
       * and of `authorKind` on its `reply.sent` event, which reports and the SLA engine read: a
       * `bot` message is never a human reply, an `agent` one is when it is not `automatic`. A
       * send effect changes nothing on the ticket itself (no status, no `firstRepliedAt`): the
       * decision carrying it does that. Added to `DeskPlugin` `specVersion: 1` as optional fields.
       */
      authorKind?: "bot" | "system" | "agent";
      /** The author's id (the bot's id, the agent's id; default the `reason`, or `auto-ack`). */
      authorId?: string | null;
      /**
       * Channel-specific message options, stored on the message (`meta.options`) and handed to
       * the channel on every attempt, also after a restart: `{ quickReplies: [{ id, title }] }`.
       */
      options?: Record<string, unknown>;
      /**
       * The id the queued message gets (default a new one from the desk), so the decision's own
       * audit events can name it (`bot.answered { messageId }`). Must be new: a message with
       * this id already stored is a CONFLICT, so the transaction is retried and the decision made again.
       */
      messageId?: string;
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
