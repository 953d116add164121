import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { StoredeskError, manualClock } from "@storedesk/core";
import { shopifyCommerce, type ShopifyCommerceOptions } from "./index.js";
import { GRAPHQL_URL, SHOP, TOKEN, causeMessages, fixture } from "./test-support.js";

interface GqlCall {
  query: string;
  variables: Record<string, unknown>;
  token: string | null;
  url: string;
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const cost = {
  cost: {
    requestedQueryCost: 10,
    actualQueryCost: 10,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
  },
};

/** Routes GraphQL calls by operation name to canned answers and records every call. */
function graphql(
  answers: Record<string, (call: GqlCall) => Response | Promise<Response>>,
  url = GRAPHQL_URL,
): GqlCall[] {
  const calls: GqlCall[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      const body = (await request.json()) as { query: string; variables: Record<string, unknown> };
      const call = { ...body, token: request.headers.get("x-shopify-access-token"), url: request.url };
      calls.push(call);
      const op = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
      const answer = answers[op];
      if (!answer) return HttpResponse.json({ errors: [{ message: `no mock for ${op}` }] });
      return answer(call);
    }),
  );
  return calls;
}

function make(over: Partial<ShopifyCommerceOptions> = {}) {
  const sleep = vi.fn(async (_ms: number) => {});
  const clock = manualClock(new Date("2026-03-04T00:00:00Z"));
  const commerce = shopifyCommerce({ shop: SHOP, accessToken: TOKEN, sleep, clock, random: () => 0.5, ...over });
  return { commerce, sleep, clock };
}

describe("shopifyCommerce.customerContext", () => {
  it("finds a customer by email and maps orders, statuses, fulfillments and tracking", async () => {
    const calls = graphql({ StoredeskCustomerSearch: () => HttpResponse.json(fixture("gql-customer.json")) });
    const { commerce } = make();
    const ctx = await commerce.customerContext({ email: " Kim@Example.com " });

    expect(calls).toHaveLength(1);
    expect(calls[0]!.token).toBe(TOKEN);
    expect(calls[0]!.url).toBe(GRAPHQL_URL);
    expect(calls[0]!.variables).toEqual({ query: 'email:"kim@example.com"', orders: 5 });
    expect(ctx).toMatchObject({
      providerCustomerId: "gid://shopify/Customer/7012345678901",
      name: "Minji Kim",
      email: "kim@example.com",
      phone: "+821012345678",
      ordersCount: 3,
      totalSpent: 177000,
      currency: "KRW",
      lastOrderAt: "2026-03-02T01:00:00Z",
      fetchedAt: "2026-03-04T00:00:00.000Z",
    });
    const order = ctx!.recentOrders[0]!;
    expect(order).toMatchObject({
      name: "#1001",
      total: 59000,
      financialStatus: "PAID",
      fulfillmentStatus: "FULFILLED",
      cancelledAt: null,
    });
    expect(order.lines).toEqual([
      { id: "gid://shopify/LineItem/14012345678901", title: "Linen shirt", quantity: 1, price: 39000, sku: "LS-M" },
      { id: "gid://shopify/LineItem/14012345678902", title: "Canvas tote", quantity: 1, price: 20000, sku: null },
    ]);
    expect(order.shipments).toEqual([
      {
        id: "gid://shopify/Fulfillment/123456",
        status: "IN_TRANSIT",
        carrier: "CJ Logistics",
        trackingNumber: "6543210987",
        trackingUrl: "https://trace.cjlogistics.com/next/tracking.html?wblNo=6543210987",
        estimatedDelivery: "2026-03-05T09:00:00Z",
        updatedAt: "2026-03-03T00:00:00Z",
      },
    ]);
    expect(commerce.throttleStatus()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 1969, restoreRate: 100 });
  });

  it("falls back to the phone when the email finds nobody", async () => {
    const empty = { data: { customers: { nodes: [] } }, extensions: cost };
    const calls = graphql({
      StoredeskCustomerSearch: (c) =>
        HttpResponse.json(String(c.variables.query).startsWith("phone:") ? fixture("gql-customer.json") : empty),
    });
    const { commerce } = make();
    const ctx = await commerce.customerContext({ email: "other@example.com", phone: "+82 10-1234-5678" });
    expect(calls.map((c) => c.variables.query)).toEqual(['email:"other@example.com"', 'phone:"+821012345678"']);
    expect(ctx?.name).toBe("Minji Kim");
  });

  it("looks a customer up by id as a gid", async () => {
    const customer = fixture<{ data: { customers: { nodes: unknown[] } } }>("gql-customer.json").data.customers
      .nodes[0];
    const calls = graphql({ StoredeskCustomerById: () => HttpResponse.json({ data: { customer }, extensions: cost }) });
    const { commerce } = make();
    const ctx = await commerce.customerContext({ providerCustomerId: "7012345678901" });
    expect(calls[0]!.variables.id).toBe("gid://shopify/Customer/7012345678901");
    expect(ctx?.ordersCount).toBe(3);
  });

  it("returns null for a customer the shop does not know", async () => {
    graphql({
      StoredeskCustomerSearch: () => HttpResponse.json({ data: { customers: { nodes: [] } }, extensions: cost }),
    });
    const { commerce } = make();
    expect(await commerce.customerContext({ email: "nobody@example.com" })).toBeNull();
    expect(await commerce.customerContext({})).toBeNull();
  });

  it("serves a repeated lookup from the cache until cacheTtlMs has passed on the injected clock", async () => {
    const calls = graphql({ StoredeskCustomerSearch: () => HttpResponse.json(fixture("gql-customer.json")) });
    const { commerce, clock } = make({ cacheTtlMs: 60_000 });
    const first = await commerce.customerContext({ email: "kim@example.com" });
    first!.recentOrders.length = 0; // a caller mutating its copy must not change the cache
    clock.advance(59_000);
    const second = await commerce.customerContext({ email: "KIM@example.com" });
    expect(calls).toHaveLength(1);
    expect(second!.recentOrders).toHaveLength(1);
    clock.advance(2_000);
    await commerce.customerContext({ email: "kim@example.com" });
    expect(calls).toHaveLength(2);
  });
});

describe("throttling, retries and errors", () => {
  it("waits for the cost bucket to refill after THROTTLED and then retries", async () => {
    let n = 0;
    const calls = graphql({
      StoredeskCustomerSearch: () =>
        n++ === 0 ? HttpResponse.json(fixture("gql-throttled.json")) : HttpResponse.json(fixture("gql-customer.json")),
    });
    const { commerce, sleep } = make();
    const ctx = await commerce.customerContext({ email: "kim@example.com" });
    expect(ctx?.name).toBe("Minji Kim");
    expect(calls).toHaveLength(2);
    // (752 requested − 666 available) / 50 per second = 1.72 s
    expect(sleep).toHaveBeenCalledTimes(1);
    expect(sleep.mock.calls[0]![0]).toBeCloseTo(1720, 0);
  });

  it("retries a 429 with the Retry-After delay and a 5xx with backoff", async () => {
    let n = 0;
    graphql({
      StoredeskOrderById: () => {
        n++;
        if (n === 1) return new HttpResponse("Too Many Requests", { status: 429, headers: { "retry-after": "2" } });
        if (n === 2) return new HttpResponse("oops", { status: 503 });
        return HttpResponse.json({ data: { order: null }, extensions: cost });
      },
    });
    const { commerce, sleep } = make();
    expect(await commerce.getOrder("1")).toBeNull();
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([2000, 500]);
  });

  it("gives up with RATE_LIMITED when the shop stays throttled", async () => {
    graphql({ StoredeskOrderById: () => HttpResponse.json(fixture("gql-throttled.json")) });
    const { commerce, sleep } = make({ attempts: 3 });
    const err = await commerce.getOrder("1").catch((e: unknown) => e);
    expect(StoredeskError.is(err, "RATE_LIMITED")).toBe(true);
    expect((err as StoredeskError).retryable).toBe(true);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it("gives up with PROVIDER_UNAVAILABLE on persistent 5xx", async () => {
    graphql({ StoredeskOrderById: () => new HttpResponse("down", { status: 502 }) });
    const { commerce } = make({ attempts: 2 });
    await expect(commerce.getOrder("1")).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
  });

  it("maps 401 to PROVIDER_AUTH without retrying", async () => {
    const calls = graphql({
      StoredeskOrderById: () =>
        new HttpResponse(`[API] Invalid API key or access token (unrecognized login or wrong password) ${TOKEN}`, {
          status: 401,
        }),
    });
    const { commerce, sleep } = make();
    const err = await commerce.getOrder("1").catch((e: unknown) => e);
    expect(StoredeskError.is(err, "PROVIDER_AUTH")).toBe(true);
    expect(calls).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it("never lets the access token into an error message, its JSON or its cause chain", async () => {
    // A server that echoes the token back, a GraphQL error that quotes it, and a network failure naming it.
    const failures: Array<() => Response> = [
      () => new HttpResponse(`bad token ${TOKEN}`, { status: 401 }),
      () => new HttpResponse(`upstream said ${TOKEN}`, { status: 500 }),
      () =>
        HttpResponse.json({
          errors: [{ message: `Access denied for ${TOKEN}`, extensions: { code: "ACCESS_DENIED" } }],
        }),
      () => HttpResponse.json({ errors: [{ message: `Field error near ${TOKEN}` }] }),
    ];
    for (const fail of failures) {
      graphql({ StoredeskOrderById: fail });
      const { commerce } = make({ attempts: 1 });
      const err = await commerce.getOrder("1").catch((e: unknown) => e);
      expect(StoredeskError.is(err)).toBe(true);
      const everything = [
        ...causeMessages(err),
        JSON.stringify(err),
        JSON.stringify((err as StoredeskError).toJSON()),
      ].join("\n");
      expect(everything).not.toContain(TOKEN);
    }
    const broken = (async () => {
      throw new TypeError(`connect ECONNREFUSED while sending ${TOKEN}`);
    }) as unknown as typeof fetch;
    const { commerce } = make({ attempts: 1, fetch: broken });
    const err = await commerce.getOrder("1").catch((e: unknown) => e);
    expect(StoredeskError.is(err, "PROVIDER_UNAVAILABLE")).toBe(true);
    expect([...causeMessages(err), JSON.stringify(err)].join("\n")).not.toContain(TOKEN);
  });

  it("rejects a shop that is not a myshopify.com domain and a missing token", () => {
    expect(() => shopifyCommerce({ shop: "evil.example.com", accessToken: TOKEN })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
    const err = (() => {
      try {
        shopifyCommerce({ shop: SHOP, accessToken: "" });
      } catch (e) {
        return e;
      }
    })();
    expect(StoredeskError.is(err, "INVALID_INPUT")).toBe(true);
  });
});

describe("performAction", () => {
  const refundOk = (amount: string) => () =>
    HttpResponse.json({
      data: {
        refundCreate: {
          refund: {
            id: "gid://shopify/Refund/509562969",
            totalRefundedSet: { shopMoney: { amount, currencyCode: "KRW" } },
          },
          userErrors: [],
        },
      },
      extensions: cost,
    });

  it("refunds a whole order with the suggested transactions, line items and shipping", async () => {
    const calls = graphql({
      StoredeskSuggestRefund: () => HttpResponse.json(fixture("gql-suggested-refund.json")),
      StoredeskRefund: refundOk("62000.0"),
    });
    const { commerce } = make();
    const result = await commerce.performAction(
      { type: "refund", orderId: "5678901234567", reason: "Damaged on arrival" },
      "key-1",
    );
    expect(result).toEqual({
      type: "refund",
      id: "gid://shopify/Refund/509562969",
      amount: 62000,
      currency: "KRW",
      details: { orderId: "gid://shopify/Order/5678901234567", wholeOrder: true, lines: 2 },
    });
    expect(calls[0]!.variables).toEqual({ id: "gid://shopify/Order/5678901234567", lines: null, full: true });
    const refund = calls[1]!;
    expect(refund.query).not.toContain("@idempotent");
    expect(refund.variables).toEqual({
      input: {
        orderId: "gid://shopify/Order/5678901234567",
        note: "Damaged on arrival",
        notify: true,
        transactions: [
          {
            orderId: "gid://shopify/Order/5678901234567",
            parentId: "gid://shopify/OrderTransaction/389404469",
            gateway: "kcp",
            kind: "REFUND",
            amount: "62000",
          },
        ],
        refundLineItems: [
          { lineItemId: "gid://shopify/LineItem/14012345678901", quantity: 1, restockType: "NO_RESTOCK" },
          { lineItemId: "gid://shopify/LineItem/14012345678902", quantity: 1, restockType: "NO_RESTOCK" },
        ],
        shipping: { fullRefund: true },
      },
    });
  });

  it("refunds chosen line items and sends @idempotent(key:) on API versions that support it", async () => {
    const url = `https://${SHOP}/admin/api/2026-01/graphql.json`;
    const calls = graphql(
      {
        StoredeskSuggestRefund: () => HttpResponse.json(fixture("gql-suggested-refund.json")),
        StoredeskRefund: refundOk("39000.0"),
      },
      url,
    );
    const { commerce } = make({ apiVersion: "2026-01" });
    await commerce.performAction(
      {
        type: "refund",
        orderId: "5678901234567",
        lines: [{ lineId: "14012345678901", quantity: 1 }],
        reason: "wrong size",
        notify: false,
      },
      "key-2",
    );
    expect(calls[0]!.variables).toEqual({
      id: "gid://shopify/Order/5678901234567",
      lines: [{ lineItemId: "gid://shopify/LineItem/14012345678901", quantity: 1 }],
      full: false,
    });
    expect(calls[1]!.query).toContain("@idempotent(key: $idempotencyKey)");
    expect(calls[1]!.variables.idempotencyKey).toBe("key-2");
    const input = calls[1]!.variables.input as Record<string, unknown>;
    expect(input.refundLineItems).toEqual([
      { lineItemId: "gid://shopify/LineItem/14012345678901", quantity: 1, restockType: "NO_RESTOCK" },
    ]);
    expect(input.shipping).toBeUndefined();
    expect(input.notify).toBe(false);
  });

  it("spreads an explicit amount over the parent transactions and refuses more than is refundable", async () => {
    const calls = graphql({
      StoredeskSuggestRefund: () => HttpResponse.json(fixture("gql-suggested-refund.json")),
      StoredeskRefund: refundOk("10000.0"),
    });
    const { commerce } = make();
    const r = await commerce.performAction(
      { type: "refund", orderId: "5678901234567", amount: 10000, reason: "goodwill" },
      "key-3",
    );
    expect(r.amount).toBe(10000);
    expect((calls[1]!.variables.input as { transactions: unknown[] }).transactions).toEqual([
      {
        orderId: "gid://shopify/Order/5678901234567",
        parentId: "gid://shopify/OrderTransaction/389404469",
        gateway: "kcp",
        kind: "REFUND",
        amount: "10000",
      },
    ]);
    await expect(
      commerce.performAction({ type: "refund", orderId: "5678901234567", amount: 99999, reason: "too much" }, "key-4"),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", path: ["amount"] });
    expect(calls.filter((c) => c.query.includes("refundCreate"))).toHaveLength(1);
  });

  it("turns refundCreate userErrors into PROVIDER_ERROR with the field path and every user error", async () => {
    graphql({
      StoredeskSuggestRefund: () => HttpResponse.json(fixture("gql-suggested-refund.json")),
      StoredeskRefund: () => HttpResponse.json(fixture("gql-refund-user-errors.json")),
    });
    const { commerce } = make();
    const err = await commerce
      .performAction(
        { type: "refund", orderId: "5678901234567", lines: [{ lineId: "14012345678901", quantity: 5 }], reason: "x" },
        "key-5",
      )
      .catch((e: unknown) => e);
    expect(StoredeskError.is(err, "PROVIDER_ERROR")).toBe(true);
    expect((err as StoredeskError).path).toEqual(["refundLineItems", "0", "quantity"]);
    expect((err as StoredeskError).details?.userErrors).toEqual([
      {
        field: ["refundLineItems", "0", "quantity"],
        message: "Quantity cannot refund more items than were purchased",
        code: null,
      },
    ]);
  });

  it("cancels an order with refund, restock and notify options", async () => {
    const calls = graphql({
      StoredeskCancel: () =>
        HttpResponse.json({
          data: { orderCancel: { job: { id: "gid://shopify/Job/1", done: false }, orderCancelUserErrors: [] } },
          extensions: cost,
        }),
    });
    const { commerce } = make();
    const r = await commerce.performAction(
      {
        type: "cancel",
        orderId: "5678901234567",
        reason: "Customer changed their mind",
        refund: true,
        restock: true,
        notify: false,
      },
      "key-6",
    );
    expect(r).toMatchObject({
      type: "cancel",
      id: "gid://shopify/Order/5678901234567",
      amount: null,
      details: { jobId: "gid://shopify/Job/1", replayed: false },
    });
    expect(calls[0]!.variables).toEqual({
      orderId: "gid://shopify/Order/5678901234567",
      notifyCustomer: false,
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
      reason: "CUSTOMER",
      staffNote: "Customer changed their mind",
    });
  });

  it("turns orderCancelUserErrors into PROVIDER_ERROR", async () => {
    graphql({
      StoredeskCancel: () =>
        HttpResponse.json({
          data: {
            orderCancel: {
              job: null,
              orderCancelUserErrors: [
                { field: ["orderId"], message: "Cannot cancel a fulfilled order", code: "INVALID" },
              ],
            },
          },
          extensions: cost,
        }),
      StoredeskOrderById: () => HttpResponse.json({ data: { order: null }, extensions: cost }),
    });
    const { commerce } = make();
    await expect(
      commerce.performAction({ type: "cancel", orderId: "1", reason: "fraud", refund: false, restock: false }, "k"),
    ).rejects.toMatchObject({ code: "PROVIDER_ERROR", path: ["orderId"] });
  });

  it("creates a single-use discount code for one customer, derived from the idempotency key", async () => {
    const calls = graphql({
      StoredeskDiscount: () =>
        HttpResponse.json({
          data: {
            discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/77" }, userErrors: [] },
          },
          extensions: cost,
        }),
    });
    const { commerce } = make();
    const a = await commerce.performAction(
      { type: "discount_code", customerId: "7012345678901", percent: 10, reason: "late delivery" },
      "key-7",
    );
    const b = await commerce.performAction(
      { type: "discount_code", customerId: null, amount: 5000, currency: "KRW", reason: "sorry" },
      "key-8",
    );
    expect(a.code).toMatch(/^SORRY-[A-Z2-9]{10}$/);
    expect(b.code).not.toBe(a.code);
    const input = calls[0]!.variables.input as Record<string, unknown>;
    expect(input).toMatchObject({
      code: a.code,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      startsAt: "2026-03-04T00:00:00.000Z",
      endsAt: "2026-06-02T00:00:00.000Z",
      context: { customers: { add: ["gid://shopify/Customer/7012345678901"] } },
      customerGets: { items: { all: true }, value: { percentage: 0.1 } },
    });
    expect((calls[1]!.variables.input as Record<string, unknown>).context).toEqual({ all: "ALL" });
    expect((calls[1]!.variables.input as { customerGets: unknown }).customerGets).toEqual({
      items: { all: true },
      value: { discountAmount: { amount: "5000", appliesOnEachItem: false } },
    });
    expect(b).toMatchObject({ amount: 5000, currency: "KRW" });
  });

  it("returns the existing discount when a retry's code is already TAKEN", async () => {
    const calls = graphql({
      StoredeskDiscount: () =>
        HttpResponse.json({
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: null,
              userErrors: [
                {
                  field: ["basicCodeDiscount", "code"],
                  message: "Code must be unique. Please try a different code.",
                  code: "TAKEN",
                },
              ],
            },
          },
          extensions: cost,
        }),
      StoredeskDiscountByCode: () =>
        HttpResponse.json({
          data: { codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/77" } },
          extensions: cost,
        }),
    });
    const { commerce } = make();
    const r = await commerce.performAction(
      { type: "discount_code", customerId: null, percent: 5, reason: "retry" },
      "key-9",
    );
    expect(r.id).toBe("gid://shopify/DiscountCodeNode/77");
    expect(r.details?.replayed).toBe(true);
    expect(calls[1]!.variables.code).toBe(r.code);
  });

  it("rejects an invalid action before any request", async () => {
    const calls = graphql({});
    const { commerce } = make();
    await expect(
      commerce.performAction({ type: "discount_code", customerId: null, reason: "both", percent: 10, amount: 5 }, "k"),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(commerce.performAction({ type: "refund", orderId: "", reason: "x" }, "k")).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(commerce.performAction({ type: "refund", orderId: "1", reason: "x" }, "")).rejects.toMatchObject({
      code: "INVALID_INPUT",
      path: ["idempotencyKey"],
    });
    expect(calls).toHaveLength(0);
  });
});
