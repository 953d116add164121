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
} from "@storedesk/core";
import { createCommerceActions, shopifyCommerce } from "../src/index.js";
import { GRAPHQL_URL, SHOP, TOKEN, fixture, makeTicket } from "./helpers.js";

const plans: ActionPlanInput[] = [
  {
    category: "refund_exchange",
    responsibleTeam: "cs",
    decisionMaker: "cs-lead",
    informationNeeded: [],
    channels: ["email"],
    serviceHours: "Mon–Fri",
    compensation: { currency: "KRW", kinds: ["refund", "partial_refund", "discount_code"], limits: [{ role: "agent", maxAmount: 30000, maxPercent: 10 }], approverRole: "lead" },
  },
];
const agents = [
  { id: "kim", role: "agent" },
  { id: "lee", role: "agent" },
  { id: "park", role: "lead" },
];

const order: OrderSummary = {
  id: "gid://shopify/Order/5678901234567", name: "#1001", createdAt: "2026-03-02T01:00:00Z", currency: "KRW", total: 59000,
  financialStatus: "PAID", fulfillmentStatus: "FULFILLED", cancelledAt: null,
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
      return { type: action.type, id: `gid://shopify/Refund/${performed.length}`, amount: action.type === "refund" ? (action.amount ?? 59000) : null, currency: "KRW" };
    },
  };
  return { provider, performed };
}

async function setup(commerce: CommerceProvider = fakeCommerce().provider) {
  const store = memoryStore();
  const clock = manualClock(new Date("2026-03-04T00:00:00Z"));
  await store.insertCustomer({ id: "c1", name: "Minji", locale: "ko", identities: [{ kind: "email", value: "kim@example.com" }], attributes: {}, createdAt: clock.now(), updatedAt: clock.now(), mergedInto: null });
  await store.insertTicket(makeTicket({ id: "t1", number: 1, customerId: "c1" }));
  await store.appendEvent({ id: "e0", ticketId: "t1", seq: 1, type: "ticket.created", at: clock.now(), actor: { kind: "customer", id: "c1" }, data: {} });
  let n = 0;
  const actions = createCommerceActions({ commerce, store, clock, plans, agents, newId: () => `id-${++n}` });
  return { store, clock, actions };
}

describe("createCommerceActions", () => {
  it("performs an action within the agent's limit and audits it with the next seq and a new ticket version", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const out = await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", amount: 20000, reason: "scratched" }, idempotencyKey: "t1-refund-1" });
    expect(out).toMatchObject({ status: "done", replayed: false, result: { type: "refund", amount: 20000 } });
    expect(fake.performed).toEqual([{ action: { type: "refund", orderId: "5678901234567", amount: 20000, reason: "scratched" }, key: "t1-refund-1" }]);
    const events = await store.listEvents("t1");
    expect(events.map((e) => [e.seq, e.type])).toEqual([[1, "ticket.created"], [2, "commerce.action"]]);
    expect(events[1]).toMatchObject({ actor: { kind: "agent", id: "kim" }, data: { kind: "partial_refund", idempotencyKey: "t1-refund-1", result: { amount: 20000 } } });
    expect((await store.getTicket("t1"))?.version).toBe(2);
  });

  it("a retry with the same idempotency key never refunds twice and returns the first result", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const input = { ticketId: "t1", agentId: "kim", action: { type: "refund" as const, orderId: "5678901234567", amount: 1000, reason: "x" }, idempotencyKey: "same-key" };
    const first = await actions.run(input);
    const second = await actions.run(input);
    expect(fake.performed).toHaveLength(1);
    expect(second).toEqual({ ...first, replayed: true });
    expect((await store.listEvents("t1")).filter((e) => e.type === "commerce.action")).toHaveLength(1);
  });

  it("refuses to reuse a key for a different action", async () => {
    const { actions } = await setup();
    await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", amount: 1000, reason: "x" }, idempotencyKey: "k" });
    await expect(actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", amount: 2000, reason: "x" }, idempotencyKey: "k" }))
      .rejects.toMatchObject({ code: "CONFLICT", path: ["idempotencyKey"] });
  });

  it("files an over-limit action for approval without touching the shop", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const out = await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" }, idempotencyKey: "big-refund" });
    expect(out).toEqual({ status: "pending_approval", approvalId: "id-1", reason: "over_limit", approverRole: "lead", replayed: false });
    expect(fake.performed).toHaveLength(0);
    const ev = (await store.listEvents("t1"))[1]!;
    expect(ev).toMatchObject({ seq: 2, type: "commerce.approval_requested", actor: { kind: "agent", id: "kim" }, data: { approvalId: "id-1", reason: "over_limit", approverRole: "lead", amount: 59000, limit: { maxAmount: 30000 } } });
    // Asking again with the same key files nothing new.
    expect(await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" }, idempotencyKey: "big-refund" })).toMatchObject({ status: "pending_approval", approvalId: "id-1", replayed: true });
    expect(await store.listEvents("t1")).toHaveLength(2);
  });

  it("refuses an approval by an agent without the approver role, then performs it for the approver exactly once", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    const out = await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" }, idempotencyKey: "big" });
    if (out.status !== "pending_approval") throw new Error("expected approval");

    const wrong = await actions.approve(out.approvalId, "lee").catch((e: unknown) => e);
    expect(StoredeskError.is(wrong, "APPROVAL_REQUIRED")).toBe(true);
    expect((wrong as StoredeskError).details).toMatchObject({ approverRole: "lead" });
    expect(fake.performed).toHaveLength(0);

    const done = await actions.approve(out.approvalId, "park");
    expect(done).toMatchObject({ status: "done", replayed: false, result: { amount: 59000 } });
    expect(fake.performed).toEqual([{ action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" }, key: "big" }]);
    const last = (await store.listEvents("t1")).at(-1)!;
    expect(last).toMatchObject({ seq: 3, type: "commerce.action", actor: { kind: "agent", id: "park" }, data: { approvalId: out.approvalId, requestedBy: "kim", approvedBy: "park" } });

    expect(await actions.approve(out.approvalId, "park")).toMatchObject({ status: "done", replayed: true });
    // The requester's retry now sees the performed result.
    expect(await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", reason: "lost parcel" }, idempotencyKey: "big" })).toMatchObject({ status: "done", replayed: true });
    expect(fake.performed).toHaveLength(1);
  });

  it("files a kind the plan does not allow for approval", async () => {
    const { actions } = await setup();
    const out = await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "cancel", orderId: "5678901234567", reason: "x", refund: false, restock: true }, idempotencyKey: "c" });
    expect(out).toMatchObject({ status: "pending_approval", reason: "kind_not_allowed" });
  });

  it("measures a line refund by the chosen lines' prices", async () => {
    const fake = fakeCommerce();
    const { actions } = await setup(fake.provider);
    const small = await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", lines: [{ lineId: "2", quantity: 1 }], reason: "x" }, idempotencyKey: "l1" });
    const big = await actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "5678901234567", lines: [{ lineId: "1", quantity: 1 }], reason: "x" }, idempotencyKey: "l2" });
    expect(small.status).toBe("done");
    expect(big.status).toBe("pending_approval");
  });

  it("rejects bad input and unknown agents or tickets before writing anything", async () => {
    const fake = fakeCommerce();
    const { store, actions } = await setup(fake.provider);
    await expect(actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "1", amount: -5, reason: "x" }, idempotencyKey: "a" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(actions.run({ ticketId: "t1", agentId: "kim", action: { type: "refund", orderId: "1", amount: 5, reason: "x" }, idempotencyKey: "" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(actions.run({ ticketId: "t1", agentId: "ghost", action: { type: "refund", orderId: "1", amount: 5, reason: "x" }, idempotencyKey: "b" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(actions.run({ ticketId: "nope", agentId: "kim", action: { type: "refund", orderId: "1", amount: 5, reason: "x" }, idempotencyKey: "c" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(fake.performed).toHaveLength(0);
    expect(await store.listEvents("t1")).toHaveLength(1);
    expect(await store.getIdempotency("commerce", "b")).toBeNull();
  });
});

describe("createCommerceActions over shopifyCommerce (msw)", () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("a retried refund with the same key reaches refundCreate once", async () => {
    let refundCreates = 0;
    const cost = { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } } };
    server.use(
      http.post(GRAPHQL_URL, async ({ request }) => {
        const body = (await request.json()) as { query: string };
        if (body.query.includes("StoredeskSuggestRefund")) return HttpResponse.json(fixture("gql-suggested-refund.json"));
        if (body.query.includes("StoredeskRefund")) {
          refundCreates++;
          return HttpResponse.json({ data: { refundCreate: { refund: { id: "gid://shopify/Refund/9", totalRefundedSet: { shopMoney: { amount: "10000.0", currencyCode: "KRW" } } }, userErrors: [] } }, extensions: cost });
        }
        return HttpResponse.json({ errors: [{ message: "unexpected" }] });
      }),
    );
    const commerce = shopifyCommerce({ shop: SHOP, accessToken: TOKEN, sleep: async () => {} });
    const { actions } = await setup(commerce);
    const input = { ticketId: "t1", agentId: "kim", action: { type: "refund" as const, orderId: "5678901234567", amount: 10000, reason: "x" }, idempotencyKey: "msw-key" };
    const a = await actions.run(input);
    const b = await actions.run(input);
    expect(refundCreates).toBe(1);
    expect(a).toMatchObject({ status: "done", result: { id: "gid://shopify/Refund/9", amount: 10000 } });
    expect(b).toMatchObject({ status: "done", replayed: true, result: { id: "gid://shopify/Refund/9" } });
  });
});
