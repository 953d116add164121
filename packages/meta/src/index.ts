/**
 * @storedesk/meta: Messenger and Instagram as storedesk channels: DMs, public
 * comments on Facebook posts and Instagram media, public and private replies.
 * One internal core serves two adapters (`messenger`, `instagram`) and one
 * webhook that accepts both `object: "page"` and `object: "instagram"`.
 *
 * @packageDocumentation
 */
import type { ChannelAdapter, Clock, ReplyWindow, ReplyWindowContext, WebhookResult } from "@storedesk/core";
import { invalidInput, systemClock } from "@storedesk/core";
import { createGraphClient } from "@storedesk/meta-graph";
import type { ConversationLinks } from "./links.js";
import { memoryConversationLinks } from "./links.js";
import { sendMeta } from "./send.js";
import type { MetaChannelId } from "./webhook.js";
import { handleMetaWebhook } from "./webhook.js";
import { META_HUMAN_AGENT_WINDOW_MS, metaReplyWindow } from "./window.js";

export { memoryConversationLinks } from "./links.js";
export type { ConversationLinks, PrivateReplyLink } from "./links.js";
export { metaReplyWindow, META_STANDARD_WINDOW_MS, META_HUMAN_AGENT_WINDOW_MS } from "./window.js";
export type { MetaWindowOptions } from "./window.js";
export { parseMetaPayload, dmConversationKey, commentConversationKey } from "./webhook.js";
export type { MetaWebhookConfig } from "./webhook.js";
export type { MetaChannelId } from "./webhook.js";
export { MetaSendOptionsSchema } from "./send.js";
export type { MetaSendOptions } from "./send.js";
export * from "./schemas.js";
export { metaSendError, META_OUTSIDE_WINDOW_SUBCODE } from "./errors.js";

/** Options of {@link metaChannel}. */
export interface MetaChannelOptions {
  /** Page access token (Bearer header only, never logged). Sends both Messenger and Instagram messages. */
  pageAccessToken: string;
  /** App secret: verifies `X-Hub-Signature-256` of every webhook POST. */
  appSecret: string;
  /** The verify token entered in the App Dashboard. */
  verifyToken: string;
  /** The Facebook Page id. */
  pageId: string;
  /**
   * The Meta app's id. Set it to record the replies agents type in the Page inbox (or Business
   * Suite, the Instagram app) on the customer's ticket: echoes from any other app become agent
   * replies there, echoes from this app stay receipts of the desk's own sends.
   */
  appId?: string;
  /** The Instagram professional account id linked to the page; entries of other accounts are dropped. */
  instagramAccountId?: string;
  /** Which channels the webhook emits events for. Default both. */
  channels?: MetaChannelId[];
  /** Graph API version. Default `v21.0`. */
  apiVersion?: string;
  /** Default `https://graph.facebook.com`. */
  graphBaseUrl?: string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per Graph call on 429 / 5xx, the first included. Default 3. */
  attempts?: number;
  clock?: Clock;
  /** Where private-reply links live (default in memory; share one across instances). */
  links?: ConversationLinks;
  /** Override Meta's 24 h / 7 day windows (tests, policy changes). */
  standardWindowMs?: number;
  humanAgentWindowMs?: number;
}

/** A Messenger or Instagram adapter. */
export interface MetaChannel extends ChannelAdapter {
  readonly id: MetaChannelId;
  replyWindow(context: ReplyWindowContext, now: Date): ReplyWindow;
}

/** Both Meta adapters over one core, plus the combined webhook. */
export interface MetaChannels {
  messenger: MetaChannel;
  instagram: MetaChannel;
  /** Both adapters, for `createDesk({ channels: [...meta.adapters] })`. */
  adapters: [MetaChannel, MetaChannel];
  /** The combined webhook: accepts `page` and `instagram` objects, returns events of both channels. */
  handleWebhook(request: Request): Promise<WebhookResult>;
}

/**
 * Makes the Messenger and Instagram adapters sharing one core (one Graph client,
 * one private-reply memory). Each adapter's `handleWebhook` is the combined
 * webhook: it accepts both objects and returns events of both channels (each event
 * names its channel), so one callback URL can serve both Meta products.
 *
 * @example
 * const meta = metaChannel({ pageAccessToken, appSecret, verifyToken, pageId: "1234", instagramAccountId: "1784…" });
 * const desk = createDesk({ store: memoryStore(), channels: meta.adapters });
 * app.all("/webhooks/meta", (c) => desk.webhook("messenger")(c.req.raw)); // Instagram events included
 */
export function metaChannel(options: MetaChannelOptions): MetaChannels {
  for (const key of ["pageAccessToken", "appSecret", "verifyToken", "pageId"] as const) {
    if (typeof options[key] !== "string" || options[key].length === 0)
      throw invalidInput(`metaChannel: ${key} is required`, [key]);
  }
  const clock = options.clock ?? systemClock();
  const links = options.links ?? memoryConversationLinks();
  const window = {
    ...(options.standardWindowMs ? { standardWindowMs: options.standardWindowMs } : {}),
    ...(options.humanAgentWindowMs ? { humanAgentWindowMs: options.humanAgentWindowMs } : {}),
  };
  const instagramAccountId = options.instagramAccountId ?? null;
  const graph = createGraphClient({
    provider: "meta",
    accessToken: options.pageAccessToken,
    apiVersion: options.apiVersion ?? "v21.0",
    graphBaseUrl: options.graphBaseUrl ?? "https://graph.facebook.com",
    secrets: [options.appSecret],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.attempts ? { attempts: options.attempts } : {}),
  });
  const handleWebhook = (request: Request) =>
    handleMetaWebhook(request, {
      appSecret: options.appSecret,
      verifyToken: options.verifyToken,
      pageId: options.pageId,
      instagramAccountId,
      channels: options.channels ?? ["messenger", "instagram"],
      links,
      linkMaxAgeMs: options.humanAgentWindowMs ?? META_HUMAN_AGENT_WINDOW_MS,
      appId: options.appId ?? null,
      now: () => clock.now(),
    });

  const make = (id: MetaChannelId): MetaChannel => ({
    specVersion: 1,
    id,
    displayName: id === "messenger" ? "Messenger" : "Instagram",
    capabilities: {
      threads: true,
      attachments: true,
      templates: false,
      publicReplies: true,
      deliveryReceipts: true,
      replyWindow: true,
      html: false,
    },
    handleWebhook,
    send: (message) =>
      sendMeta(message, {
        channel: id,
        graph,
        pageId: options.pageId,
        instagramAccountId,
        links,
        now: () => clock.now(),
        window,
      }),
    replyWindow: (context, now) => metaReplyWindow(context, now, window),
  });
  const messenger = make("messenger");
  const instagram = make("instagram");
  return { messenger, instagram, adapters: [messenger, instagram], handleWebhook };
}

/**
 * The Messenger adapter alone (its webhook still accepts both objects). Prefer
 * {@link metaChannel} when you use Instagram too, so both share one private-reply memory.
 *
 * @example
 * const desk = createDesk({ store, channels: [messengerChannel({ pageAccessToken, appSecret, verifyToken, pageId, channels: ["messenger"] })] });
 */
export function messengerChannel(options: MetaChannelOptions): MetaChannel {
  return metaChannel(options).messenger;
}

/**
 * The Instagram adapter alone (its webhook still accepts both objects).
 *
 * @example
 * const desk = createDesk({ store, channels: [instagramChannel({ pageAccessToken, appSecret, verifyToken, pageId, instagramAccountId, channels: ["instagram"] })] });
 */
export function instagramChannel(options: MetaChannelOptions): MetaChannel {
  return metaChannel(options).instagram;
}
