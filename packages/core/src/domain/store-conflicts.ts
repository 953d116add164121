/** The CONFLICT errors every store throws alike, so the desk can act on their details. */
import { StoredeskError } from "../errors.js";
import type { Ticket } from "./ticket.js";

/**
 * The CONFLICT every store throws for a second open ticket of one conversation: retryable, so
 * the desk runs threading again and finds `details.openTicketId`.
 *
 * @example
 * throw openConversationConflict(ticket, winner.id); // details.openConversation === true
 */
export function openConversationConflict(
  ticket: Pick<Ticket, "customerId" | "channel" | "conversationKey">,
  openTicketId: string | null,
): StoredeskError {
  return new StoredeskError({
    code: "CONFLICT",
    message: `Conversation ${ticket.conversationKey ?? ""} of customer ${ticket.customerId} on ${ticket.channel} has an open ticket`,
    retryable: true,
    details: {
      openConversation: true,
      customerId: ticket.customerId,
      channel: ticket.channel,
      conversationKey: ticket.conversationKey,
      openTicketId,
    },
  });
}

/**
 * The CONFLICT every store throws for a ticket written onto a customer merged away meanwhile:
 * retryable, so the desk looks the customer up again and lands on the survivor.
 *
 * @example
 * throw mergedCustomerConflict("cus-1", "cus-2"); // details.mergedInto === "cus-2"
 */
export function mergedCustomerConflict(customerId: string, mergedInto: string | null): StoredeskError {
  return new StoredeskError({
    code: "CONFLICT",
    message: `Customer ${customerId} was merged into ${mergedInto ?? "another customer"}`,
    retryable: true,
    details: { customerId, mergedInto },
  });
}
