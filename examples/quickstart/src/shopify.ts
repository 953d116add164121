/**
 * The Shopify flow, offline: msw plays the Admin GraphQL API of a fake shop, so the
 * desk attaches real-shaped order and tracking data to a "where is my order" ticket,
 * a signed fulfillments/update webhook answers that ticket, and an agent runs the
 * complaint workflow with a discount code inside their limit (and one over it).
 */
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import {
  createDesk,
  manualClock,
  signHmac,
  type ActionPlanInput,
  type CustomerContext,
  type Store,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { createCommerceActions, shopifyCommerce, shopifyWebhooks } from "@storedesk/shopify";
import { categoryWords, section, statusWords } from "./print.js";

const SHOP = "mocha-shop.myshopify.com";
const GRAPHQL_URL = `https://${SHOP}/admin/api/2025-10/graphql.json`;
// Demo values only: a real shop reads these from its environment.
const ACCESS_TOKEN = "shpat_demo_not_a_real_token";
const WEBHOOK_SECRET = "demo-shopify-app-secret";

/** What the demo ends with; the test asserts on it. */
export interface ShopifyDemoSummary {
  wismoTicketStatus: string;
  wismoOrder: {
    name: string;
    fulfillmentStatus: string | null;
    carrier: string | null;
    trackingUrl: string | null;
  } | null;
  trackingReplySent: boolean;
  trackingReplyText: string | null;
  discountCode: string | null;
  overLimitOutcome: string;
  complaintStep: string | null;
  rootCause: string | null;
  /** How many discountCodeBasicCreate calls reached the (fake) shop. */
  discountsCreated: number;
}

type Json = Record<string, unknown>;

/** The shapes in packages/shopify/test-fixtures (hand-written from Shopify's documented responses). */
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

/** The fake shop: two customers (Minji with order #1001 in transit, Jiho with a damaged #1002) and a discount endpoint. */
function fakeShop() {
  const minji = fixture<{ data: { customers: { nodes: Json[] } } }>("gql-customer.json");
  const minjiNode = minji.data.customers.nodes[0]!;
  // Jiho: the same documented shape, another customer and order.
  const jihoNode: Json = structuredClone(minjiNode);
  Object.assign(jihoNode, {
    id: "gid://shopify/Customer/7012345678902",
    displayName: "이지호",
    defaultEmailAddress: { emailAddress: "jiho@example.com" },
    defaultPhoneNumber: null,
    numberOfOrders: "1",
    amountSpent: { amount: "89000.0", currencyCode: "KRW" },
  });
  const jihoOrder = (jihoNode.orders as { nodes: Json[] }).nodes[0]!;
  Object.assign(jihoOrder, {
    id: "gid://shopify/Order/5678901234999",
    name: "#1002",
    createdAt: "2026-02-26T03:00:00Z",
    displayFulfillmentStatus: "FULFILLED",
    totalPriceSet: { shopMoney: { amount: "89000.0", currencyCode: "KRW" } },
    lineItems: {
      nodes: [
        {
          id: "gid://shopify/LineItem/14012345679001",
          title: "Ceramic pour-over set",
          quantity: 1,
          sku: "CPO-1",
          originalUnitPriceSet: { shopMoney: { amount: "89000.0", currencyCode: "KRW" } },
        },
      ],
    },
    fulfillments: [
      {
        id: "gid://shopify/Fulfillment/223344",
        status: "SUCCESS",
        displayStatus: "DELIVERED",
        updatedAt: "2026-02-28T05:00:00Z",
        estimatedDeliveryAt: null,
        trackingInfo: [
          {
            number: "7788990011",
            company: "CJ Logistics",
            url: "https://trace.cjlogistics.com/next/tracking.html?wblNo=7788990011",
          },
        ],
      },
    ],
  });
  const byEmail: Record<string, Json> = { "kim@example.com": minjiNode, "jiho@example.com": jihoNode };
  const discounts: Json[] = [];

  const server = setupServer(
    http.post(GRAPHQL_URL, async ({ request }) => {
      if (request.headers.get("x-shopify-access-token") !== ACCESS_TOKEN)
        return HttpResponse.json({ errors: "[API] Invalid API key or access token" }, { status: 401 });
      const body = (await request.json()) as { query: string; variables?: Json };
      const vars = body.variables ?? {};
      if (body.query.includes("StoredeskCustomerSearch")) {
        const email = /email:"([^"]+)"/.exec(String(vars.query))?.[1] ?? "";
        const node = byEmail[email];
        return HttpResponse.json({ data: { customers: { nodes: node ? [node] : [] } }, extensions: cost });
      }
      if (body.query.includes("StoredeskDiscount(")) {
        const input = vars.input as Json;
        discounts.push(input);
        return HttpResponse.json({
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/90${discounts.length}` },
              userErrors: [],
            },
          },
          extensions: cost,
        });
      }
      return HttpResponse.json({ errors: [{ message: "this demo shop does not answer that query" }] });
    }),
  );
  return { server, discounts };
}

const plans: ActionPlanInput[] = [
  {
    category: "complaint",
    responsibleTeam: "cs",
    decisionMaker: "cs-manager",
    informationNeeded: ["order number", "photos"],
    channels: ["webchat", "email"],
    serviceHours: "Mon–Fri 09:00–18:00 KST",
    compensation: {
      currency: "KRW",
      kinds: ["discount_code", "refund"],
      limits: [{ role: "agent", maxAmount: 10000, maxPercent: 10 }],
      approverRole: "cs-manager",
    },
  },
  {
    category: "shipping",
    responsibleTeam: "logistics",
    decisionMaker: "logistics-lead",
    informationNeeded: ["order number"],
    channels: ["webchat"],
    serviceHours: "Mon–Fri 09:00–18:00 KST",
    compensation: { currency: "KRW", kinds: [], limits: [], approverRole: "cs-manager" },
  },
];
const agents = [
  { id: "sora", name: "한소라", role: "agent" },
  { id: "hana", name: "오하나", role: "cs-manager" },
];

/**
 * Runs the Shopify section of the quickstart against `store`, offline, and prints a log.
 *
 * @example
 * const summary = await shopifyDemo(memoryStore());
 */
export async function shopifyDemo(store: Store): Promise<ShopifyDemoSummary> {
  const shop = fakeShop();
  shop.server.listen({ onUnhandledRequest: "error" });
  try {
    return await run(store, shop.discounts);
  } finally {
    shop.server.close();
  }
}

/** A Shopify or storedesk code in words: "IN_TRANSIT" → "in transit", "over_limit" → "over limit". */
const words = (code: string): string => code.toLowerCase().replaceAll("_", " ");

async function run(store: Store, discounts: Json[]): Promise<ShopifyDemoSummary> {
  const log = (line = "") => console.log(line);
  const clock = manualClock(new Date("2026-03-04T01:00:00Z")); // Wednesday 10:00 in Seoul
  section("Shopify: where is my order, answered; a complaint compensated within limits", {
    store,
    clock,
    why: "Wednesday of the same week; ticket numbers start again at SD-1: this is not the inbox above",
  });
  const chat = memoryChannel({ id: "webchat" });
  const commerce = shopifyCommerce({
    shop: SHOP,
    accessToken: ACCESS_TOKEN,
    clock,
    sleep: async () => {},
    fetch: (input, init) => fetch(input, init),
  });
  const desk = createDesk({
    store,
    clock,
    channels: [chat],
    commerce,
    actionPlans: plans,
    agents,
    shop: { name: "모카샵", defaultLocale: "ko", timeZone: "Asia/Seoul" },
  });
  desk.on("error", ({ error, context }) =>
    console.log(`  ! ${context}: ${error instanceof Error ? error.message : String(error)}`),
  );

  log("\n── Shopify: where is my order? ──");
  const wismo = await desk.ingest({
    type: "message",
    channel: "webchat",
    externalId: "shop-wc-1",
    occurredAt: clock.now(),
    conversationKey: "chat:v-minji",
    from: {
      identities: [
        { kind: "email", value: "kim@example.com" },
        { kind: "webchat", value: "v-minji" },
      ],
      name: "김민지",
      locale: "ko",
    },
    text: "주문번호 #1001 어디쯤 왔나요?",
  });
  const wismoTicket = wismo.ticket!;
  const context = wismoTicket.meta.commerce as CustomerContext | undefined;
  const order = context?.recentOrders.find((o) => o.name === wismoTicket.meta.orderName) ?? null;
  const shipment = order?.shipments[0] ?? null;
  log(
    `SD-${wismoTicket.number} (${statusWords(wismoTicket.status)}, ${categoryWords(wismoTicket.category)}) — "${wismoTicket.subject ?? ""}"`,
  );
  log(
    `  commerce: ${context ? `${context.name ?? "?"}, ${context.ordersCount} orders, ${context.totalSpent.toLocaleString("ko-KR")} ${context.currency}` : "none"}`,
  );
  if (order)
    log(
      `  order ${order.name}: ${words(order.fulfillmentStatus ?? "not fulfilled")}, ${shipment ? words(shipment.status ?? "shipped") : "no shipment"} via ${shipment?.carrier ?? "-"} ${shipment?.trackingNumber ?? ""}`,
    );
  if (shipment?.trackingUrl) log(`  tracking: ${shipment.trackingUrl}`);

  log("\n── Shopify webhook: fulfillments/update ──");
  const webhooks = shopifyWebhooks({
    secret: WEBHOOK_SECRET,
    store,
    desk,
    clock,
    shopDomain: SHOP,
    defaultLocale: "ko",
  });
  const fulfillment = {
    ...fixture("webhook-fulfillments-create.json"),
    shipment_status: "out_for_delivery",
    updated_at: "2026-03-04T09:30:00+09:00",
  };
  const body = JSON.stringify(fulfillment);
  const response = await webhooks(
    new Request("https://support.mocha-shop.example/webhooks/shopify", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "fulfillments/update",
        "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        "x-shopify-shop-domain": SHOP,
        "x-shopify-api-version": "2025-10",
        "x-shopify-hmac-sha256": signHmac(body, WEBHOOK_SECRET, "base64"),
      },
      body,
    }),
  );
  const outcome = (await response.json()) as Json;
  const afterWebhook = await desk.getTicket(wismoTicket.id);
  const botReply =
    (await desk.listMessages(wismoTicket.id))
      .filter((m) => m.direction === "outbound" && m.authorKind === "bot")
      .at(-1) ?? null;
  log(
    `webhook → ${response.status}, ticket reply: ${typeof outcome.ticketReply === "string" ? outcome.ticketReply : "none"}; SD-${afterWebhook.number} is now ${statusWords(afterWebhook.status)}`,
  );
  if (botReply)
    log(
      botReply.text
        .split("\n")
        .map((l) => `  bot> ${l}`)
        .join("\n"),
    );

  log("\n── Complaint with compensation ──");
  const complaint = await desk.ingest({
    type: "message",
    channel: "webchat",
    externalId: "shop-wc-2",
    occurredAt: clock.now(),
    conversationKey: "chat:v-jiho",
    from: {
      identities: [
        { kind: "email", value: "jiho@example.com" },
        { kind: "webchat", value: "v-jiho" },
      ],
      name: "이지호",
      locale: "ko",
    },
    text: "상품이 파손되어 왔어요. 정말 실망입니다",
  });
  const t = complaint.ticket!;
  log(
    `SD-${t.number} (${statusWords(t.status)}, ${categoryWords(t.category)}), priority ${t.priority}, complaint step: ${t.complaint?.step ?? "-"}`,
  );
  const sora = { agentId: "sora" };
  await desk.advanceComplaint(
    t.id,
    { type: "listened", summary: "Pour-over set (#1002) arrived broken; customer is disappointed." },
    sora,
  );
  await desk.reply(t.id, {
    text: "불편을 드려 정말 죄송합니다. 파손된 상품을 받으셔서 얼마나 실망하셨을지 이해합니다.",
    agentId: "sora",
  });
  await desk.advanceComplaint(t.id, { type: "apologized" }, sora);
  await desk.advanceComplaint(t.id, { type: "resolution_started", resolution: "새 상품 재발송 + 10% 할인 코드" }, sora);

  const actions = createCommerceActions({ commerce, store, clock, plans, agents });
  const jihoShopifyId =
    ((await desk.getTicket(t.id)).meta.commerce as CustomerContext | undefined)?.providerCustomerId ?? null;
  const granted = await actions.run({
    ticketId: t.id,
    agentId: "sora",
    idempotencyKey: `SD-${t.number}-sorry-10`,
    action: { type: "discount_code", customerId: jihoShopifyId, percent: 10, reason: `SD-${t.number} damaged item` },
  });
  const discountCode = granted.status === "done" ? (granted.result.code ?? null) : null;
  log(
    `10% code by sora (her limit: 10% / 10,000 KRW): ${granted.status === "done" ? "granted" : words(granted.status)}${discountCode ? ` → ${discountCode}` : ""}`,
  );
  if (discountCode)
    await desk.reply(t.id, {
      text: `사과의 의미로 10% 할인 코드를 드립니다: ${discountCode} (1회 사용, 90일 유효)`,
      agentId: "sora",
    });

  const tooMuch = await actions.run({
    ticketId: t.id,
    agentId: "sora",
    idempotencyKey: `SD-${t.number}-sorry-30`,
    action: { type: "discount_code", customerId: jihoShopifyId, percent: 30, reason: `SD-${t.number} damaged item` },
  });
  log(
    `30% code by sora: ${tooMuch.status === "pending_approval" ? `waiting for approval (${words(tooMuch.reason)}: a ${tooMuch.approverRole} decides)` : words(tooMuch.status)}`,
  );

  clock.advance(2 * 86_400_000);
  await desk.advanceComplaint(
    t.id,
    { type: "resolution_done", resolution: "새 상품 재발송 완료, 10% 할인 코드 발급" },
    sora,
  );
  const closed = await desk.advanceComplaint(
    t.id,
    {
      type: "customer_confirmed",
      satisfied: true,
      rootCause: "damaged_in_transit",
      note: "Courier crushed the box; asked logistics for double boxing.",
    },
    sora,
  );
  log(`complaint step: ${closed.complaint?.step ?? "-"}, root cause: ${words(closed.complaint?.rootCause ?? "-")}`);
  log(`discount codes created in the shop: ${discounts.length}`);

  return {
    wismoTicketStatus: afterWebhook.status,
    wismoOrder: order
      ? {
          name: order.name,
          fulfillmentStatus: order.fulfillmentStatus,
          carrier: shipment?.carrier ?? null,
          trackingUrl: shipment?.trackingUrl ?? null,
        }
      : null,
    trackingReplySent: outcome.ticketReply === "sent" && chat.sent.some((m) => m.text === botReply?.text),
    trackingReplyText: botReply?.text ?? null,
    discountCode,
    overLimitOutcome: tooMuch.status,
    complaintStep: closed.complaint?.step ?? null,
    rootCause: closed.complaint?.rootCause ?? null,
    discountsCreated: discounts.length,
  };
}
