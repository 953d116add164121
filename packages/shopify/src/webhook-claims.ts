/** Operator tools for webhook ids left claimed ("running") by a process that died mid-delivery. */
import { StoredeskError, systemClock, type Clock, type Store } from "@storedesk/core";
import { releaseRunningClaim } from "./claim.js";
import { WEBHOOK_SCOPES } from "./webhook.js";

/**
 * Releases the claim on a Shopify webhook id (`X-Shopify-Webhook-Id`) that a crashed process left
 * running, so Shopify's next redelivery of it is processed. Check first that its effect (a notice
 * sent, a ticket written) did not happen. The release is audited: `listClaimReleases(store)` shows
 * who released which id and when. Returns false when the id is not stuck (never claimed, already
 * released, or done).
 *
 * @example
 * await releaseWebhookClaim(store, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "ops-jin");
 */
export async function releaseWebhookClaim(
  store: Store,
  webhookId: string,
  operator: string,
  opts: { clock?: Clock } = {},
): Promise<boolean> {
  if (typeof webhookId !== "string" || webhookId.length === 0) {
    throw new StoredeskError({ code: "INVALID_INPUT", message: "webhookId is required", path: ["webhookId"] });
  }
  if (typeof operator !== "string" || operator.length === 0) {
    throw new StoredeskError({ code: "INVALID_INPUT", message: "operator is required", path: ["operator"] });
  }
  return releaseRunningClaim({ store, clock: opts.clock ?? systemClock() }, WEBHOOK_SCOPES, webhookId, operator);
}
