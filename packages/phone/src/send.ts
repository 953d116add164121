/**
 * Sending on the phone channel: a call is made by a person, so a text (an acknowledgement, an
 * agent's reply) goes out by SMS when the shop gives an SMS sender, and is refused otherwise.
 */
import type { OutboundMessage, SendReceipt } from "@storedesk/core";
import { noTextChannel, smsFailed } from "./errors.js";

/** An SMS sender the shop plugs in (its SMS provider: Twilio Messaging, a Korean dealer, …). */
export interface SmsSender {
  /**
   * Sends `text` to `to` (E.164). `messageId` is storedesk's id: pass it to the provider as an
   * idempotency key where it takes one, so a retry does not send twice. Returns the provider's id.
   * Throw a StoredeskError (RATE_LIMITED, PROVIDER_UNAVAILABLE: retried; others: failed for good).
   */
  send(input: { to: string; text: string; messageId: string }): Promise<{ id: string }>;
}

/**
 * Sends a message of a phone ticket by SMS to the ticket's number (its conversation key).
 *
 * @example
 * const receipt = await sendPhoneMessage(message, sms);
 */
export async function sendPhoneMessage(message: OutboundMessage, sms: SmsSender | undefined): Promise<SendReceipt> {
  if (!sms) throw noTextChannel();
  const to =
    message.ticket.conversationKey ??
    message.customer.identities.find((identity) => identity.kind === "phone")?.value ??
    null;
  if (!to) throw noTextChannel();
  try {
    const { id } = await sms.send({ to, text: message.text, messageId: message.messageId });
    return { externalId: `sms:${id}`, status: "sent" };
  } catch (err) {
    throw smsFailed(err);
  }
}
