/**
 * Renders a conversation, a customer's orders and knowledge-base hits as prompt text. Every free-text
 * field goes through the redactor here, so no caller can forget it; ids used as citation keys
 * (order names, article ids) stay as they are.
 */
import type { CustomerContext, KnowledgeHit, Message } from "@storedesk/core";
import type { Redactor } from "./redact.js";

/** The part of a message a prompt needs; a full {@link Message} fits. */
export type ThreadMessage = Pick<Message, "direction" | "authorKind" | "text" | "createdAt"> &
  Partial<Pick<Message, "visibility" | "automatic">>;

/** Options of {@link renderThread}. */
export interface RenderThreadOptions {
  redact: Redactor;
  /** Character budget of the rendered thread. The first message and the latest ones are kept. */
  maxChars: number;
  /** Internal notes are context for a summary, but must never reach a reply drafted for the customer. */
  includeNotes: boolean;
}

const SPEAKER: Record<ThreadMessage["authorKind"], string> = {
  customer: "Customer",
  agent: "Agent",
  bot: "Bot",
  system: "System",
};

function line(message: ThreadMessage, redact: Redactor): string {
  const who = message.direction === "note" ? "Internal note" : SPEAKER[message.authorKind];
  return `[${message.createdAt.toISOString()}] ${who}: ${redact(message.text.trim())}`;
}

/**
 * The conversation, oldest first, one line per message, redacted, within `maxChars`: when it does
 * not fit, the first message stays (it states the request) and the latest ones fill the rest.
 *
 * @example
 * renderThread(messages, { redact: defaultRedactor, maxChars: 8000, includeNotes: false });
 */
export function renderThread(messages: readonly ThreadMessage[], options: RenderThreadOptions): string {
  const kept = [...messages]
    .filter((m) => options.includeNotes || (m.direction !== "note" && m.visibility !== "internal"))
    .filter((m) => m.text.trim().length > 0)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const lines = kept.map((m) => line(m, options.redact));
  const total = lines.reduce((n, l) => n + l.length + 1, 0);
  if (total <= options.maxChars || lines.length <= 1) return lines.join("\n").slice(0, options.maxChars);
  const first = lines[0]!;
  const tail: string[] = [];
  let used = first.length + 1;
  for (let i = lines.length - 1; i > 0; i--) {
    const l = lines[i]!;
    if (used + l.length + 1 > options.maxChars - 40) break;
    tail.unshift(l);
    used += l.length + 1;
  }
  const omitted = lines.length - 1 - tail.length;
  return [first, `… ${omitted} earlier message(s) omitted …`, ...tail].join("\n");
}

/**
 * The customer's recent orders as prompt lines, with the order names a draft may cite.
 *
 * @example
 * const { text, orderNames } = renderOrders(context, defaultRedactor);
 */
export function renderOrders(
  context: CustomerContext | null | undefined,
  redact: Redactor,
): { text: string; orderNames: string[] } {
  if (!context || context.recentOrders.length === 0) return { text: "(no orders known)", orderNames: [] };
  const orderNames: string[] = [];
  const blocks = context.recentOrders.map((order) => {
    orderNames.push(order.name);
    const lines = order.lines.map((l) => `${redact(l.title)} × ${l.quantity}`).join(", ");
    const shipments = order.shipments
      .map((s) =>
        [
          `shipment ${redact(s.status)}`,
          s.carrier ? `carrier ${redact(s.carrier)}` : null,
          s.trackingNumber ? `tracking ${redact(s.trackingNumber)}` : null,
          s.estimatedDelivery ? `estimated delivery ${s.estimatedDelivery}` : null,
        ]
          .filter(Boolean)
          .join(", "),
      )
      .join("; ");
    return [
      `order ${order.name} (placed ${order.createdAt}, total ${order.total} ${order.currency})`,
      `  payment: ${order.financialStatus ?? "unknown"}; ` + `fulfillment: ${order.fulfillmentStatus ?? "unfulfilled"}`,
      order.cancelledAt ? `  cancelled at ${order.cancelledAt}` : null,
      lines ? `  items: ${lines}` : null,
      shipments ? `  ${shipments}` : null,
    ]
      .filter(Boolean)
      .join("\n");
  });
  return { text: blocks.join("\n"), orderNames };
}

/**
 * Knowledge-base hits as prompt lines, with the article ids a draft may cite.
 *
 * @example
 * const { text, articleIds } = renderKnowledge(hits, defaultRedactor);
 */
export function renderKnowledge(
  hits: readonly KnowledgeHit[],
  redact: Redactor,
): { text: string; articleIds: string[] } {
  if (hits.length === 0) return { text: "(no articles found)", articleIds: [] };
  return {
    text: hits.map((h) => `article ${h.articleId}: ${redact(h.title)}\n  ${redact(h.snippet)}`).join("\n"),
    articleIds: hits.map((h) => h.articleId),
  };
}
