import { StoredeskError, manualClock, memoryStore } from "@storedesk/core";
import { describe, expect, it } from "vitest";
import { claimOnce, listClaimReleases } from "./claim.js";
import { releaseWebhookClaim } from "./webhook-claims.js";
import { WEBHOOK_CLAIM_RELEASE_SCOPE, WEBHOOK_CLAIM_SCOPE, WEBHOOK_SCOPES } from "./webhook.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");

describe("releaseWebhookClaim", () => {
  it("frees a webhook id a crashed process left running, once, with an audit record; the next delivery claims it", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    await store.putIdempotency({
      scope: WEBHOOK_CLAIM_SCOPE,
      key: "0:wh-1",
      result: { state: "running", at: T0.toISOString(), topic: "orders/create" },
      createdAt: T0,
    });
    expect(await releaseWebhookClaim(store, "wh-never", "ops-jin", { clock })).toBe(false);
    expect(await releaseWebhookClaim(store, "wh-1", "ops-jin", { clock })).toBe(true);
    expect(await releaseWebhookClaim(store, "wh-1", "ops-jin", { clock })).toBe(false);
    expect((await store.getIdempotency(WEBHOOK_CLAIM_RELEASE_SCOPE, "0:wh-1"))?.result).toMatchObject({
      state: "released",
      by: "ops-jin",
    });
    expect(await listClaimReleases(store, { scope: WEBHOOK_CLAIM_SCOPE })).toEqual([
      {
        scope: WEBHOOK_CLAIM_SCOPE,
        id: "wh-1",
        generation: 0,
        operator: "ops-jin",
        runningSince: T0.toISOString(),
        releasedAt: T0.toISOString(),
      },
    ]);
    const ctx = { store, clock, sleep: async () => undefined, pollMs: 1, maxPolls: 1 };
    const busy = () => new StoredeskError({ code: "CONFLICT", message: "busy", retryable: true });
    expect(await claimOnce(ctx, WEBHOOK_SCOPES, "wh-1", {}, busy)).toEqual({ key: "1:wh-1" });
  });

  it("refuses a missing webhook id or operator with INVALID_INPUT", async () => {
    const store = memoryStore();
    await expect(releaseWebhookClaim(store, "", "ops")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(releaseWebhookClaim(store, "wh", "")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
