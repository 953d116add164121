/** Stage: the ticket the message continues (reply-to, ticket number, conversation), if any. */
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { Ticket } from "../../domain/ticket.js";
import type { StoreOps } from "../../ports/store.js";
import { findThread } from "../threading.js";

/**
 * The ticket this message continues, or null for a new conversation (a closed ticket may come
 * back: decide opens its follow-up); `suspected`, another customer's ticket the message's reply
 * ids named, which it was kept off; `stale`, the conversation's open ticket past the channel's
 * threading window (email: 7 days), which the new ticket takes the conversation key from;
 * `rekeyFrom`, the alias (`conversationKeyAliases`) the open ticket was found under, whose key
 * becomes the event's `conversationKey`.
 *
 * @example
 * const { ticket: found, suspected } = await threadMessage(tx, event, customer.id, now);
 */
export async function threadMessage(
  tx: StoreOps,
  event: InboundMessageEvent,
  customerId: string,
  now: Date,
): Promise<{ ticket: Ticket | null; suspected: Ticket | null; stale: Ticket | null; rekeyFrom: string | null }> {
  const { ticket, suspected, stale, rekeyFrom } = await findThread(tx, event, customerId, now);
  return { ticket, suspected: suspected ?? null, stale: stale ?? null, rekeyFrom: rekeyFrom ?? null };
}
