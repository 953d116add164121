/**
 * Echoes: messages the shop sent outside the desk (typed in the provider's own inbox) that the
 * channel reports back. Recorded on the customer's open ticket of that conversation as an
 * agent's reply — the ticket shows it, the first reply is fulfilled, the status moves as after
 * any reply — and never sent again; a conversation the shop starts there opens a ticket. An echo
 * of the desk's own message is a no-op.
 */
import { normalizeIdentity, type Customer } from "../../domain/customer.js";
import type { Actor } from "../../domain/event.js";
import type { InboundEchoEvent } from "../../domain/inbound.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { StoreOps } from "../../ports/store.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import { applyParkedReceipt } from "../receipts.js";
import { echoesOpenTickets, openEchoTicket, type EchoMessageBuilder } from "./echo-opens-ticket.js";
import { mutateTicket } from "../save-ticket.js";
import { liveTicket, MAX_REFERENCES_LOOKED_UP } from "../threading.js";
import type { IngestResult } from "../types.js";

/**
 * The actor of an echo: the provider's inbox, not a desk agent (reports group these replies
 * under `external:<channel>`; the author's name is kept on the message and its audit event).
 */
function echoActor(event: InboundEchoEvent): Actor {
  return { kind: "agent", id: `external:${event.channel}` };
}

/**
 * Records an echo on its ticket (see the module comment). Outcomes: `external_reply` (recorded,
 * on a ticket opened for it when the conversation had none: see echo-opens-ticket.ts),
 * `duplicate` (the desk's own message, or a redelivery), `unmatched` (nothing is written: the
 * echo names no recipient, or `openTicketsFromEchoes` is off for the channel and no
 * known customer has an open ticket of that conversation).
 *
 * @example
 * const { outcome } = await ingestEcho(ctx, event); // "external_reply"
 */
export async function ingestEcho(ctx: DeskContext, event: InboundEchoEvent, attempt = 0): Promise<IngestResult> {
  const known = await ctx.store.findMessageByExternalId(event.channel, event.externalId);
  if (known) return duplicateOf(ctx, known);
  const customer = await recipientOf(ctx.store, event);
  const ticket = customer ? await echoTicket(ctx.store, event, customer) : null;
  const opens = !ticket && event.to.identities.length > 0 && echoesOpenTickets(ctx, event.channel);
  if (!ticket && !opens) return { outcome: "unmatched", ticket: null, message: null };

  const actor = echoActor(event);
  const authorName = event.author.name ?? null;
  const build = (at: { id: string; ticket: Ticket; now: Date }) => echoMessage(event, { ...at, actor, authorName });
  try {
    const recorded = ticket
      ? await recordOnTicket(ctx, event, ticket, actor, build)
      : await openEchoTicket(ctx, event, actor, build);
    if (ctx.channels.get(event.channel)?.capabilities.deliveryReceipts)
      await applyParkedReceipt(ctx, event.channel, recorded.message.externalId!, ctx.clock.now());
    return { outcome: "external_reply", ...recorded };
  } catch (err) {
    // Another delivery opened the conversation's ticket (or merged its customer) meanwhile: place it again.
    if (StoredeskError.is(err, "CONFLICT") && err.retryable && err.details?.duplicate !== true && attempt < 3)
      return ingestEcho(ctx, event, attempt + 1);
    // The same echo delivered twice at once: the other delivery recorded it.
    if (!StoredeskError.is(err, "CONFLICT") || err.details?.duplicate !== true) throw err;
    const winner = await ctx.store.findMessageByExternalId(event.channel, event.externalId);
    if (!winner) throw err;
    return duplicateOf(ctx, winner);
  }
}

/** Records the echo on its open ticket as an agent's reply (the status moves as after any reply). */
async function recordOnTicket(
  ctx: DeskContext,
  event: InboundEchoEvent,
  ticket: Ticket,
  actor: Actor,
  build: EchoMessageBuilder,
): Promise<{ ticket: Ticket; message: Message }> {
  const messageId = ctx.newId();
  let message!: Message;
  const saved = await mutateTicket(
    ctx,
    ticket.id,
    actor,
    (current, _tx, now) => {
      const decision = applyTicketAction(current, { type: "agent_reply", messageId, automatic: false }, now);
      if (!decision.ok) return decision;
      const data = {
        messageId,
        channel: event.channel,
        authorKind: "agent",
        automatic: false,
        visibility: current.kind === "comment" ? "public" : "private",
        template: null,
        external: true,
        authorName: event.author.name ?? null,
      };
      return { ...decision, events: [{ type: "reply.sent", data }, ...decision.events] };
    },
    async (tx, current, now) => {
      message = build({ id: messageId, ticket: current, now });
      await tx.insertMessage(message);
    },
  );
  ctx.emitter.emit("message.sent", { ticket: saved.ticket, message });
  return { ticket: saved.ticket, message };
}

async function duplicateOf(ctx: DeskContext, message: Message): Promise<IngestResult> {
  const ticket = await liveTicket(ctx.store, await ctx.store.getTicket(message.ticketId));
  return { outcome: "duplicate", ticket, message };
}

/** The customer holding the first of the echo's identities the desk knows (an echo creates no one). */
async function recipientOf(store: StoreOps, event: InboundEchoEvent): Promise<Customer | null> {
  for (const identity of event.to.identities) {
    const customer = await store.findCustomerByIdentity(normalizeIdentity(identity));
    if (customer) return customer;
  }
  return null;
}

/** The customer's ticket the echo answers: one its reply ids name, else the conversation's open ticket. */
async function echoTicket(store: StoreOps, event: InboundEchoEvent, customer: Customer): Promise<Ticket | null> {
  for (const ref of event.replyTo.slice(0, MAX_REFERENCES_LOOKED_UP)) {
    const replied = await store.findMessageByExternalId(event.channel, ref);
    const ticket = replied ? await liveTicket(store, await store.getTicket(replied.ticketId)) : null;
    if (ticket && ticket.customerId === customer.id && ticket.status !== "closed") return ticket;
  }
  if (!event.conversationKey) return null;
  return store.findOpenTicketByConversation(customer.id, event.channel, event.conversationKey);
}

function echoMessage(
  event: InboundEchoEvent,
  at: { id: string; ticket: Ticket; actor: Actor; authorName: string | null; now: Date },
): Message {
  return {
    id: at.id,
    ticketId: at.ticket.id,
    direction: "outbound",
    authorKind: "agent",
    authorId: at.actor.id,
    channel: event.channel,
    externalId: event.externalId,
    text: event.text,
    html: event.html ?? null,
    attachments: event.attachments,
    deliveryStatus: "sent",
    deliveryError: null,
    visibility: at.ticket.kind === "comment" ? "public" : "private",
    automatic: false,
    // A provider's clock may run ahead: never place a message in the future.
    createdAt: event.occurredAt < at.now ? event.occurredAt : at.now,
    meta: Object.assign({}, event.meta, {
      external: { source: "provider_inbox", authorName: at.authorName, authorId: event.author.externalId },
    }),
  };
}
