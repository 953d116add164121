import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import {
  StoredeskError,
  manualClock,
  memoryStore,
  type ActionPlanInput,
  type CommerceAction,
  type CommerceActionResult,
  type CommerceProvider,
  type OrderSummary,
  type Store,
} from "@storedesk/core";
import { createCommerceActions, shopifyCommerce, type CommerceActionsOptions } from "./index.js";
import { CLAIM_RELEASE_SCOPE, CLAIM_SCOPE } from "./commerce-actions.js";
import { sampleCustomer } from "@storedesk/core/testing";
import { GRAPHQL_URL, SHOP, TOKEN, fixture, makeTicket } from "./test-support.js";

const plans: ActionPlanInput[] = [
  {
    category: "refund_exchange",
    responsibleTeam: "cs",
    decisionMaker: "cs-lead",
    informationNeeded: [],
    channels: ["email"],
    serviceHours: "Mon–Fri",
    compensation: {
      currency: "KRW",
      kinds: ["refund", "partial_refund", "discount_code"],
      limits: [{ role: "agent", maxAmount: 30000, maxPercent: 10 }],
      approverRole: "lead",
    },
  },
];
const agents = [
  { id: "kim", role: "agent" },
  { id: "lee", role: "agent" },
  { id: "park", role: "lead" },
];

const order: OrderSummary = {
  id: "gid://shopify/Order/5678901234567",
  name: "#1001",
  createdAt: "2026-03-02T01:00:00Z",
  currency: "KRW",
  total: 59000,
  financialStatus: "PAID",
  fulfillmentStatus: "FULFILLED",
  cancelledAt: null,
  lines: [
    { id: "gid://shopify/LineItem/1", title: "Linen shirt", quantity: 1, price: 39000, sku: null },
    { id: "gid://shopify/LineItem/2", title: "Canvas tote", quantity: 1, price: 20000, sku: null },
  ],
  shipments: [],
};

/** A provider double that counts actions and answers like Shopify would. */
function fakeCommerce() {
  const performed: Array<{ action: CommerceAction; key: string }> = [];
  const provider: CommerceProvider = {
    specVersion: 1,
    id: "fake",
    customerContext: async () => null,
    getOrder: async (id) => (id === "5678901234567" || id === order.id ? order : null),
    performAction: async (action, key): Promise<CommerceActionResult> => {
      performed.push({ action, key });
      return {
        type: action.type,
        id: `gid://shopify/Refund/${performed.length}`,
        amount: action.type === "refund" ? (action.amount ?? 59000) : null,
        currency: "KRW",
      };
    },
  };
  return { provider, performed };
}

async function setup(
  commerce: CommerceProvider = fakeCommerce().provider,
  extra: Partial<CommerceActionsOptions> = {},
) {
  const store = memoryStore();
  const clock = manualClock(new Date("2026-03-04T00:00:00Z"));
  await store.insertCustomer(
    sampleCustomer({
      id: "c1",
      name: "Minji",
      identities: [{ kind: "email", value: "kim@example.com" }],
      createdAt: clock.now(),
      updatedAt: clock.now(),
    }),
  );
  await store.insertTicket(makeTicket({ id: "t1", number: 1, customerId: "c1" }));
  await store.appendEvent({
    id: "e0",
    ticketId: "t1",
    seq: 1,
    type: "ticket.created",
    at: clock.now(),
    actor: { kind: "customer", id: "c1" },
    data: {},
  });
  let n = 0;
  const actions = createCommerceActions({ commerce, store, clock, plans, agents, newId: () => `id-${++n}`, ...extra });
  return { store, clock, actions };
}

describe("createCommerceActions", () => {
  it("performs an action within the agent's limit and audits it with the next seq and a new ticket version", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const out = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", amount: 20000, reason: "scratched" },
      idempotencyKey: "t1-refund-1",
    });
    expect(out).toMatchObject({ status: "done", replayed: false, result: { type: "refund", amount: 20000 } });
    expect(fake.performed).toEqual([
      { action: { type: "refund", orderId: "5678901234567", amount: 20000, reason: "scratched" }, key: "t1-refund-1" },
    ]);
    const events = await store.listEvents("t1");
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, "ticket.created"],
      [2, "commerce.action"],
    ]);
    expect(events[1]).toMatchObject({
      actor: { kind: "agent", id: "kim" },
      data: { kind: "partial_refund", idempotencyKey: "t1-refund-1", result: { amount: 20000 } },
    });
    expect((await store.getTicket("t1"))?.version).toBe(2);
  });

  it("a retry with the same idempotency key never refunds twice and returns the first result", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const input = {
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund" as const, orderId: "5678901234567", amount: 1000, reason: "x" },
      idempotencyKey: "same-key",
    };
    const first = await actions.run(input);
    const second = await actions.run(input);
    expect(fake.performed).toHaveLength(1);
    expect(second).toEqual({ ...first, replayed: true });
    expect((await store.listEvents("t1")).filter((e) => e.type === "commerce.action")).toHaveLength(1);
  });

  it("refuses to reuse a key for a different action", async () => {
    const { actions } = await setup();
    await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", amount: 1000, reason: "x" },
      idempotencyKey: "k",
    });
    await expect(
      actions.run({
        ticketId: "t1",
        agentId: "kim",
        action: { type: "refund", orderId: "5678901234567", amount: 2000, reason: "x" },
        idempotencyKey: "k",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", path: ["idempotencyKey"] });
  });

  it("files an over-limit action for approval without touching the shop", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const out = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" },
      idempotencyKey: "big-refund",
    });
    expect(out).toEqual({
      status: "pending_approval",
      approvalId: "id-1",
      reason: "over_limit",
      approverRole: "lead",
      replayed: false,
    });
    expect(fake.performed).toHaveLength(0);
    const ev = (await store.listEvents("t1"))[1]!;
    expect(ev).toMatchObject({
      seq: 2,
      type: "commerce.approval_requested",
      actor: { kind: "agent", id: "kim" },
      data: {
        approvalId: "id-1",
        reason: "over_limit",
        approverRole: "lead",
        amount: 59000,
        limit: { maxAmount: 30000 },
      },
    });
    // Asking again with the same key files nothing new.
    expect(
      await actions.run({
        ticketId: "t1",
        agentId: "kim",
        action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" },
        idempotencyKey: "big-refund",
      }),
    ).toMatchObject({ status: "pending_approval", approvalId: "id-1", replayed: true });
    expect(await store.listEvents("t1")).toHaveLength(2);
  });

  it("refuses an approval by an agent without the approver role, then performs it for the approver exactly once", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const out = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" },
      idempotencyKey: "big",
    });
    if (out.status !== "pending_approval") throw new Error("expected approval");

    const wrong = await actions.approve(out.approvalId, "lee").catch((e: unknown) => e);
    expect(StoredeskError.is(wrong, "APPROVAL_REQUIRED")).toBe(true);
    expect((wrong as StoredeskError).details).toMatchObject({ approverRole: "lead" });
    expect(fake.performed).toHaveLength(0);

    const done = await actions.approve(out.approvalId, "park");
    expect(done).toMatchObject({ status: "done", replayed: false, result: { amount: 59000 } });
    expect(fake.performed).toEqual([
      { action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" }, key: "big" },
    ]);
    const last = (await store.listEvents("t1")).at(-1)!;
    expect(last).toMatchObject({
      seq: 3,
      type: "commerce.action",
      actor: { kind: "agent", id: "park" },
      data: { approvalId: out.approvalId, requestedBy: "kim", approvedBy: "park" },
    });

    expect(await actions.approve(out.approvalId, "park")).toMatchObject({ status: "done", replayed: true });
    // The requester's retry now sees the performed result.
    expect(
      await actions.run({
        ticketId: "t1",
        agentId: "kim",
        action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" },
        idempotencyKey: "big",
      }),
    ).toMatchObject({ status: "done", replayed: true });
    expect(fake.performed).toHaveLength(1);
  });

  it("files a kind the plan does not allow for approval", async () => {
    const { actions } = await setup();
    const out = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "cancel", orderId: "5678901234567", reason: "x", refund: false, restock: true },
      idempotencyKey: "c",
    });
    expect(out).toMatchObject({ status: "pending_approval", reason: "kind_not_allowed" });
  });

  it("measures a line refund by the chosen lines' prices", async () => {
    const fake = fakeCommerce();
    const { actions } = await setup(fake.provider);
    const small = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", lines: [{ lineId: "2", quantity: 1 }], reason: "x" },
      idempotencyKey: "l1",
    });
    const big = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", lines: [{ lineId: "1", quantity: 1 }], reason: "x" },
      idempotencyKey: "l2",
    });
    expect(small.status).toBe("done");
    expect(big.status).toBe("pending_approval");
  });

  it("rejects bad input and unknown agents or tickets before writing anything", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    await expect(
      actions.run({
        ticketId: "t1",
        agentId: "kim",
        action: { type: "refund", orderId: "1", amount: -5, reason: "x" },
        idempotencyKey: "a",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      actions.run({
        ticketId: "t1",
        agentId: "kim",
        action: { type: "refund", orderId: "1", amount: 5, reason: "x" },
        idempotencyKey: "",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      actions.run({
        ticketId: "t1",
        agentId: "ghost",
        action: { type: "refund", orderId: "1", amount: 5, reason: "x" },
        idempotencyKey: "b",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      actions.run({
        ticketId: "nope",
        agentId: "kim",
        action: { type: "refund", orderId: "1", amount: 5, reason: "x" },
        idempotencyKey: "c",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(fake.performed).toHaveLength(0);
    expect(await store.listEvents("t1")).toHaveLength(1);
    expect(await store.getIdempotency("commerce", "b")).toBeNull();
  });
});

/** Lets other promises run; stands in for the poll interval without real time passing. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createCommerceActions under concurrency and crashes", () => {
  const refund = (key: string, amount = 1000) => ({
    ticketId: "t1",
    agentId: "kim",
    action: { type: "refund" as const, orderId: "5678901234567", amount, reason: "x" },
    idempotencyKey: key,
  });

  it("a key left running by a crashed process blocks the shop call and answers a retryable CONFLICT after the bounded wait", async () => {
    const fake = fakeCommerce();
    const sleeps: number[] = [];
    const { store, actions } = await setup(fake.provider, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      claimWait: { pollMs: 100, maxWaitMs: 500 },
    });
    // What a process that died after claiming leaves behind.
    await store.putIdempotency({
      scope: CLAIM_SCOPE,
      key: "0:stuck",
      result: { state: "running", at: "2026-03-04T00:00:00.000Z", ticketId: "t1", agentId: "lee" },
      createdAt: new Date("2026-03-04T00:00:00Z"),
    });
    const err = await actions.run(refund("stuck")).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "CONFLICT")).toBe(true);
    expect(err).toMatchObject({
      retryable: true,
      path: ["idempotencyKey"],
      details: { runningSince: "2026-03-04T00:00:00.000Z" },
    });
    expect(sleeps).toEqual([100, 100, 100, 100, 100]);
    expect(fake.performed).toHaveLength(0);
  });

  it("an operator's releaseClaim lets the same key run once more, and only while it is stuck", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider, {
      sleep: async () => {},
      claimWait: { pollMs: 1, maxWaitMs: 1 },
    });
    await store.putIdempotency({
      scope: CLAIM_SCOPE,
      key: "0:stuck",
      result: { state: "running" },
      createdAt: new Date(),
    });
    expect(await actions.releaseClaim("never-claimed", "ops-jin")).toBe(false);
    expect(await actions.releaseClaim("stuck", "ops-jin")).toBe(true);
    expect(await actions.releaseClaim("stuck", "ops-jin")).toBe(false);
    expect((await store.getIdempotency(CLAIM_RELEASE_SCOPE, "0:stuck"))?.result).toMatchObject({
      state: "released",
      by: "ops-jin",
    });
    expect(await actions.run(refund("stuck"))).toMatchObject({ status: "done", replayed: false });
    expect(fake.performed.map((p) => p.key)).toEqual(["stuck"]);
    expect(await actions.releaseClaim("stuck", "ops-jin")).toBe(false); // finished: nothing to release
  });

  it("a failed shop call releases the claim, so a retry with the same key performs it", async () => {
    const fake = fakeCommerce();
    let failNext = true;
    const flaky: CommerceProvider = {
      ...fake.provider,
      performAction: async (action, key) => {
        if (failNext) {
          failNext = false;
          throw new StoredeskError({ code: "RATE_LIMITED", message: "throttled", retryable: true });
        }
        return fake.provider.performAction(action, key);
      },
    };
    const { store, actions } = await setup(flaky, { sleep: async () => {} });
    await expect(actions.run(refund("flaky"))).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect((await store.getIdempotency(CLAIM_RELEASE_SCOPE, "0:flaky"))?.result).toMatchObject({
      state: "failed",
      error: "RATE_LIMITED",
    });
    expect(await actions.run(refund("flaky"))).toMatchObject({ status: "done", replayed: false });
    expect(await actions.run(refund("flaky"))).toMatchObject({ status: "done", replayed: true });
    expect(fake.performed).toHaveLength(1);
  });

  it("when the outcome cannot be stored after the shop acted, the key stays blocked instead of acting twice", async () => {
    const fake = fakeCommerce();
    const { store } = await setup(fake.provider);
    let databaseDown = true;
    const flakyStore: Store = {
      ...store,
      transaction: async (fn) => {
        if (databaseDown)
          throw new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "database went away", retryable: true });
        return store.transaction(fn);
      },
    };
    const actions = createCommerceActions({
      commerce: fake.provider,
      store: flakyStore,
      plans,
      agents,
      sleep: async () => {},
      claimWait: { pollMs: 1, maxWaitMs: 3 },
    });
    await expect(actions.run(refund("lost-outcome"))).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
    databaseDown = false;
    await expect(actions.run(refund("lost-outcome"))).rejects.toMatchObject({ code: "CONFLICT", retryable: true });
    expect(fake.performed).toHaveLength(1);
  });

  it("ten concurrent approvals of one request perform it once", async () => {
    const fake = fakeCommerce();
    const { actions } = await setup(fake.provider, { sleep: tick, claimWait: { pollMs: 1, maxWaitMs: 100_000 } });
    const out = await actions.run({
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" },
      idempotencyKey: "big",
    });
    if (out.status !== "pending_approval") throw new Error("expected approval");
    const results = await Promise.all(Array.from({ length: 10 }, () => actions.approve(out.approvalId, "park")));
    expect(fake.performed).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.result))).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it("refuses caller keys in the namespace reserved for approvals", async () => {
    const { actions } = await setup();
    await expect(actions.run(refund("approval:123"))).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("createCommerceActions over shopifyCommerce (msw)", () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("a retried refund with the same key reaches refundCreate once", async () => {
    let refundCreates = 0;
    const cost = {
      cost: {
        requestedQueryCost: 10,
        actualQueryCost: 10,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
      },
    };
    server.use(
      http.post(GRAPHQL_URL, async ({ request }) => {
        const body = (await request.json()) as { query: string };
        if (body.query.includes("StoredeskSuggestRefund"))
          return HttpResponse.json(fixture("gql-suggested-refund.json"));
        if (body.query.includes("StoredeskRefund")) {
          refundCreates++;
          return HttpResponse.json({
            data: {
              refundCreate: {
                refund: {
                  id: "gid://shopify/Refund/9",
                  totalRefundedSet: { shopMoney: { amount: "10000.0", currencyCode: "KRW" } },
                },
                userErrors: [],
              },
            },
            extensions: cost,
          });
        }
        return HttpResponse.json({ errors: [{ message: "unexpected" }] });
      }),
    );
    const commerce = shopifyCommerce({ shop: SHOP, accessToken: TOKEN, sleep: async () => {} });
    const { actions } = await setup(commerce);
    const input = {
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund" as const, orderId: "5678901234567", amount: 10000, reason: "x" },
      idempotencyKey: "msw-key",
    };
    const a = await actions.run(input);
    const b = await actions.run(input);
    expect(refundCreates).toBe(1);
    expect(a).toMatchObject({ status: "done", result: { id: "gid://shopify/Refund/9", amount: 10000 } });
    expect(b).toMatchObject({ status: "done", replayed: true, result: { id: "gid://shopify/Refund/9" } });
  });

  it("ten concurrent runs with one key reach refundCreate once and all answer the same refund", async () => {
    let refundCreates = 0;
    let releaseShop!: () => void;
    const shopMayAnswer = new Promise<void>((resolve) => {
      releaseShop = resolve;
    });
    const cost = {
      cost: {
        requestedQueryCost: 10,
        actualQueryCost: 10,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
      },
    };
    server.use(
      http.post(GRAPHQL_URL, async ({ request }) => {
        const body = (await request.json()) as { query: string };
        if (body.query.includes("StoredeskSuggestRefund"))
          return HttpResponse.json(fixture("gql-suggested-refund.json"));
        if (body.query.includes("StoredeskRefund")) {
          refundCreates++;
          if (refundCreates > 1) releaseShop(); // a second call already means failure: let the test end
          await shopMayAnswer; // held open until every other run is waiting on the claim
          return HttpResponse.json({
            data: {
              refundCreate: {
                refund: {
                  id: "gid://shopify/Refund/77",
                  totalRefundedSet: { shopMoney: { amount: "10000.0", currencyCode: "KRW" } },
                },
                userErrors: [],
              },
            },
            extensions: cost,
          });
        }
        return HttpResponse.json({ errors: [{ message: "unexpected" }] });
      }),
    );
    let polls = 0;
    const commerce = shopifyCommerce({ shop: SHOP, accessToken: TOKEN, sleep: async () => {} });
    const { store, actions } = await setup(commerce, {
      // The nine losers poll through this sleep; after some rounds of that, the shop answers.
      sleep: async () => {
        if (++polls >= 90) releaseShop();
        await tick();
      },
      claimWait: { pollMs: 1, maxWaitMs: 1_000_000 },
    });
    const input = {
      ticketId: "t1",
      agentId: "kim",
      action: { type: "refund" as const, orderId: "5678901234567", amount: 10000, reason: "x" },
      idempotencyKey: "burst",
    };
    const outs = await Promise.all(Array.from({ length: 10 }, () => actions.run(input)));
    expect(refundCreates).toBe(1);
    for (const o of outs)
      expect(o).toMatchObject({
        status: "done",
        result: { type: "refund", id: "gid://shopify/Refund/77", amount: 10000, currency: "KRW" },
      });
    expect(new Set(outs.map((o) => JSON.stringify(o.status === "done" ? o.result : null))).size).toBe(1);
    expect(polls).toBeGreaterThanOrEqual(90); // the others really waited on the claim
    expect(outs.filter((o) => !o.replayed)).toHaveLength(1);
    expect((await store.listEvents("t1")).filter((e) => e.type === "commerce.action")).toHaveLength(1);
  });
});
