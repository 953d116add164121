/**
 * @storedesk/whatsapp: the WhatsApp Cloud API as a storedesk channel: verified
 * webhooks, inbound messages and receipts, outbound text/media/interactive/template
 * messages, and the 24-hour customer service window.
 *
 * @packageDocumentation
 */
import type { ChannelAdapter, Clock, ReplyWindow, ReplyWindowContext } from "@storedesk/core";
import { invalidInput, systemClock } from "@storedesk/core";
import { createGraphClient } from "@storedesk/meta-graph";
import { WaMediaInfoSchema } from "./schemas.js";
import { sendWhatsApp } from "./send.js";
import type { TemplateRegistry } from "./templates.js";
import { handleWhatsAppWebhook } from "./webhook.js";
import { WHATSAPP_WINDOW_MS, whatsappReplyWindow } from "./window.js";
import { WHATSAPP_ERROR_CODES } from "./errors.js";

export { defineTemplateRegistry, templatePayload, TemplateParametersSchema } from "./templates.js";
export type {
  TemplateDefinition,
  TemplateParameters,
  TemplateParameterCounts,
  TemplateRegistry,
  ResolvedTemplate,
  TemplateButtonKind,
  TemplateHeaderKind,
  TemplateMedia,
} from "./templates.js";
export { whatsappReplyWindow, WHATSAPP_WINDOW_MS } from "./window.js";
export { parseWhatsAppPayload, whatsappConversationKey } from "./webhook.js";
export type { WhatsAppWebhookConfig } from "./webhook.js";
export { WhatsAppSendOptionsSchema } from "./send.js";
export { recipientOf, whatsappRecipient } from "./recipient.js";
export type { WhatsAppRecipient } from "./recipient.js";
export type { WhatsAppSendOptions } from "./send.js";
export { WHATSAPP_ERROR_CODES } from "./errors.js";
export * from "./schemas.js";

/** Options of {@link whatsappChannel}. */
export interface WhatsAppChannelOptions {
  /** System-user or business access token (sent only as a Bearer header, never logged). */
  accessToken: string;
  /** App secret: verifies `X-Hub-Signature-256` of every webhook POST. */
  appSecret: string;
  /** The token you entered in the App Dashboard; answers the GET verification. */
  verifyToken: string;
  /** The business phone number's id; webhooks for other numbers are acknowledged and dropped. */
  phoneNumberId: string;
  /** Graph API version. Default `v21.0`. */
  apiVersion?: string;
  /** Default `https://graph.facebook.com`. */
  graphBaseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Approved templates; template sends are validated against it before they leave. */
  templates?: TemplateRegistry;
  /** The template to name when the window is closed. Default: the registry's first utility template. */
  windowTemplate?: string;
  /** Customer service window length. Default 24 h. */
  windowMs?: number;
  /** Injected for tests: retries do not wait for real. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per Graph call on 429 / 5xx, the first included. Default 3. */
  attempts?: number;
  clock?: Clock;
  /** Channel id. Default `whatsapp`. */
  id?: string;
}

/** A downloaded WhatsApp media file. */
export interface WhatsAppMedia {
  bytes: Uint8Array;
  contentType: string;
  sha256: string | null;
  size: number;
}

/** The WhatsApp adapter: a ChannelAdapter plus `fetchMedia`. */
export interface WhatsAppChannel extends ChannelAdapter {
  replyWindow(context: ReplyWindowContext, now: Date): ReplyWindow;
  /** Downloads an inbound attachment by its media id (`attachment.providerId`): `GET /{media-id}`, then the file with the bearer token. */
  fetchMedia(mediaId: string): Promise<WhatsAppMedia>;
  /** The template registry given in the options, if any. */
  readonly templates: TemplateRegistry | null;
}

/**
 * Makes the WhatsApp Cloud API channel.
 *
 * @example
 * const whatsapp = whatsappChannel({
 *   accessToken: process.env.WA_TOKEN!, appSecret: process.env.META_APP_SECRET!,
 *   verifyToken: process.env.WA_VERIFY_TOKEN!, phoneNumberId: "106540352242922",
 *   templates: defineTemplateRegistry([{ name: "support_followup", language: "ko", category: "utility", parameters: { body: 1 } }]),
 * });
 * const desk = createDesk({ store: memoryStore(), channels: [whatsapp] });
 * app.all("/webhooks/whatsapp", (c) => desk.webhook("whatsapp")(c.req.raw));
 */
export function whatsappChannel(options: WhatsAppChannelOptions): WhatsAppChannel {
  for (const key of ["accessToken", "appSecret", "verifyToken", "phoneNumberId"] as const) {
    if (typeof options[key] !== "string" || options[key].length === 0)
      throw invalidInput(`whatsappChannel: ${key} is required`, [key]);
  }
  const id = options.id ?? "whatsapp";
  const clock = options.clock ?? systemClock();
  const windowMs = options.windowMs ?? WHATSAPP_WINDOW_MS;
  const templates = options.templates ?? null;
  const suggestedTemplate = options.windowTemplate ?? templates?.suggested()?.name ?? null;
  const graph = createGraphClient({
    provider: "whatsapp",
    accessToken: options.accessToken,
    apiVersion: options.apiVersion ?? "v21.0",
    graphBaseUrl: options.graphBaseUrl ?? "https://graph.facebook.com",
    codes: WHATSAPP_ERROR_CODES,
    secrets: [options.appSecret],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.attempts ? { attempts: options.attempts } : {}),
  });

  return {
    specVersion: 1,
    id,
    displayName: "WhatsApp",
    capabilities: {
      threads: true,
      attachments: true,
      templates: true,
      publicReplies: false,
      deliveryReceipts: true,
      replyWindow: true,
      html: false,
    },
    templates,
    handleWebhook: (request) =>
      handleWhatsAppWebhook(request, {
        appSecret: options.appSecret,
        verifyToken: options.verifyToken,
        phoneNumberId: options.phoneNumberId,
        channelId: id,
        now: () => clock.now(),
      }),
    send: (message) =>
      sendWhatsApp(message, {
        graph,
        phoneNumberId: options.phoneNumberId,
        templates,
        windowMs,
        now: () => clock.now(),
        suggestedTemplate,
      }),
    replyWindow: (context, now) => whatsappReplyWindow(context, now, { windowMs, suggestedTemplate }),
    async fetchMedia(mediaId) {
      if (!/^[\w.-]+$/.test(mediaId)) throw invalidInput("Invalid WhatsApp media id", ["mediaId"]);
      const info = await graph.call("get", encodeURIComponent(mediaId), WaMediaInfoSchema);
      const file = await graph.download(info.url);
      return {
        bytes: file.bytes,
        contentType: info.mime_type ?? file.contentType ?? "application/octet-stream",
        sha256: info.sha256 ?? null,
        size: file.bytes.byteLength,
      };
    },
  };
}
