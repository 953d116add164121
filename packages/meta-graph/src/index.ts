/**
 * @storedesk/meta-graph: the Meta Graph API client shared by the WhatsApp,
 * Messenger and Instagram adapters (adapters never depend on each other, and core
 * does no I/O, so the one client lives here): ky with an injectable fetch, no
 * retries of its own (core's `withRetry` retries RATE_LIMITED and
 * PROVIDER_UNAVAILABLE with an injectable sleep), Graph errors mapped by
 * `graphApiError`. The access token travels only in the Authorization header and
 * is scrubbed from every error.
 *
 * The one webhook skeleton of the Graph products (challenge, 405, signature over the raw bytes,
 * parse) is here too, so WhatsApp and Messenger/Instagram answer alike.
 *
 * @packageDocumentation
 */
export { createGraphClient } from "./graph-client.js";
export type { GraphClient, GraphClientOptions } from "./graph-client.js";
export { handleGraphWebhook } from "./webhook.js";
export type { GraphWebhookOptions } from "./webhook.js";
