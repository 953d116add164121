/**
 * Messenger / Instagram messaging windows: free-form replies within 24 hours of
 * the customer's last message; a human agent up to 7 days with the HUMAN_AGENT
 * tag; after that nothing (Meta has no re-engagement template here). Public
 * comment replies have no window.
 */
import type { ReplyWindow, ReplyWindowContext } from "@storedesk/core";

/** Standard messaging window. */
export const META_STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Human agent window (HUMAN_AGENT tag). */
export const META_HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Window lengths, overridable for tests and policy changes. */
export interface MetaWindowOptions {
  standardWindowMs?: number;
  humanAgentWindowMs?: number;
}

/**
 * Computes the reply window (pure).
 *
 * @example
 * metaReplyWindow({ ticket, lastInboundAt, authorKind: "agent" }, now) // { kind: "open", closesAt, tag: "HUMAN_AGENT" } on day 3
 */
export function metaReplyWindow(context: ReplyWindowContext, now: Date, options: MetaWindowOptions = {}): ReplyWindow {
  // Public comment threads have no messaging window (private replies are checked in send).
  if (context.ticket.kind === "comment") return { kind: "open", closesAt: null };
  const standard = options.standardWindowMs ?? META_STANDARD_WINDOW_MS;
  const human = options.humanAgentWindowMs ?? META_HUMAN_AGENT_WINDOW_MS;
  const last = context.lastInboundAt ?? context.ticket.lastCustomerMessageAt;
  if (!last)
    return {
      kind: "template_only",
      closedAt: null,
      reason: "The customer has not messaged the page; Meta allows no message to start the conversation.",
      suggestedTemplate: null,
    };
  const t = now.getTime();
  const standardEnd = new Date(last.getTime() + standard);
  if (t < standardEnd.getTime()) return { kind: "open", closesAt: standardEnd };
  const humanEnd = new Date(last.getTime() + human);
  if (context.authorKind === "agent" && t < humanEnd.getTime())
    return { kind: "open", closesAt: humanEnd, tag: "HUMAN_AGENT" };
  const closedAt = context.authorKind === "agent" ? humanEnd : standardEnd;
  return {
    kind: "template_only",
    closedAt,
    reason:
      context.authorKind === "agent"
        ? `The 7-day human agent window closed at ${closedAt.toISOString()}; wait until the customer writes again.`
        : `The 24-hour messaging window closed at ${closedAt.toISOString()}; only a human agent may still reply (HUMAN_AGENT tag, 7 days).`,
    suggestedTemplate: null,
  };
}
