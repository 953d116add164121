import type {
  ChannelAdapter,
  ChannelCapabilities,
  OutboundMessage,
  ReplyWindow,
  SendReceipt,
} from "../ports/channel.js";
import type { InboundEventInput } from "../domain/inbound.js";
import { jsonResponse, parseJson, readRawBody } from "../channel-kit/http-responses.js";
import { StoredeskError } from "../errors.js";

/** Options of {@link memoryChannel}. */
export interface MemoryChannelOptions {
  id?: string;
  capabilities?: Partial<ChannelCapabilities>;
  /** A reply window rule, e.g. 24 hours since the customer's last message. */
  windowMs?: number | null;
  /** Makes the next sends fail with these errors, in order. */
  failures?: StoredeskError[];
}

/** An in-process channel adapter: it records what is sent and accepts JSON inbound events unsigned. */
export interface MemoryChannel extends ChannelAdapter {
  /** Everything sent through it, oldest first. */
  readonly sent: OutboundMessage[];
  /** Queue a send failure. */
  failNextSend(error: StoredeskError): void;
}

/**
 * A channel for examples and tests: nothing leaves the process. Its webhook
 * takes a JSON array of inbound events (no signature: never expose it).
 *
 * @example
 * const chat = memoryChannel({ id: "webchat" });
 * const desk = createDesk({ store: memoryStore(), channels: [chat] });
 */
export function memoryChannel(options: MemoryChannelOptions = {}): MemoryChannel {
  const id = options.id ?? "webchat";
  const sent: OutboundMessage[] = [];
  const failures = [...(options.failures ?? [])];
  const windowMs = options.windowMs ?? null;
  return {
    specVersion: 1,
    id,
    displayName: `In-memory ${id}`,
    capabilities: {
      threads: true,
      attachments: true,
      templates: windowMs !== null,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: windowMs !== null,
      html: false,
      ...options.capabilities,
    },
    sent,
    failNextSend(error) {
      failures.push(error);
    },
    async handleWebhook(request) {
      const body = parseJson(await readRawBody(request));
      const events = (Array.isArray(body) ? body : [body]) as InboundEventInput[];
      return { response: jsonResponse({ ok: true }), events };
    },
    async send(message): Promise<SendReceipt> {
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push(message);
      return { externalId: `${id}-out-${message.messageId}`, status: "sent" };
    },
    ...(windowMs !== null
      ? {
          replyWindow({ lastInboundAt }, now): ReplyWindow {
            if (lastInboundAt && now.getTime() - lastInboundAt.getTime() <= windowMs)
              return { kind: "open", closesAt: new Date(lastInboundAt.getTime() + windowMs) };
            return {
              kind: "template_only",
              closedAt: lastInboundAt ? new Date(lastInboundAt.getTime() + windowMs) : null,
              reason: "outside the reply window",
              suggestedTemplate: "follow_up",
            };
          },
        }
      : {}),
  };
}
