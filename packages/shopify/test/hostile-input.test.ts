/**
 * Hostile deliveries at the Shopify webhook through a real desk: for every handled topic, bad
 * bodies are a typed 4xx (never a 5xx that Shopify redelivers for 48 hours) and write nothing; a
 * forged or truncated HMAC writes nothing; a redelivery (same webhook id) is a no-op; an unknown
 * topic is acknowledged and writes nothing.
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { hostileBodies, memoryChannel, watchStoreWrites, wrongTypeVariants } from "@storedesk/core/testing";
import { shopifyWebhooks } from "../src/index.js";
import { SECRET, SHOP, fixture } from "../src/test-support.js";

function setup() {
  const watched = watchStoreWrites(memoryStore());
  const clock = manualClock(new Date("2026-03-03T00:00:00Z"));
  const email = memoryChannel({ id: "email" });
  const desk = createDesk({ store: watched.store, clock, channels: [email], autoAcknowledge: false });
  const handle = shopifyWebhooks({
    secret: SECRET,
    store: watched.store,
    desk,
    clock,
    shopDomain: SHOP,
    sleep: async () => {},
    messages: { orderCreated: "Thanks for {{order.name}}", welcome: "Welcome {{customer.firstName}}" },
  });
  return { desk, watched, email, handle };
}

let seq = 0;
function delivery(
  topic: string,
  body: string | Uint8Array,
  opts: { id?: string | null; signature?: string | null; shop?: string } = {},
): Request {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const signature =
    opts.signature === undefined ? createHmac("sha256", SECRET).update(bytes).digest("base64") : opts.signature;
  const id = opts.id === undefined ? `wh-hostile-${++seq}` : opts.id;
  return new Request("https://support.example.com/webhooks/shopify", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": opts.shop ?? SHOP,
      ...(id === null ? {} : { "x-shopify-webhook-id": id }),
      ...(signature === null ? {} : { "x-shopify-hmac-sha256": signature }),
    },
    body: bytes,
  });
}

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: { code?: string } }).error?.code;
}

const VALID: Record<string, unknown> = {
  "orders/create": fixture("webhook-orders-create.json"),
  "orders/cancelled": fixture("webhook-orders-cancelled.json"),
  "fulfillments/create": fixture("webhook-fulfillments-create.json"),
  "fulfillments/update": fixture("webhook-fulfillments-create.json"),
  "refunds/create": fixture("webhook-refunds-create.json"),
  "customers/create": fixture("webhook-customers-create.json"),
  "customers/data_request": fixture("webhook-customers-data_request.json"),
  "customers/redact": fixture("webhook-customers-redact.json"),
  "shop/redact": fixture("webhook-shop-redact.json"),
};
const TOPICS = Object.keys(VALID);

describe("shopify webhook: bad bodies are typed 4xx and write nothing", () => {
  it.each(hostileBodies().map((b) => [b.name, b.body] as const))("%s, signed, at every topic", async (_name, body) => {
    const { watched, handle } = setup();
    for (const topic of TOPICS) {
      const res = await handle(delivery(topic, body));
      expect(res.status, topic).toBe(400);
      expect(await errorCode(res)).toBe("INVALID_INPUT");
    }
    expect(watched.writes()).toEqual([]);
  });

  it("any one field of a topic's payload of the wrong type is answered below 500; its redelivery writes nothing", async () => {
    const statuses = new Set<number>();
    for (const topic of TOPICS) {
      for (const { path, body } of wrongTypeVariants(VALID[topic], 4)) {
        const { watched, handle } = setup();
        const id = `wh-variant-${++seq}`;
        const first = await handle(delivery(topic, body, { id }));
        statuses.add(first.status);
        expect(first.status, `${topic} ${path}`).toBeLessThan(500);
        watched.reset();
        expect((await handle(delivery(topic, body, { id }))).status, `${topic} ${path}`).toBeLessThan(500);
        expect(watched.writes(), `redelivery of ${topic} ${path}`).toEqual([]);
      }
    }
    expect([...statuses].sort()).toEqual([200, 400]);
  });

  it("for any JSON value at any topic, the answer is below 500", async () => {
    const { handle } = setup();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TOPICS), fc.jsonValue({ maxDepth: 4 }), async (topic, value) => {
        expect((await handle(delivery(topic, JSON.stringify(value)))).status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});

describe("shopify webhook: forged, replayed and foreign deliveries", () => {
  const body = JSON.stringify(VALID["orders/create"]);
  const good = createHmac("sha256", SECRET).update(body).digest("base64");
  it.each([
    ["no signature", null],
    ["an empty signature", ""],
    ["a truncated signature", good.slice(0, -4)],
    ["the signature in hex", createHmac("sha256", SECRET).update(body).digest("hex")],
    ["a signature with another secret", createHmac("sha256", "other").update(body).digest("base64")],
    ["a signature of the empty body", createHmac("sha256", SECRET).update("").digest("base64")],
  ])("%s is refused 401 and nothing is written", async (_name, signature) => {
    const { watched, handle } = setup();
    const res = await handle(delivery("orders/create", body, { signature }));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("SIGNATURE_INVALID");
    expect(watched.writes()).toEqual([]);
  });

  it("a delivery without a webhook id is a 400; another shop's delivery is acknowledged; neither writes", async () => {
    const { watched, handle } = setup();
    expect((await handle(delivery("orders/create", body, { id: null }))).status).toBe(400);
    expect(await (await handle(delivery("orders/create", body, { shop: "evil.myshopify.com" }))).json()).toMatchObject({
      ignored: "other_shop",
    });
    expect(watched.writes()).toEqual([]);
  });

  it("a redelivered order (same webhook id) sends one message and writes nothing the second time", async () => {
    const { watched, handle, email } = setup();
    expect((await handle(delivery("orders/create", body, { id: "wh-replay" }))).status).toBe(200);
    watched.reset();
    const again = await handle(delivery("orders/create", body, { id: "wh-replay" }));
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true });
    expect(watched.writes()).toEqual([]);
    expect(email.sent).toHaveLength(1);
  });

  it.each(["app/uninstalled", "orders/__proto__", "constructor", "", "ORDERS/CREATE"])(
    "an unknown topic %j is acknowledged 200 and writes nothing",
    async (topic) => {
      const { watched, handle } = setup();
      const res = await handle(delivery(topic, body));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, ignored: "unknown_topic" });
      expect(watched.writes()).toEqual([]);
    },
  );
});
