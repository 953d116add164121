/**
 * The demo shop, offline: msw plays Shopify's Admin GraphQL API (customers, orders, refunds,
 * discount codes) and the Graph API sends of WhatsApp and Messenger, from their documented
 * shapes (packages/shopify/test-fixtures). Nothing leaves the machine.
 */
import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

/** The fake shop's domain and credentials (demo values only). */
export const DEMO_SHOP = {
  domain: "mocha-shop.myshopify.com",
  accessToken: "shpat_demo_not_a_real_token",
  webhookSecret: "demo-shopify-app-secret",
  graphqlUrl: "https://mocha-shop.myshopify.com/admin/api/2025-10/graphql.json",
} as const;

type Json = Record<string, unknown>;

function fixture<T = Json>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../../packages/shopify/test-fixtures/${name}`, import.meta.url), "utf8"),
  ) as T;
}

const cost = {
  cost: {
    requestedQueryCost: 10,
    actualQueryCost: 10,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
  },
};

/** Customers of the demo shop: Korean and English. */
function customers(): Record<string, Json> {
  const base = fixture<{ data: { customers: { nodes: Json[] } } }>("gql-customer.json").data.customers.nodes[0]!;
  const make = (id: string, name: string, email: string, order: string, amount: string, product: string): Json => {
    const node: Json = structuredClone(base);
    Object.assign(node, {
      id: `gid://shopify/Customer/${id}`,
      displayName: name,
      defaultEmailAddress: { emailAddress: email },
      defaultPhoneNumber: null,
      numberOfOrders: "1",
      amountSpent: { amount, currencyCode: "KRW" },
    });
    const first = (node.orders as { nodes: Json[] }).nodes[0]!;
    Object.assign(first, {
      id: `gid://shopify/Order/${id}01`,
      name: order,
      totalPriceSet: { shopMoney: { amount, currencyCode: "KRW" } },
      lineItems: {
        nodes: [
          {
            id: `gid://shopify/LineItem/${id}11`,
            title: product,
            quantity: 1,
            sku: "DEMO-1",
            originalUnitPriceSet: { shopMoney: { amount, currencyCode: "KRW" } },
          },
        ],
      },
    });
    return node;
  };
  return {
    "kim@example.com": base,
    "emma@example.com": make("7012345678903", "Emma Wilson", "emma@example.com", "#1003", "39000.0", "Linen shirt"),
    "jiho@example.com": make("7012345678902", "이지호", "jiho@example.com", "#1002", "89000.0", "세라믹 드리퍼 세트"),
  };
}

/** What reached the fake services, for the demo and the tests. */
export interface DemoShopCalls {
  refunds: Json[];
  discounts: Json[];
  whatsapp: Json[];
  messenger: Json[];
}

/**
 * Starts the fake services (msw intercepts `fetch` in this process). Call `stop()` at the end.
 *
 * @example
 * const shop = startDemoShop();
 * // … shopifyCommerce({ shop: DEMO_SHOP.domain, accessToken: DEMO_SHOP.accessToken }) now talks to it
 * shop.stop();
 */
export function startDemoShop(): { calls: DemoShopCalls; stop(): void } {
  const byEmail = customers();
  const calls: DemoShopCalls = { refunds: [], discounts: [], whatsapp: [], messenger: [] };
  const server = setupServer(
    http.post(DEMO_SHOP.graphqlUrl, async ({ request }) => {
      if (request.headers.get("x-shopify-access-token") !== DEMO_SHOP.accessToken) {
        return HttpResponse.json({ errors: "[API] Invalid API key or access token" }, { status: 401 });
      }
      const body = (await request.json()) as { query: string; variables?: Json };
      const vars = body.variables ?? {};
      if (body.query.includes("StoredeskCustomerSearch")) {
        const email = /email:"([^"]+)"/.exec(String(vars.query))?.[1] ?? "";
        const node = byEmail[email];
        return HttpResponse.json({ data: { customers: { nodes: node ? [node] : [] } }, extensions: cost });
      }
      if (body.query.includes("StoredeskCustomerById")) {
        const node = Object.values(byEmail).find((n) => n.id === vars.id) ?? null;
        return HttpResponse.json({ data: { customer: node }, extensions: cost });
      }
      if (body.query.includes("StoredeskSuggestRefund")) return HttpResponse.json(fixture("gql-suggested-refund.json"));
      if (body.query.includes("StoredeskRefund")) {
        calls.refunds.push(vars);
        return HttpResponse.json({
          data: {
            refundCreate: {
              refund: {
                id: `gid://shopify/Refund/${calls.refunds.length}`,
                totalRefundedSet: { shopMoney: { amount: "10000.0", currencyCode: "KRW" } },
              },
              userErrors: [],
            },
          },
          extensions: cost,
        });
      }
      if (body.query.includes("StoredeskDiscount(")) {
        calls.discounts.push(vars);
        return HttpResponse.json({
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/90${calls.discounts.length}` },
              userErrors: [],
            },
          },
          extensions: cost,
        });
      }
      return HttpResponse.json({ errors: [{ message: "this demo shop does not answer that query" }] });
    }),
    // One Graph endpoint for both: the WhatsApp phone number id or the Facebook Page id.
    http.post("https://graph.facebook.com/:version/:id/messages", async ({ request, params }) => {
      const body = (await request.json()) as Json;
      if (body.messaging_product === "whatsapp") {
        calls.whatsapp.push(body);
        return HttpResponse.json({
          messaging_product: "whatsapp",
          contacts: [{ input: "x", wa_id: "x" }],
          messages: [{ id: `wamid.DEMO${calls.whatsapp.length}` }],
        });
      }
      calls.messenger.push(body);
      return HttpResponse.json({ recipient_id: String(params.id), message_id: `m_DEMO${calls.messenger.length}` });
    }),
  );
  // Local requests (the browser tests' own HTTP calls to this server) pass through.
  server.listen({ onUnhandledRequest: "bypass" });
  return { calls, stop: () => server.close() };
}
