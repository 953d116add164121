/** The Shopify webhook handler's idempotency scopes and options (see webhook.ts). */
import type { Clock, CommerceProvider, Store } from "@storedesk/core";
import type { ClaimScopes } from "./claim.js";
import type { DeskLike } from "./desk-like.js";
import type { ShopifyMessageTemplate } from "./render-template.js";
import type { DataRequestWebhook, OrderWebhook, ShopRedactWebhook } from "./schemas.js";

/** Idempotency scope of processed webhook ids (`X-Shopify-Webhook-Id`); the result is the answer given. */
export const WEBHOOK_SCOPE = "shopify-webhook";
/** Idempotency scope of webhook ids being processed (key = `<generation>:<webhook id>`, state "running"). */
export const WEBHOOK_CLAIM_SCOPE = "shopify-webhook-claim";
/** Idempotency scope marking a claim generation as failed, so a redelivery may claim the next one. */
export const WEBHOOK_CLAIM_RELEASE_SCOPE = "shopify-webhook-claim-release";
/** The claim scopes of webhook ids (see claim.ts). */
export const WEBHOOK_SCOPES: ClaimScopes = {
  done: WEBHOOK_SCOPE,
  claim: WEBHOOK_CLAIM_SCOPE,
  release: WEBHOOK_CLAIM_RELEASE_SCOPE,
};
/** Idempotency scope of the ticket each order's notices go on (key = order id, result `{ ticketId }`). */
export const ORDER_TICKET_SCOPE = "shopify-order-ticket";
/** Idempotency scope of shipping notices already sent (fulfillment + tracking + shipment status). */
export const FULFILLMENT_NOTICE_SCOPE = "shopify-fulfillment-notice";

/** Message templates per webhook; `false` turns a default one off. */
export interface ShopifyWebhookMessages {
  /** orders/create: the post-purchase message (expected delivery, carrier, warranty, support). Sent only when set. */
  orderCreated?: ShopifyMessageTemplate;
  /** fulfillments/create|update: the shipping update; a built-in English/Korean text by default. */
  fulfillment?: ShopifyMessageTemplate | false;
  /** The answer posted on an open "where is my order" ticket; defaults to the fulfillment text. */
  trackingReply?: ShopifyMessageTemplate;
  /** customers/create: the welcome message. Sent only when set. */
  welcome?: ShopifyMessageTemplate;
}

/** Options of {@link shopifyWebhooks}. */
export interface ShopifyWebhooksOptions {
  /** The app's client secret (signs `X-Shopify-Hmac-Sha256`). */
  secret: string;
  store: Store;
  desk: DeskLike;
  clock?: Clock;
  messages?: ShopifyWebhookMessages;
  /** Extra template variables, e.g. `{ shop: { name }, support: { email, hours }, warranty: "1 year" }`. */
  variables?: Record<string, unknown>;
  /** Expected delivery for the post-purchase message (ISO date or free text), when the shop knows it. */
  estimateDelivery?: (order: OrderWebhook, now: Date) => string | null;
  /** Status a refund_exchange ticket moves to when its refund arrives; default `solved`. */
  refundStatus?: "solved" | "pending";
  /** Name recorded as the bot actor of status changes; default `shopify`. */
  botName?: string;
  /** Language used when the customer has none or the template lacks theirs; default `en`. */
  defaultLocale?: string;
  /** When set, webhooks from another shop domain are acknowledged and ignored. */
  shopDomain?: string;
  /** Optional: used to learn an order's name for refunds (whose payload carries only the id). */
  commerce?: CommerceProvider;
  /** customers/data_request: receives the desk's export of each matching customer. */
  onDataRequest?: (request: { payload: DataRequestWebhook; exports: unknown[] }) => Promise<void> | void;
  /** shop/redact: replaces the default (erase every desk customer holding a `shopify` identity found through tickets). */
  onShopRedact?: (payload: ShopRedactWebhook) => Promise<void> | void;
  newId?: () => string;
  /**
   * How a duplicate delivery waits for the delivery that is processing the same webhook id
   * (Shopify waits 5 s for an answer). Defaults: poll every 200 ms for up to 3 s; still
   * running after that → 503, so Shopify asks again later.
   */
  claimWait?: { pollMs?: number; maxWaitMs?: number };
  /** Waits between polls; injectable for tests. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}
