/**
 * Whom a send goes to: the Cloud API takes the phone number as `to`, or a business-scoped user
 * ID (BSUID) as `recipient` with `to` left out (Meta's "Business-scoped user IDs" page; with both,
 * `to` wins). Decided before anything leaves, so a customer we cannot reach is refused, not sent.
 */
import type { OutboundMessage } from "@storedesk/core";
import { invalidInput } from "@storedesk/core";
import { BSUID_PATTERN } from "./schemas.js";

/** The recipient fields of one `POST /{phone-number-id}/messages` body: exactly one of the two. */
export type WhatsAppRecipient = { to: string; recipient?: never } | { recipient: string; to?: never };

/**
 * The recipient of a send, strongest first: the number in the ticket's conversation key; the
 * customer's WhatsApp number (`whatsapp`) or phone number (`phone`); the BSUID in the conversation
 * key; the customer's BSUID (`whatsapp_bsuid`). A number goes as `to`, a BSUID as `recipient`.
 * A customer with none of them is INVALID_INPUT.
 *
 * @example
 * whatsappRecipient({ ticket, customer }); // { to: "821012345678" } or { recipient: "KR.1502576394655843" }
 */
export function whatsappRecipient(message: Pick<OutboundMessage, "ticket" | "customer">): WhatsAppRecipient {
  const key = message.ticket.conversationKey;
  const keyed = key ? /^wa:[^:]+:(.+)$/.exec(key)?.[1] : undefined;
  if (keyed && /^\d+$/.test(keyed)) return { to: keyed };
  const { identities } = message.customer;
  // A number the desk knows goes first even on a BSUID-keyed conversation: Meta delivers to it
  // as before usernames (with both, `to` wins).
  const phone = identities.find((i) => i.kind === "whatsapp") ?? identities.find((i) => i.kind === "phone");
  const digits = phone?.value.replace(/\D/g, "");
  if (digits) return { to: digits };
  if (keyed && BSUID_PATTERN.test(keyed)) return { recipient: keyed };
  const bsuid = identities.find((i) => i.kind === "whatsapp_bsuid" && BSUID_PATTERN.test(i.value));
  if (bsuid) return { recipient: bsuid.value };
  throw invalidInput("The customer has no WhatsApp number or business-scoped user ID", ["customer", "identities"]);
}

/**
 * The customer's WhatsApp number or BSUID as one string (see {@link whatsappRecipient}, which
 * also says which field it goes in).
 *
 * @example
 * recipientOf({ ticket, customer }); // "821012345678"
 */
export function recipientOf(message: Pick<OutboundMessage, "ticket" | "customer">): string {
  const r = whatsappRecipient(message);
  return r.to !== undefined ? r.to : r.recipient;
}
