/** The webchat channel adapter: the desk's view of the chat (webhook in, replies out). */
import { systemClock } from "@storedesk/core";
import type { ChannelAdapter, Clock } from "@storedesk/core";
import type { ChatRuntime } from "./send.js";
import { sendChatMessage } from "./send.js";
import { DEFAULT_ATTACHMENT_LIMITS, handleChatMessage } from "./webhook.js";
import type { AttachmentLimits } from "./webhook.js";

/** Pre-chat form settings: which fields to show and which must be answered. */
export interface PrechatSettings {
  fields: Array<"name" | "email" | "orderNumber" | "topic">;
  /**
   * Fields the first message of every session must answer (non-blank; `email` a valid address),
   * else `POST /messages` answers 400 `INVALID_INPUT` at `["prechat", field]` and nothing is
   * stored. A client that omits `prechat` is refused too; once a message with the answers is
   * accepted, the session is marked and later messages need not repeat them.
   */
  required: Array<"name" | "email" | "orderNumber" | "topic">;
  /** Topics offered in the form. */
  topics?: string[];
}

/** Options of {@link webchatChannel}. */
export interface WebchatChannelOptions {
  /** Signs visitors' session tokens. Never sent to a browser, never in an error. */
  secret: string;
  /** Shared with the shop's server, which computes each logged-in customer's identity hash. */
  identitySecret?: string | null;
  /** Refuse visitors the shop's server did not vouch for (403). Default false. */
  verifiedOnly?: boolean;
  /**
   * Pre-chat form, or null for none. Default none. Its `required` fields gate each session's
   * first message; naming one that `fields` does not show throws.
   */
  prechat?: PrechatSettings | null;
  attachments?: Partial<AttachmentLimits>;
  /** Session token lifetime. Default 7 days. */
  sessionTtlMs?: number;
  /** Sends the reply by mail when the visitor has gone and left an email (an email channel adapter). */
  offlineMail?: ChannelAdapter | null;
  clock?: Clock;
  /** Channel id. Default `webchat`. */
  id?: string;
}

/** The resolved settings the chat server reads. */
export interface WebchatSettings {
  secret: string;
  identitySecret: string | null;
  verifiedOnly: boolean;
  prechat: PrechatSettings | null;
  attachments: AttachmentLimits;
  sessionTtlMs: number;
  clock: Clock;
}

/** The webchat adapter: a ChannelAdapter plus what {@link webchatServer} needs. */
export interface WebchatChannel extends ChannelAdapter {
  readonly settings: WebchatSettings;
  /** Called by the chat server with its presence and records (null to detach). */
  attach(runtime: ChatRuntime | null): void;
}

/**
 * Makes the live chat channel. Register it with the desk, then serve it with {@link webchatServer}.
 * Throws without a `secret`, or when `prechat.required` names a field `prechat.fields` does not show.
 *
 * @example
 * const webchat = webchatChannel({ secret: process.env.CHAT_SECRET!, identitySecret: process.env.CHAT_IDENTITY_SECRET });
 * const desk = createDesk({ store, channels: [webchat] });
 * const chat = webchatServer({ desk, channel: webchat });
 */
export function webchatChannel(options: WebchatChannelOptions): WebchatChannel {
  if (!options.secret) throw new Error("webchatChannel: secret is required");
  // A required field the form does not show could never be answered: every chat would be refused.
  for (const field of options.prechat?.required ?? []) {
    if (!options.prechat!.fields.includes(field))
      throw new Error(`webchatChannel: prechat.required names ${field}, which prechat.fields does not show`);
  }
  const id = options.id ?? "webchat";
  const settings: WebchatSettings = {
    secret: options.secret,
    identitySecret: options.identitySecret ?? null,
    verifiedOnly: options.verifiedOnly ?? false,
    prechat: options.prechat ?? null,
    attachments: { ...DEFAULT_ATTACHMENT_LIMITS, ...options.attachments },
    sessionTtlMs: options.sessionTtlMs ?? 7 * 24 * 3_600_000,
    clock: options.clock ?? systemClock(),
  };
  let runtime: ChatRuntime | null = null;
  const offlineMail = options.offlineMail ?? null;
  return {
    specVersion: 1,
    id,
    displayName: "Live chat",
    capabilities: {
      threads: true,
      attachments: true,
      templates: false,
      publicReplies: false,
      deliveryReceipts: true,
      replyWindow: false,
      html: false,
    },
    settings,
    attach(next) {
      runtime = next;
    },
    handleWebhook: (request) =>
      handleChatMessage(request, {
        channelId: id,
        secret: settings.secret,
        verifiedOnly: settings.verifiedOnly,
        attachments: settings.attachments,
        now: () => settings.clock.now(),
        requiredPrechat: settings.prechat?.required ?? [],
      }),
    send: (message) => sendChatMessage(message, { runtime, offlineMail }),
  };
}
