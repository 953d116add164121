/**
 * WhatsApp's customer service window: free-form messages may be sent for 24 hours
 * after the customer's last message; after that only approved templates.
 */
import type { ReplyWindow, ReplyWindowContext } from "@storedesk/core";

/** Length of the customer service window. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Computes the reply window (pure). The window runs from the customer's last inbound
 * message (`lastInboundAt`, else `ticket.lastCustomerMessageAt`); it is open while
 * `now < last + windowMs`.
 *
 * @example
 * whatsappReplyWindow({ ticket, lastInboundAt, authorKind: "agent" }, new Date(), { suggestedTemplate: "support_followup" })
 */
export function whatsappReplyWindow(
  context: ReplyWindowContext,
  now: Date,
  options: { windowMs?: number; suggestedTemplate?: string | null } = {},
): ReplyWindow {
  const windowMs = options.windowMs ?? WHATSAPP_WINDOW_MS;
  const last = context.lastInboundAt ?? context.ticket.lastCustomerMessageAt;
  const suggestedTemplate = options.suggestedTemplate ?? null;
  if (!last) {
    return {
      kind: "template_only",
      closedAt: null,
      reason: "The customer has not written on WhatsApp yet; only a template may start the conversation.",
      suggestedTemplate,
    };
  }
  const closesAt = new Date(last.getTime() + windowMs);
  if (now.getTime() < closesAt.getTime()) return { kind: "open", closesAt };
  return {
    kind: "template_only",
    closedAt: closesAt,
    reason: `The 24-hour customer service window closed at ${closesAt.toISOString()}; only an approved template may be sent until the customer writes again.`,
    suggestedTemplate,
  };
}
