/**
 * shopifyCommerce against core's CommerceProvider conformance suite, over a small stateful fake
 * of the Admin GraphQL API (msw) that answers with Shopify's documented shapes: customer search
 * and lookup, orders, suggestedRefund, refundCreate (with `@idempotent` from 2026-01),
 * orderCancel, discountCodeBasicCreate (TAKEN for a code that exists), and Shopify's failures
 * (401, THROTTLED, 503).
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { manualClock } from "@storedesk/core";
import { runCommerceConformance, type CommerceFailure, type CommerceWorld } from "@storedesk/core/testing";
import { shopifyCommerce } from "./index.js";
import { SHOP, TOKEN, fixture } from "./test-support.js";

const API_VERSION = "2026-01";
const URL = `https://${SHOP}/admin/api/${API_VERSION}/graphql.json`;
const cost = {
  cost: {
    requestedQueryCost: 10,
    actualQueryCost: 10,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
  },
};
const money = (amount: number) => ({ shopMoney: { amount: amount.toFixed(1), currencyCode: "KRW" } });

type GqlOrder = {
  id: string;
  cancelledAt: string | null;
  lineItems: {
    nodes: Array<{ id: string; quantity: number; originalUnitPriceSet: { shopMoney: { amount: string } } }>;
  };
} & Record<string, unknown>;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A fresh shop: Minji with two paid orders (#1001 refundable, #1002 cancellable). */
function fakeShop(): CommerceWorld {
  const customer = structuredClone(
    fixture<{ data: { customers: { nodes: Array<Record<string, unknown> & { orders: { nodes: GqlOrder[] } }> } } }>(
      "gql-customer.json",
    ).data.customers.nodes[0]!,
  );
  const first = customer.orders.nodes[0]!;
  const second: GqlOrder = {
    ...structuredClone(first),
    id: "gid://shopify/Order/5678901234568",
    name: "#1002",
    fulfillments: [],
    displayFulfillmentStatus: "UNFULFILLED",
  };
  customer.orders.nodes.push(second);
  const orders = new Map<string, GqlOrder>([first, second].map((o) => [o.id, o]));
  const refunded = new Map<string, number>();
  const refundsByKey = new Map<string, unknown>();
  const discounts = new Map<string, string>();
  let effects = 0;
  let failure: CommerceFailure | null = null;

  const reply = (data: unknown) => HttpResponse.json({ data, extensions: cost });
  const orderTotal = (o: GqlOrder) =>
    o.lineItems.nodes.reduce((sum, l) => sum + Number(l.originalUnitPriceSet.shopMoney.amount) * l.quantity, 0);

  const answers: Record<string, (v: Record<string, unknown>, query: string) => Response> = {
    StoredeskCustomerSearch: (v) => {
      const q = String(v.query);
      const hit = q === `email:"kim@example.com"` || q === `phone:"+821012345678"`;
      return reply({ customers: { nodes: hit ? [customer] : [] } });
    },
    StoredeskCustomerById: (v) => reply({ customer: v.id === customer.id ? customer : null }),
    StoredeskOrderById: (v) => reply({ order: orders.get(String(v.id)) ?? null }),
    StoredeskSuggestRefund: (v) => {
      const order = orders.get(String(v.id));
      if (!order) return reply({ order: null });
      const lines =
        (v.lines as Array<{ lineItemId: string; quantity: number }> | null) ??
        order.lineItems.nodes.map((l) => ({ lineItemId: l.id, quantity: l.quantity }));
      const left = orderTotal(order) - (refunded.get(order.id) ?? 0);
      const asked = v.lines
        ? lines.reduce(
            (sum, l) =>
              sum +
              Number(
                order.lineItems.nodes.find((n) => n.id === l.lineItemId)?.originalUnitPriceSet.shopMoney.amount ?? 0,
              ) *
                l.quantity,
            0,
          )
        : left;
      const amount = Math.min(asked, left);
      return reply({
        order: {
          id: order.id,
          suggestedRefund: {
            amountSet: money(amount),
            maximumRefundableSet: money(left),
            refundLineItems: lines.map((l) => ({ lineItem: { id: l.lineItemId }, quantity: l.quantity })),
            suggestedTransactions:
              amount > 0
                ? [
                    {
                      gateway: "kcp",
                      kind: "SUGGESTED_REFUND",
                      amountSet: money(amount),
                      parentTransaction: { id: "gid://shopify/OrderTransaction/1" },
                    },
                  ]
                : [],
          },
        },
      });
    },
    StoredeskRefund: (v, query) => {
      const key = query.includes("@idempotent") ? String(v.idempotencyKey) : null;
      // Shopify returns the original operation's result for a repeated key.
      if (key && refundsByKey.has(key)) return reply({ refundCreate: refundsByKey.get(key) });
      const input = v.input as { orderId: string; transactions: Array<{ amount: string }> };
      const amount = input.transactions.reduce((sum, t) => sum + Number(t.amount), 0);
      effects++;
      refunded.set(input.orderId, (refunded.get(input.orderId) ?? 0) + amount);
      const payload = {
        refund: { id: `gid://shopify/Refund/${effects}`, totalRefundedSet: money(amount) },
        userErrors: [],
      };
      if (key) refundsByKey.set(key, payload);
      return reply({ refundCreate: payload });
    },
    StoredeskCancel: (v) => {
      const order = orders.get(String(v.orderId));
      if (!order)
        return reply({
          orderCancel: {
            job: null,
            orderCancelUserErrors: [{ field: ["orderId"], message: "Order does not exist", code: "NOT_FOUND" }],
          },
        });
      if (order.cancelledAt)
        return reply({
          orderCancel: {
            job: null,
            orderCancelUserErrors: [
              { field: ["orderId"], message: "Order has already been cancelled", code: "INVALID" },
            ],
          },
        });
      effects++;
      order.cancelledAt = "2026-03-04T00:00:00Z";
      return reply({
        orderCancel: { job: { id: `gid://shopify/Job/${effects}`, done: false }, orderCancelUserErrors: [] },
      });
    },
    StoredeskDiscount: (v) => {
      const code = String((v.input as { code: string }).code);
      if (discounts.has(code))
        return reply({
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
        });
      effects++;
      discounts.set(code, `gid://shopify/DiscountCodeNode/${effects}`);
      return reply({ discountCodeBasicCreate: { codeDiscountNode: { id: discounts.get(code) }, userErrors: [] } });
    },
    StoredeskDiscountByCode: (v) =>
      reply({ codeDiscountNodeByCode: discounts.has(String(v.code)) ? { id: discounts.get(String(v.code)) } : null }),
  };

  server.use(
    http.post(URL, async ({ request }) => {
      if (failure === "auth")
        return new HttpResponse("[API] Invalid API key or access token (unrecognized login or wrong password)", {
          status: 401,
        });
      if (failure === "rate_limited") return HttpResponse.json(fixture("gql-throttled.json"));
      if (failure === "unavailable") return new HttpResponse("Service Unavailable", { status: 503 });
      const body = (await request.json()) as { query: string; variables: Record<string, unknown> };
      const op = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
      const answer = answers[op];
      return answer
        ? answer(body.variables, body.query)
        : HttpResponse.json({ errors: [{ message: `no fake for ${op}` }] });
    }),
  );

  const provider = shopifyCommerce({
    shop: SHOP,
    accessToken: TOKEN,
    apiVersion: API_VERSION,
    attempts: 2,
    sleep: async () => {},
    random: () => 0.5,
    clock: manualClock(new Date("2026-03-04T00:00:00Z")),
    cacheTtlMs: 0,
  });
  return {
    provider,
    customer: { email: "kim@example.com", phone: "+82 10-1234-5678", providerCustomerId: "7012345678901" },
    order: { id: first.id, lineId: first.lineItems.nodes[0]!.id },
    cancellableOrderId: second.id,
    effects: () => effects,
    failWith: (f) => {
      failure = f;
    },
  };
}

runCommerceConformance({ name: `shopify (Admin API ${API_VERSION})`, makeWorld: fakeShop });
