/**
 * Delivering a reply: the visitor's stream reads it from the desk's records, so a send only
 * acknowledges it. When the visitor has left and gave an email, the reply also goes by mail
 * through the email channel, on the same ticket.
 */
import type { ChannelAdapter, OutboundMessage, SendReceipt } from "@storedesk/core";
import { chatQuickReplies } from "./quick-replies.js";

/** What the chat server tells the adapter at run time. */
export interface ChatRuntime {
  isOnline(visitorId: string): boolean;
  /** The contact address the visitor left on the ticket, if any. */
  contactEmail(ticketId: string): Promise<string | null>;
}

/**
 * Sends one reply; safe to retry with the same `messageId` (the external id is derived from it).
 *
 * @example
 * const receipt = await sendChatMessage(message, { runtime, offlineMail: emailChannel(...) });
 */
export async function sendChatMessage(
  message: OutboundMessage,
  context: { runtime: ChatRuntime | null; offlineMail: ChannelAdapter | null },
): Promise<SendReceipt> {
  const externalId = `webchat:out:${message.messageId}`;
  const visitorId =
    message.ticket.conversationKey ?? message.customer.identities.find((i) => i.kind === "webchat")?.value ?? null;
  const online = visitorId !== null && (context.runtime?.isOnline(visitorId) ?? false);
  // The buttons travel with the stored message (its meta): the stream shows them from there.
  const buttons = chatQuickReplies(message.options);
  const shown = buttons.length > 0 ? { quickReplies: buttons } : undefined;
  if (online || !context.offlineMail || !context.runtime)
    return { externalId, status: "sent", ...(shown ? { meta: shown } : {}) };
  const email =
    message.customer.identities.find((i) => i.kind === "email")?.value ??
    (await context.runtime.contactEmail(message.ticket.id));
  if (!email) return { externalId, status: "sent", ...(shown ? { meta: shown } : {}) };
  // The visitor is away: the same reply by mail, to the address they left (errors propagate: the desk retries).
  const mailed = await context.offlineMail.send({
    ...message,
    customer: { ...message.customer, identities: [{ kind: "email", value: email }] },
    subject: message.subject ?? message.ticket.subject,
    thread: [],
  });
  return {
    externalId,
    status: "sent",
    meta: { deliveredBy: "email", emailTo: email, emailExternalId: mailed.externalId, ...(mailed.meta ?? {}) },
  };
}
