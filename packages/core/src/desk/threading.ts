import { identityKey, type Identity } from "../domain/customer.js";
import type { InboundMessageEvent } from "../domain/inbound.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { StoreOps } from "../ports/store.js";

/** Follows `mergedInto` to the ticket that lives on. */
export async function liveTicket(tx: StoreOps, ticket: Ticket | null): Promise<Ticket | null> {
  for (let hops = 0; ticket?.mergedInto && hops < 10; hops++) {
    ticket = await tx.getTicket(ticket.mergedInto);
  }
  return ticket;
}

/** How long after closing a conversation's ticket a new message there becomes its follow-up (30 days). */
export const FOLLOW_UP_WINDOW_MS = 30 * 24 * 3_600_000;

/** How many `replyTo` ids threading looks up, strongest first. */
export const MAX_REFERENCES_LOOKED_UP = 20;

/** How a message found its ticket. */
export type ThreadMatch = "reply_to" | "ticket_number" | "conversation" | null;

/**
 * Identity keys (`email:kim@example.com`) a channel recorded as taking part in a message:
 * `meta.participants` (the email channel records the To and Cc addresses there).
 */
export function messageParticipants(message: Pick<Message, "meta">): string[] {
  const list = message.meta.participants;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string") : [];
}

/**
 * Whether a message found by a reply id (In-Reply-To / References, WhatsApp `context`,
 * Messenger `reply_to`) may continue `ticket`: only when its sender is the ticket's customer or
 * a participant recorded on one of the ticket's messages (for mail: an address that was on
 * To/Cc). Anyone the customer copied knows those ids; knowing one must not let a stranger write
 * onto another customer's ticket. Pure.
 *
 * @example
 * replyMayThread(ticket, customer.id, event.from.identities, await tx.listMessages(ticket.id)) // false for a stranger
 */
export function replyMayThread(
  ticket: Pick<Ticket, "customerId">,
  senderCustomerId: string,
  senderIdentities: readonly Identity[],
  ticketMessages: ReadonlyArray<Pick<Message, "meta">>,
): boolean {
  if (ticket.customerId === senderCustomerId) return true;
  const keys = new Set(senderIdentities.map(identityKey));
  return ticketMessages.some((m) => messageParticipants(m).some((p) => keys.has(p)));
}

/**
 * The `thread.suspected` audit events for a message that named another customer's ticket by a
 * reply id and was kept off it: one on each ticket, so an agent can merge if it is legitimate.
 *
 * @example
 * for (const { ticketId, draft } of suspectedThreadEvents(suspected, ticket.id, message.id)) await appendEvents(tx, ticketId, [draft], actor, now);
 */
export function suspectedThreadEvents(
  suspected: Pick<Ticket, "id" | "number">,
  ticket: Pick<Ticket, "id" | "number">,
  messageId: string,
): Array<{ ticketId: string; draft: { type: "thread.suspected"; data: Record<string, unknown> } }> {
  return [
    {
      ticketId: ticket.id,
      draft: {
        type: "thread.suspected",
        data: {
          messageId,
          suspectedTicketId: suspected.id,
          suspectedNumber: suspected.number,
          reason: "reply_to_from_another_sender",
        },
      },
    },
    {
      ticketId: suspected.id,
      draft: {
        type: "thread.suspected",
        data: {
          messageId,
          otherTicketId: ticket.id,
          otherNumber: ticket.number,
          reason: "reply_to_from_another_sender",
        },
      },
    },
  ];
}

/**
 * Finds the ticket an inbound message continues, strongest evidence first:
 * the messages it replies to (only when the sender may write there, see {@link replyMayThread};
 * otherwise that ticket comes back as `suspected`); a ticket number it names (only when the sender
 * owns that ticket, so a token alone never attaches a stranger's mail); the
 * open ticket of its conversation key (within the channel's window).
 * Returns null for a new conversation. A closed ticket may be returned: the
 * caller opens a follow-up.
 */
export async function findThread(
  tx: StoreOps,
  event: InboundMessageEvent,
  customerId: string,
  now: Date,
): Promise<{ ticket: Ticket | null; match: ThreadMatch; suspected?: Ticket; stale?: Ticket; rekeyFrom?: string }> {
  let suspected: Ticket | undefined;
  // The strongest few references decide; a mail with hundreds of References costs no more.
  for (const ref of event.replyTo.slice(0, MAX_REFERENCES_LOOKED_UP)) {
    const message = await tx.findMessageByExternalId(event.channel, ref);
    if (message) {
      const ticket = await liveTicket(tx, await tx.getTicket(message.ticketId));
      if (!ticket) continue;
      // The messages are read only for a sender who is not the ticket's customer (rare).
      if (
        ticket.customerId === customerId ||
        replyMayThread(ticket, customerId, event.from.identities, await tx.listMessages(ticket.id))
      ) {
        return { ticket, match: "reply_to" };
      }
      suspected ??= ticket;
    }
  }
  const rest = await findByNumberOrConversation(tx, event, customerId, now);
  return suspected ? { ...rest, suspected } : rest;
}

async function findByNumberOrConversation(
  tx: StoreOps,
  event: InboundMessageEvent,
  customerId: string,
  now: Date,
): Promise<{ ticket: Ticket | null; match: ThreadMatch; stale?: Ticket; rekeyFrom?: string }> {
  if (event.ticketNumber) {
    const ticket = await liveTicket(tx, await tx.getTicketByNumber(event.ticketNumber));
    if (ticket && ticket.customerId === customerId) return { ticket, match: "ticket_number" };
  }
  if (event.conversationKey) {
    const ticket = await tx.findOpenTicketByConversation(customerId, event.channel, event.conversationKey);
    // Not under its key: under a key the conversation had before (the caller re-keys the ticket).
    if (!ticket) {
      for (const alias of event.conversationKeyAliases) {
        if (alias === event.conversationKey) continue;
        const known = await tx.findOpenTicketByConversation(customerId, event.channel, alias);
        const window = event.threadWindowMs;
        if (known && (!window || now.getTime() - known.updatedAt.getTime() <= window))
          return { ticket: known, match: "conversation", rekeyFrom: alias };
      }
    }
    const window = event.threadWindowMs;
    if (ticket && (!window || now.getTime() - ticket.updatedAt.getTime() <= window))
      return { ticket, match: "conversation" };
    // Open but past the channel's window: a new ticket, which takes the key over (the caller re-keys this one).
    if (ticket) return { ticket: null, match: null, stale: ticket };
    // The conversation's last ticket was closed recently: the message opens a follow-up of it.
    const [closed] = await tx.listTickets({
      customerId,
      channel: event.channel,
      conversationKey: event.conversationKey,
      status: ["closed"],
      newestFirst: true,
      limit: 1,
    });
    if (
      closed &&
      !closed.mergedInto &&
      closed.closedAt &&
      now.getTime() - closed.closedAt.getTime() <= FOLLOW_UP_WINDOW_MS
    )
      return { ticket: closed, match: "conversation" };
  }
  return { ticket: null, match: null };
}
