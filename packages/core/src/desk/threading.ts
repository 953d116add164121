import type { InboundMessageEvent } from "../domain/inbound.js";
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
 * Finds the ticket an inbound message continues, strongest evidence first:
 * the messages it replies to; a ticket number it names (only when the sender
 * owns that ticket, so a token alone never attaches a stranger's mail); the
 * open ticket of its conversation key (within the channel's window).
 * Returns null for a new conversation. A closed ticket may be returned: the
 * caller opens a follow-up.
 */
export async function findThread(tx: StoreOps, event: InboundMessageEvent, customerId: string, now: Date): Promise<{ ticket: Ticket | null; match: ThreadMatch }> {
  // The strongest few references decide; a mail with hundreds of References costs no more.
  for (const ref of event.replyTo.slice(0, MAX_REFERENCES_LOOKED_UP)) {
    const message = await tx.findMessageByExternalId(event.channel, ref);
    if (message) {
      const ticket = await liveTicket(tx, await tx.getTicket(message.ticketId));
      if (ticket) return { ticket, match: "reply_to" };
    }
  }
  if (event.ticketNumber) {
    const ticket = await liveTicket(tx, await tx.getTicketByNumber(event.ticketNumber));
    if (ticket && ticket.customerId === customerId) return { ticket, match: "ticket_number" };
  }
  if (event.conversationKey) {
    const ticket = await tx.findOpenTicketByConversation(customerId, event.channel, event.conversationKey);
    const window = event.threadWindowMs;
    if (ticket && (!window || now.getTime() - ticket.updatedAt.getTime() <= window)) return { ticket, match: "conversation" };
    // The conversation's last ticket was closed recently: the message opens a follow-up of it.
    const [closed] = await tx.listTickets({ customerId, channel: event.channel, conversationKey: event.conversationKey, status: ["closed"], newestFirst: true, limit: 1 });
    if (closed && !closed.mergedInto && closed.closedAt && now.getTime() - closed.closedAt.getTime() <= FOLLOW_UP_WINDOW_MS) return { ticket: closed, match: "conversation" };
  }
  return { ticket: null, match: null };
}
