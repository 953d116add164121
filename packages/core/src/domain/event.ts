import { z } from "zod";
import { AuthorKindSchema } from "./message.js";

/** Known ticket event types. Plugins may append their own (`plugin.<name>.<what>`). */
export const TICKET_EVENT_TYPES = [
  "ticket.created",
  "ticket.follow_up_created",
  "message.received",
  "message.auto_reply_received",
  "reply.sent",
  "reply.failed",
  "note.added",
  "status.changed",
  "priority.changed",
  "category.changed",
  "tags.changed",
  "assigned",
  "merged",
  "merged_into",
  "ack.sent",
  "sla.applied",
  "sla.warning",
  "sla.breached",
  "sla.fulfilled",
  "sla.escalated",
  "complaint.opened",
  "complaint.advanced",
  "commerce.context",
  "commerce.action",
  "commerce.approval_requested",
  "product.linked",
  "delivery.updated",
  "customer.linked",
  "customer.merged",
  "sla.checked",
  "job.abandoned",
  "complaint.update_blocked",
  "reply.retried",
  "thread.suspected",
  "conversation.released",
  "conversation.rekeyed",
] as const;

/**
 * The type of a ticket event: a known one, a plugin's (`plugin.<id>.<what>`), or (for events
 * recorded through `desk.recordEvent` by integrations) any lowercase dotted word.
 *
 * @example
 * const t: TicketEventType = "sla.breached";
 */
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number] | `plugin.${string}`;

/** An entry of a ticket's append-only audit log. */
export const TicketEventSchema = z.object({
  id: z.string().min(1),
  ticketId: z.string().min(1),
  /** 1, 2, 3… per ticket; gives a total order even for equal timestamps. */
  seq: z.number().int().positive(),
  type: z.string().min(1).max(100),
  at: z.date(),
  actor: z.object({ kind: AuthorKindSchema, id: z.string().nullable() }),
  /** JSON-safe details (old and new values, message id…). */
  data: z.record(z.string(), z.unknown()),
});
/** A ticket event. */
export type TicketEvent = z.infer<typeof TicketEventSchema>;

/** Who did something: an agent with their id, the customer, a bot or the system. */
export type Actor = TicketEvent["actor"];
