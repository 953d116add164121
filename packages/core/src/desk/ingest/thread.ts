/** Stage: the ticket the message continues (reply-to, ticket number, conversation), if any. */
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { Ticket } from "../../domain/ticket.js";
import type { StoreOps } from "../../ports/store.js";
import { findThread } from "../threading.js";

/**
 * The ticket this message continues, or null for a new conversation (a closed ticket may come
 * back: decide opens its follow-up).
 *
 * @example
 * const found = await threadMessage(tx, event, customer.id, now);
 */
export async function threadMessage(tx: StoreOps, event: InboundMessageEvent, customerId: string, now: Date): Promise<Ticket | null> {
  return (await findThread(tx, event, customerId, now)).ticket;
}
