/**
 * The Shopify webhook held to #11: the signature covers the raw bytes, ids longer than 2^53
 * keep every digit, notices about one order land on one ticket, and a post-purchase mail's
 * subject comes from its template.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { shopifyWebhooks, type ShopifyWebhooksOptions } from "./index.js";
import { SECRET, SHOP, fixtureText } from "./test-support.js";

function setup(over: Partial<ShopifyWebhooksOptions> = {}) {
  const store = memoryStore();
  const clock = manualClock(new Date("2026-03-03T00:00:00Z"));
  const email = memoryChannel({ id: "email" });
  const desk = createDesk({ store, clock, channels: [email], autoAcknowledge: false, shop: { defaultLocale: "en" } });
  const handle = shopifyWebhooks({ secret: SECRET, store, desk, clock, ...over });
  return { store, desk, email, handle };
}

let seq = 0;
/** A request with these exact bytes, signed over `signedOver` (default: the same bytes). */
function bytesRequest(topic: string, body: Uint8Array, signedOver: Uint8Array = body): Request {
  return new Request("https://support.example.com/webhooks/shopify", {
    method: "POST",
    body: Buffer.from(body),
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-webhook-id": `wh-bytes-${++seq}`,
      "x-shopify-shop-domain": SHOP,
      "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(signedOver).digest("base64"),
    },
  });
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const customersCreate = Buffer.from(fixtureText("webhook-customers-create.json"));

describe("shopify webhook signature over the raw bytes", () => {
  it("refuses a signed body with a byte-order mark added (401)", async () => {
    const { handle } = setup();
    expect(
      (await handle(bytesRequest("customers/create", Buffer.concat([BOM, customersCreate]), customersCreate))).status,
    ).toBe(401);
  });
  it("accepts a body signed over bytes that start with a byte-order mark", async () => {
    const { handle } = setup();
    expect((await handle(bytesRequest("customers/create", Buffer.concat([BOM, customersCreate])))).status).toBe(200);
  });
  it("refuses one invalid UTF-8 byte swapped for another under the same signature (401)", async () => {
    const { handle } = setup();
    const signed = Buffer.concat([customersCreate, Buffer.from([0x20, 0xff])]);
    const swapped = Buffer.concat([customersCreate, Buffer.from([0x20, 0xfe])]);
    expect((await handle(bytesRequest("customers/create", swapped, signed))).status).toBe(401);
  });
});

describe("what the customer sees", () => {
  const orderBody = (id: string) =>
    fixtureText("webhook-orders-create.json").replace(
      /"id":\s*\d+,\s*"admin_graphql_api_id":\s*"gid:\/\/shopify\/Order\/\d+"/,
      `"id": ${id}, "admin_graphql_api_id": "gid://shopify/Order/${id}"`,
    );
  const post = (handle: (r: Request) => Promise<Response>, topic: string, text: string) =>
    handle(bytesRequest(topic, Buffer.from(text)));

  it("a plain-string orderCreated template gets a subject from the default template, never Re: or the internal reason", async () => {
    const { handle, email } = setup({ messages: { orderCreated: "Thanks for order {{order.name}}!" } });
    expect((await post(handle, "orders/create", fixtureText("webhook-orders-create.json"))).status).toBe(200);
    expect(email.sent).toHaveLength(1);
    const subject = email.sent[0]!.subject ?? "";
    expect(subject).not.toMatch(/^Re:/i);
    expect(subject).not.toContain("shopify.");
    expect(subject).toMatch(/#1001/);
  });

  it("keeps every digit of an order id past 2^53", async () => {
    const { handle, store } = setup({ messages: { orderCreated: "Thanks for order {{order.name}}!" } });
    expect((await post(handle, "orders/create", orderBody("115310627314723954"))).status).toBe(200);
    expect(await store.getIdempotency("shopify-order-ticket", "115310627314723954")).not.toBeNull();
  });

  it("puts the post-purchase mail and the shipping notice of one order on one ticket", async () => {
    const { handle, desk } = setup({ messages: { orderCreated: "Thanks for order {{order.name}}!" } });
    expect((await post(handle, "orders/create", fixtureText("webhook-orders-create.json"))).status).toBe(200);
    expect((await post(handle, "fulfillments/create", fixtureText("webhook-fulfillments-create.json"))).status).toBe(
      200,
    );
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(1);
    expect(await desk.listMessages(tickets[0]!.id)).toHaveLength(2);
  });
});
