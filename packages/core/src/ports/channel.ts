import type { Attachment, DeliveryStatus } from "../domain/message.js";
import type { Customer } from "../domain/customer.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";

/** What a channel can do. Optional abilities are declared, never guessed. */
export interface ChannelCapabilities {
  /** Replies thread onto the customer's conversation (email References, WhatsApp context). */
  threads: boolean;
  attachments: boolean;
  /** Pre-approved template messages (WhatsApp, Messenger utility/marketing). */
  templates: boolean;
  /** Public replies (comments under posts). */
  publicReplies: boolean;
  /** The channel reports sent / delivered / read / failed. */
  deliveryReceipts: boolean;
  /** The channel limits when a free-form reply may be sent; `replyWindow` must be implemented. */
  replyWindow: boolean;
  /** HTML bodies are rendered by the customer's client. */
  html: boolean;
}

/** What an adapter's webhook handler produced: the HTTP answer and the normalized events. */
export interface WebhookResult {
  /** The response to return to the provider (200 on success, 401 forged, 400 malformed, a challenge echo…). */
  response: Response;
  /** Normalized events to ingest; empty for challenges and rejected requests. */
  events: InboundEventInput[];
}

/** A message the desk asks a channel to deliver. */
export interface OutboundMessage {
  /** Stable id of the message in storedesk; adapters must make `send` safe to retry with it. */
  messageId: string;
  ticket: Ticket;
  customer: Customer;
  text: string;
  html?: string | null;
  subject?: string | null;
  attachments?: Attachment[];
  /** `public` to reply in a public thread (comments), `private` otherwise. */
  visibility: "private" | "public";
  /** External ids of earlier messages of the thread, oldest first, for threading headers. */
  thread: Array<Pick<Message, "externalId" | "direction" | "createdAt">>;
  /** A channel template to send instead of free text (name, language, parameters). */
  template?: { name: string; language: string; parameters?: Record<string, unknown> } | null;
  /** Channel-specific options (e.g. `{ tag: "HUMAN_AGENT" }`). */
  options?: Record<string, unknown>;
  /** An automatic message (acknowledgement, progress update): email marks it `Auto-Submitted: auto-replied`. */
  automatic?: boolean;
}

/** The channel's answer to a send. */
export interface SendReceipt {
  /** The provider's id of the sent message; later delivery receipts carry it. */
  externalId: string;
  status: DeliveryStatus;
  /** Channel facts to keep on the message (e.g. Message-ID, References). */
  meta?: Record<string, unknown>;
}

/** Whether a free-form reply may be sent now. */
export type ReplyWindow =
  | { kind: "open"; closesAt: Date | null; tag?: string }
  | { kind: "template_only"; closedAt: Date | null; reason: string; suggestedTemplate?: string | null };

/** Facts a reply window is computed from. */
export interface ReplyWindowContext {
  ticket: Ticket;
  /** The customer's last inbound message on this channel, if any. */
  lastInboundAt: Date | null;
  /** Author of the reply to check: human agents sometimes get a longer window (Messenger HUMAN_AGENT). */
  authorKind: "agent" | "bot" | "system";
}

/**
 * A channel plugin. Made by a factory (`whatsappChannel({...})`) returning a plain object.
 *
 * @example
 * const desk = createDesk({ store: memoryStore(), channels: [emailChannel({ ... })] });
 * app.post("/webhooks/email", (c) => desk.webhook("email")(c.req.raw));
 */
export interface ChannelAdapter {
  readonly specVersion: 1;
  /** Channel id, e.g. `whatsapp`; messages and tickets carry it. */
  readonly id: string;
  readonly displayName: string;
  readonly capabilities: ChannelCapabilities;
  /**
   * Handles one provider request. Must verify the signature over the raw body first
   * (forged or missing → 401, no events), then validate the payload with zod
   * (malformed → 400, no events). Must not write anything itself.
   */
  handleWebhook(request: Request): Promise<WebhookResult>;
  /**
   * Delivers a message. Must be safe to retry with the same `messageId`. Failures throw
   * a StoredeskError: RATE_LIMITED, PROVIDER_UNAVAILABLE (retryable), PROVIDER_AUTH,
   * REPLY_WINDOW_CLOSED, PROVIDER_ERROR.
   */
  send(message: OutboundMessage): Promise<SendReceipt>;
  /** Required when `capabilities.replyWindow`; pure: no I/O. */
  replyWindow?(context: ReplyWindowContext, now: Date): ReplyWindow;
}
