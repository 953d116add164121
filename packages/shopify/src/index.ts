/**
 * @storedesk/shopify: the CommerceProvider on the Shopify Admin GraphQL API,
 * the guarded refund / cancel / discount actions for tickets, and the Shopify
 * webhook handler (orders, fulfillments, refunds, customers, privacy topics).
 *
 * @packageDocumentation
 */
export { shopifyCommerce, toGid, fromGid, supportsIdempotentDirective } from "./shopify-commerce.js";
export type { ShopifyCommerce, ShopifyCommerceOptions } from "./shopify-commerce.js";
export { createGraphqlClient } from "./graphql-client.js";
export type { GraphqlClient, GraphqlClientOptions, ThrottleStatus } from "./graphql-client.js";
export { checkActionAllowed, compensationKind, actionAmount } from "./guardrails.js";
export type { CompensationKind, GuardrailContext, GuardrailDecision } from "./guardrails.js";
export {
  createCommerceActions,
  COMMERCE_SCOPE,
  APPROVAL_SCOPE,
  CLAIM_SCOPE,
  CLAIM_RELEASE_SCOPE,
} from "./commerce-actions.js";
export type {
  ActionAgent,
  CommerceActions,
  CommerceActionsOptions,
  RunActionInput,
  RunActionOutcome,
} from "./commerce-actions.js";
export { shopifyWebhooks, WEBHOOK_SCOPE, FULFILLMENT_NOTICE_SCOPE, ORDER_TICKET_SCOPE } from "./webhook.js";
export type { ShopifyWebhookMessages, ShopifyWebhooksOptions } from "./webhook.js";
export { releaseWebhookClaim } from "./webhook-claims.js";
export { listClaimReleases, CLAIM_RELEASES_NAMESPACE } from "./claim.js";
export type { ClaimRelease } from "./claim.js";
export type { DeskLike } from "./desk-like.js";
export { renderMessage } from "./render-template.js";
export type { ShopifyMessageTemplate } from "./render-template.js";
export { userErrorsToError } from "./errors.js";
export type { ShopifyUserError } from "./errors.js";
export {
  CommerceActionSchema,
  OrderWebhookSchema,
  FulfillmentWebhookSchema,
  RefundWebhookSchema,
  CustomerWebhookSchema,
  DataRequestWebhookSchema,
  CustomerRedactWebhookSchema,
  ShopRedactWebhookSchema,
  UserErrorSchema,
  ThrottleStatusSchema,
} from "./schemas.js";
export type {
  OrderWebhook,
  FulfillmentWebhook,
  RefundWebhook,
  CustomerWebhook,
  DataRequestWebhook,
  CustomerRedactWebhook,
  ShopRedactWebhook,
} from "./schemas.js";
