/** Stage: the message, the ticket, its audit events and timers, written in the ingest transaction. */
import type { Customer } from "../../domain/customer.js";
import type { Actor } from "../../domain/event.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Classification } from "../../classify/classify-text.js";
import type { EventDraft } from "../../decision.js";
import type { StoreOps } from "../../ports/store.js";
import { appendEvents } from "../audit-log.js";
import type { DeskContext } from "../context.js";
import { performStoreEffects } from "../perform-effects.js";
import { saveTicket, type SavedTicket } from "../save-ticket.js";
import type { TicketChange } from "./decide.js";

/**
 * The inbound message as stored (its ticket id filled in by {@link persistChange}).
 *
 * @example
 * const message = inboundMessage(ctx, event, customer, classification, now);
 */
export function inboundMessage(
  ctx: DeskContext,
  event: InboundMessageEvent,
  customer: Customer,
  classification: Classification,
  now: Date,
): Message {
  const { category, language, complaint, sentiment, modelId, scores } = classification;
  return {
    id: ctx.newId(),
    ticketId: "",
    direction: "inbound",
    authorKind: "customer",
    authorId: customer.id,
    channel: event.channel,
    externalId: event.externalId,
    text: event.text,
    html: event.html ?? null,
    attachments: event.attachments,
    deliveryStatus: "received",
    deliveryError: null,
    visibility: event.kind === "comment" ? "public" : "private",
    // A sender's clock (a mail's Date header) may run ahead: never place a message in the future.
    automatic: event.automatic,
    createdAt: event.occurredAt < now ? event.occurredAt : now,
    // Object.assign, not a spread then new keys (V8's slow path on Node 20: bench/README.md, perf-d).
    meta: Object.assign({}, event.meta, event.subject ? { subject: event.subject } : null, {
      classification: { category, language, complaint, sentiment, modelId, scores },
    }),
  };
}

/**
 * The audit event of the message's arrival.
 *
 * @example
 * const received = receivedDraft(event, message.id);
 */
export function receivedDraft(event: InboundMessageEvent, messageId: string): EventDraft {
  return {
    type: event.automatic ? "message.auto_reply_received" : "message.received",
    data: { messageId, channel: event.channel, externalId: event.externalId },
  };
}

/**
 * Writes the message and the ticket change (`before` null for a new ticket; `closed` the
 * ticket a follow-up continues, which gets a pointer to it).
 *
 * @example
 * const saved = await persistChange(ctx, tx, { before: found, change, message, actor, customer, now });
 */
export async function persistChange(
  ctx: DeskContext,
  tx: StoreOps,
  args: {
    before: Ticket | null;
    closed?: Ticket | null;
    change: TicketChange;
    message: Message;
    actor: Actor;
    customer: Customer;
    now: Date;
  },
): Promise<SavedTicket & { message: Message }> {
  const { before, closed, change, actor, customer, now } = args;
  const message = { ...args.message, ticketId: change.ticket.id };
  await tx.insertMessage(message);
  const later = change.effects.length > 0 ? await performStoreEffects(ctx, tx, change.effects) : [];
  const saved = await saveTicket(ctx, tx, before, change.ticket, change.events, actor, now, customer);
  if (later.length > 0) saved.later.unshift(...later);
  if (closed) {
    const pointer = {
      type: "ticket.follow_up_created",
      data: { followUpTicketId: change.ticket.id, followUpNumber: change.ticket.number },
    };
    await appendEvents(ctx, tx, closed.id, [pointer], actor, now);
  }
  return { ticket: saved.ticket, events: saved.events, later: saved.later, message };
}
