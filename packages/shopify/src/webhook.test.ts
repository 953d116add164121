import { describe, expect, it, vi } from "vitest";
import { StoredeskError, createDesk, manualClock, memoryStore, pickLocale, type Ticket } from "@storedesk/core";
import { memoryChannel, sampleCustomer, sampleMessage, sampleTicket } from "@storedesk/core/testing";
import { renderMessage, shopifyWebhooks, type DeskLike, type ShopifyWebhooksOptions } from "./index.js";
import { SECRET, fixture, fixtureText, webhookRequest } from "./test-support.js";

// Core unchanged, with a spy on pickLocale (calls through) to see that the templates use it.
vi.mock("@storedesk/core", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@storedesk/core")>();
  return { ...actual, pickLocale: vi.fn(actual.pickLocale) };
});

/** The real desk on the memory store, with an in-process email channel. */
async function setup(over: Partial<ShopifyWebhooksOptions> = {}) {
  const store = over.store ?? memoryStore();
  const clock = manualClock(new Date("2026-03-03T00:00:00Z"));
  const email = memoryChannel({ id: "email" });
  const desk = createDesk({ store, clock, channels: [email], autoAcknowledge: false, shop: { defaultLocale: "en" } });
  const onDataRequest = vi.fn();
  const handle = shopifyWebhooks({
    secret: SECRET,
    store,
    desk,
    clock,
    messages: {
      orderCreated: {
        locales: {
          en: {
            subject: "Thanks for order {{order.name}}",
            body: "Thanks for order {{order.name}}!\nShipping: {{order.shippingMethod}}\nExpected delivery: {{order.estimatedDelivery}}\nWarranty: {{warranty}}\nQuestions? Write to {{support.email}}.",
          },
          ko: {
            subject: "주문 {{order.name}} 감사합니다",
            body: "{{customer.firstName}}님, 주문 {{order.name}} 감사합니다.\n배송: {{order.shippingMethod}}\n도착 예정: {{order.estimatedDelivery}}\n보증: {{warranty}}\n문의: {{support.email}}",
          },
        },
      },
      welcome: "Welcome, {{customer.firstName}}! Reply here any time.",
    },
    variables: { warranty: "1년", support: { email: "help@shop.test" } },
    estimateDelivery: () => "2026-03-05",
    onDataRequest,
    ...over,
  });
  async function post(topic: string, body: string, opts: Parameters<typeof webhookRequest>[2] = {}) {
    const res = await handle(webhookRequest(topic, body, opts));
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  async function customerAsks(
    text: string,
    externalId: string,
    category: Ticket["category"] = "shipping",
  ): Promise<Ticket> {
    const r = await desk.ingest({
      type: "message",
      channel: "email",
      externalId,
      occurredAt: clock.now(),
      from: { identities: [{ kind: "email", value: "kim@example.com" }], name: "Minji Kim", locale: "ko" },
      subject: "Order question",
      text,
    });
    await desk.setCategory(r.ticket!.id, category, { agentId: "kim" });
    return desk.getTicket(r.ticket!.id);
  }
  return { store, clock, email, desk, handle, post, customerAsks, onDataRequest };
}

describe("signature and redelivery", () => {
  it("accepts a body signed as in a published Shopify HMAC test vector", async () => {
    // Vector from SQLPage's Shopify webhook test: secret "test-webhook-secret".
    const body = '{"id":1234567890,"email":"customer@example.com","total_price":"123.45"}';
    const { handle } = await setup({ secret: "test-webhook-secret" });
    const res = await handle(
      webhookRequest("app/uninstalled", body, { signature: "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=" }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, ignored: "unknown_topic" });
  });

  it("answers 401 to a missing, wrong or stale signature and writes nothing", async () => {
    const { post, store, email } = await setup();
    const body = fixtureText("webhook-orders-create.json");
    expect((await post("orders/create", body, { signature: null, id: "w1" })).status).toBe(401);
    expect((await post("orders/create", body, { signature: "AAAA", id: "w2" })).status).toBe(401);
    expect(
      (
        await post("orders/create", body.replace("59000.00", "1.00"), {
          signature: webhookRequest("x", body).headers.get("x-shopify-hmac-sha256"),
          id: "w3",
        })
      ).status,
    ).toBe(401);
    expect(email.sent).toHaveLength(0);
    expect(await store.findCustomerByIdentity({ kind: "email", value: "kim@example.com" })).toBeNull();
    expect(await store.getIdempotency("shopify-webhook", "w1")).toBeNull();
  });

  it("drops a redelivery with the same X-Shopify-Webhook-Id", async () => {
    const { post, email } = await setup();
    const body = fixtureText("webhook-orders-create.json");
    expect((await post("orders/create", body, { id: "same" })).json).toMatchObject({ postPurchase: "sent" });
    expect((await post("orders/create", body, { id: "same" })).json).toEqual({ ok: true, duplicate: true });
    expect(email.sent).toHaveLength(1);
  });

  it("sends one post-purchase message when Shopify delivers the same orders/create webhook 5 times at once", async () => {
    // The duplicates wait for the first delivery by polling; `sleep` yields one event-loop turn, no real time.
    const { handle, email } = await setup({ sleep: () => new Promise<void>((resolve) => setImmediate(resolve)) });
    const body = fixtureText("webhook-orders-create.json");
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => handle(webhookRequest("orders/create", body, { id: "dup-5" }))),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const answers = (await Promise.all(responses.map((r) => r.json()))) as Array<Record<string, unknown>>;
    expect(answers.filter((a) => a.postPurchase === "sent")).toHaveLength(1);
    expect(answers.filter((a) => a.duplicate === true)).toHaveLength(4);
    expect(email.sent).toHaveLength(1);
  });

  it("does not send again when it crashed between sending and recording the webhook id", async () => {
    const store = memoryStore();
    const put = store.putIdempotency.bind(store);
    let failRecord = true;
    // The process "dies" right after the message left: the webhook id cannot be recorded.
    store.putIdempotency = async (record) => {
      if (record.scope === "shopify-webhook" && failRecord) {
        failRecord = false;
        throw new Error("connection lost");
      }
      return put(record);
    };
    const { handle, email } = await setup({ store, sleep: async () => {} });
    const body = fixtureText("webhook-customers-create.json");
    expect((await handle(webhookRequest("customers/create", body, { id: "crash-1" }))).status).toBe(500);
    expect(email.sent).toHaveLength(1);
    // Shopify redelivers: the id is still claimed by the attempt that sent, so nothing goes out twice;
    // the answer asks Shopify to retry later rather than claiming success.
    const again = await handle(webhookRequest("customers/create", body, { id: "crash-1" }));
    expect(email.sent).toHaveLength(1);
    expect(again.status).toBe(503);
  });

  it("answers 400 to malformed JSON or a payload of the wrong shape, remembering nothing", async () => {
    const { post, store } = await setup();
    expect((await post("orders/create", "{not json", { id: "bad1" })).status).toBe(400);
    expect((await post("orders/create", JSON.stringify({ id: 1 }), { id: "bad2" })).status).toBe(400);
    expect(await store.getIdempotency("shopify-webhook", "bad2")).toBeNull();
    expect(await store.getIdempotency("shopify-webhook-claim", "0:bad2")).toBeNull();
  });

  it("ignores webhooks of another shop when shopDomain is set", async () => {
    const { post, email } = await setup({ shopDomain: "example-shop.myshopify.com" });
    const r = await post("orders/create", fixtureText("webhook-orders-create.json"), { shop: "other.myshopify.com" });
    expect(r.json).toMatchObject({ ignored: "other_shop" });
    expect(email.sent).toHaveLength(0);
  });
});

describe("orders and customers", () => {
  it("orders/create links the buyer and sends the post-purchase message in their language", async () => {
    const { post, store, email } = await setup();
    const r = await post("orders/create", fixtureText("webhook-orders-create.json"));
    expect(r.status).toBe(200);
    const customer = await store.findCustomerByIdentity({ kind: "shopify", value: "7012345678901" });
    expect(customer?.identities).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "kim@example.com" },
        { kind: "phone", value: "+821012345678" },
      ]),
    );
    expect(email.sent).toHaveLength(1);
    const text = email.sent[0]!.text;
    expect(text).toBe(
      "Minji님, 주문 #1001 감사합니다.\n배송: CJ대한통운 택배\n도착 예정: 2026-03-05\n보증: 1년\n문의: help@shop.test",
    );
  });

  it("orders/create reuses a customer the desk already knows by email", async () => {
    const { post, store, customerAsks } = await setup();
    const t = await customerAsks("hello", "m1");
    await post("orders/create", fixtureText("webhook-orders-create.json"));
    const customer = await store.getCustomer(t.customerId);
    expect(customer?.identities.map((i) => i.kind).sort()).toEqual(["email", "phone", "shopify"]);
  });

  it("customers/create sends the welcome message, and nothing when no welcome is configured", async () => {
    const a = await setup();
    expect((await a.post("customers/create", fixtureText("webhook-customers-create.json"))).json).toMatchObject({
      welcome: "sent",
    });
    expect(a.email.sent[0]!.text).toBe("Welcome, Alex! Reply here any time.");
    const b = await setup({ messages: {} });
    expect((await b.post("customers/create", fixtureText("webhook-customers-create.json"))).json).toMatchObject({
      welcome: "not_configured",
    });
    expect(b.email.sent).toHaveLength(0);
    expect(await b.store.findCustomerByIdentity({ kind: "email", value: "alex@example.com" })).not.toBeNull();
  });

  it("orders/cancelled adds a note to the customer's open ticket about that order", async () => {
    const { post, desk, customerAsks } = await setup();
    const t = await customerAsks("Please cancel order #1001", "m1", "order_change");
    const other = await customerAsks("Is #1002 shipped?", "m2", "shipping");
    await post("orders/cancelled", fixtureText("webhook-orders-cancelled.json"));
    const notes = (await desk.listMessages(t.id)).filter((m) => m.direction === "note");
    expect(notes.map((n) => n.text)).toEqual(["Order #1001 was cancelled in Shopify (reason: customer)."]);
    expect((await desk.listMessages(other.id)).filter((m) => m.direction === "note")).toHaveLength(0);
  });
});

describe("fulfillments", () => {
  it("answers an open 'where is my order' ticket with the tracking data and moves it to pending", async () => {
    const { post, desk, email, customerAsks } = await setup();
    const t = await customerAsks("안녕하세요, 주문 #1001 언제 오나요?", "m1");
    const r = await post("fulfillments/create", fixtureText("webhook-fulfillments-create.json"));
    expect(r.json).toMatchObject({ tickets: [t.id], ticketReply: "sent" });
    const ticket = await desk.getTicket(t.id);
    expect(ticket.status).toBe("pending");
    const reply = (await desk.listMessages(t.id)).find((m) => m.direction === "outbound")!;
    expect(reply.authorKind).toBe("bot");
    expect(reply.text).toContain("https://trace.cjlogistics.com/next/tracking.html?wblNo=6543210987");
    expect(reply.text).toContain("6543210987");
    expect(reply.text).toContain("2026-03-05");
    expect(email.sent).toHaveLength(1); // the reply only: no second, separate shipping update
  });

  it("answers the only open shipping ticket even when it names no order, but not one about another order", async () => {
    const a = await setup();
    const t = await a.customerAsks("Where is my parcel?", "m1");
    await a.post("fulfillments/create", fixtureText("webhook-fulfillments-create.json"));
    expect((await a.desk.getTicket(t.id)).status).toBe("pending");

    const b = await setup();
    const other = await b.customerAsks("Where is order #1002?", "m1");
    const r = await b.post("fulfillments/create", fixtureText("webhook-fulfillments-create.json"));
    expect(r.json).toMatchObject({ tickets: [], shippingUpdate: "sent" });
    expect((await b.desk.getTicket(other.id)).status).not.toBe("pending");
  });

  it("matches a ticket by meta.orderId", async () => {
    const { post, store, desk, customerAsks } = await setup();
    const t = await customerAsks("hello", "m1");
    await store.updateTicket(
      { ...t, meta: { ...t.meta, orderId: "gid://shopify/Order/5678901234567" }, version: t.version + 1 },
      t.version,
    );
    const r = await post("fulfillments/create", fixtureText("webhook-fulfillments-create.json"));
    expect(r.json).toMatchObject({ tickets: [t.id] });
    expect((await desk.getTicket(t.id)).status).toBe("pending");
  });

  it("without a ticket sends a shipping update in the customer's language, once per tracking state", async () => {
    const { post, email } = await setup();
    await post("orders/create", fixtureText("webhook-orders-create.json"), { id: "o1" });
    const body = fixtureText("webhook-fulfillments-create.json");
    expect((await post("fulfillments/create", body, { id: "f1" })).json).toMatchObject({ shippingUpdate: "sent" });
    const update = email.sent[1]!;
    expect(update.text).toBe(
      [
        "주문하신 #1001 상품이 발송되었습니다.",
        "택배사: CJ Logistics",
        "운송장 번호: 6543210987",
        "배송 조회: https://trace.cjlogistics.com/next/tracking.html?wblNo=6543210987",
        "도착 예정일: 2026-03-05",
      ].join("\n"),
    );
    // fulfillments/update with nothing new for the customer: no second message.
    expect((await post("fulfillments/update", body, { id: "f2" })).json).toMatchObject({ notice: "already_sent" });
    const delivered = JSON.stringify({ ...fixture("webhook-fulfillments-create.json"), shipment_status: "delivered" });
    expect((await post("fulfillments/update", delivered, { id: "f3" })).json).toMatchObject({ shippingUpdate: "sent" });
    expect(email.sent).toHaveLength(3);
  });

  it("drops template lines whose data is missing", async () => {
    const { post, email } = await setup();
    const bare = JSON.stringify({
      ...fixture("webhook-fulfillments-create.json"),
      tracking_url: null,
      tracking_urls: [],
      estimated_delivery_at: null,
    });
    await post("fulfillments/create", bare);
    // No order webhook came first, so the customer's language is unknown: English.
    expect(email.sent[0]!.text).toBe(
      "Your order #1001 has shipped.\nCarrier: CJ Logistics\nTracking number: 6543210987",
    );
  });
});

describe("refunds", () => {
  it("refunds/create notes the refund on the matching refund_exchange ticket and solves it", async () => {
    const { post, store, desk, customerAsks } = await setup();
    const t = await customerAsks("I want a refund for #1001", "m1", "refund_exchange");
    const fresh = await store.getTicket(t.id);
    await store.updateTicket(
      { ...fresh!, meta: { ...fresh!.meta, orderId: "5678901234567" }, version: fresh!.version + 1 },
      fresh!.version,
    );
    const r = await post("refunds/create", fixtureText("webhook-refunds-create.json"));
    expect(r.json).toMatchObject({ tickets: [t.id], status: "solved" });
    expect((await desk.getTicket(t.id)).status).toBe("solved");
    const note = (await desk.listMessages(t.id)).find((m) => m.direction === "note")!;
    expect(note.text).toBe(
      "Shopify refund 509562969 processed for order 5678901234567: 39000.00 KRW. Note: Damaged on arrival",
    );
  });

  it("can leave the ticket pending instead, per configuration", async () => {
    const { post, store, desk, customerAsks } = await setup({ refundStatus: "pending" });
    const t = await customerAsks("refund please", "m1", "refund_exchange");
    const fresh = (await store.getTicket(t.id))!;
    await store.updateTicket(
      { ...fresh, meta: { orderId: "gid://shopify/Order/5678901234567" }, version: fresh.version + 1 },
      fresh.version,
    );
    await post("refunds/create", fixtureText("webhook-refunds-create.json"));
    expect((await desk.getTicket(t.id)).status).toBe("pending");
  });
});

describe("privacy webhooks", () => {
  it("customers/data_request hands the desk's export to the callback", async () => {
    const { post, customerAsks, onDataRequest } = await setup();
    await customerAsks("Where is #1001?", "m1");
    const r = await post("customers/data_request", fixtureText("webhook-customers-data_request.json"));
    expect(r.json).toMatchObject({ customers: 1, delivered: true });
    const arg = onDataRequest.mock.calls[0]![0] as {
      payload: { data_request: { id: string } };
      exports: Array<{ customer: { identities: unknown[] }; tickets: Array<{ messages: Array<{ text: string }> }> }>;
    };
    expect(arg.payload.data_request.id).toBe("9999");
    expect(arg.exports[0]!.tickets[0]!.messages[0]!.text).toBe("Where is #1001?");
  });

  it("customers/redact erases the customer, their tickets and messages from the store", async () => {
    const { post, store, customerAsks } = await setup();
    const t = await customerAsks("Where is #1001?", "m1");
    const r = await post("customers/redact", fixtureText("webhook-customers-redact.json"));
    expect(r.json).toMatchObject({ erased: 1 });
    expect(await store.getCustomer(t.customerId)).toBeNull();
    expect(await store.getTicket(t.id)).toBeNull();
    expect(await store.listMessages(t.id)).toEqual([]);
    expect(await store.findCustomerByIdentity({ kind: "email", value: "kim@example.com" })).toBeNull();
  });

  it("shop/redact erases the Shopify customers and keeps customers who only wrote on other channels", async () => {
    const { post, store, desk, clock, customerAsks } = await setup();
    await post("orders/create", fixtureText("webhook-orders-create.json"));
    const shopCustomer = (await store.findCustomerByIdentity({ kind: "email", value: "kim@example.com" }))!;
    await customerAsks("hi", "m1");
    const walkIn = await desk.ingest({
      type: "message",
      channel: "email",
      externalId: "m2",
      occurredAt: clock.now(),
      from: { identities: [{ kind: "email", value: "walkin@example.com" }] },
      text: "question",
    });
    const r = await post("shop/redact", fixtureText("webhook-shop-redact.json"));
    expect(r.json).toMatchObject({ erased: 1 });
    expect(await store.getCustomer(shopCustomer.id)).toBeNull();
    expect(await store.getCustomer(walkIn.ticket!.customerId)).not.toBeNull();
  });
});

describe("message language", () => {
  it("chooses the template language with core's pickLocale: exact, base language, fallback, then the first given", () => {
    vi.mocked(pickLocale).mockClear();
    const both = { locales: { en: { body: "Hi {{name}}" }, ko: { body: "{{name}}님 안녕하세요" } } };
    expect(renderMessage(both, { name: "Minji" }, "ko-KR", "en").text).toBe("Minji님 안녕하세요");
    expect(pickLocale).toHaveBeenCalledWith(["en", "ko"], "ko-KR", ["en"]);
    expect(renderMessage(both, { name: "Minji" }, "ja", "en").text).toBe("Hi Minji");
    expect(renderMessage(both, { name: "Minji" }, null, "ko").text).toBe("Minji님 안녕하세요");
    expect(renderMessage({ locales: { ko: { body: "안녕" } } }, {}, "ja", "en").text).toBe("안녕");
  });
});

describe("delivery failures (fake desk)", () => {
  function fakeDesk(send: DeskLike["sendToCustomer"], store = memoryStore()): DeskLike {
    return {
      sendToCustomer: send,
      reply: async () => sampleMessage({ direction: "outbound", authorKind: "agent" }),
      setStatus: async () => sampleTicket(),
      note: async () => sampleMessage({ direction: "note" }),
      listTickets: async () => [],
      listMessages: async () => [],
      getCustomer: async () => null,
      findCustomer: (identity) => store.findCustomerByIdentity(identity),
      exportCustomer: async () => ({
        customer: sampleCustomer(),
        tickets: [],
        commerce: null,
        exportedAt: new Date(0).toISOString(),
      }),
      eraseCustomer: async () => ({ tickets: 0 }),
    };
  }

  it("answers 503 on a retryable send failure and processes the redelivery", async () => {
    const store = memoryStore();
    const send = vi
      .fn<DeskLike["sendToCustomer"]>()
      .mockRejectedValueOnce(new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "smtp down" }))
      .mockResolvedValueOnce({
        ticket: sampleTicket(),
        message: sampleMessage({ direction: "outbound", authorKind: "system" }),
      });
    const handle = shopifyWebhooks({ secret: SECRET, store, desk: fakeDesk(send, store), messages: { welcome: "hi" } });
    const body = fixtureText("webhook-customers-create.json");
    expect((await handle(webhookRequest("customers/create", body, { id: "x1" }))).status).toBe(503);
    expect(await store.getIdempotency("shopify-webhook", "x1")).toBeNull();
    expect((await handle(webhookRequest("customers/create", body, { id: "x1" }))).status).toBe(200);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("records a final send refusal and answers 200 so Shopify stops redelivering", async () => {
    const store = memoryStore();
    const send = vi
      .fn<DeskLike["sendToCustomer"]>()
      .mockRejectedValue(
        new StoredeskError({ code: "NOT_FOUND", message: "No registered channel reaches this customer" }),
      );
    const handle = shopifyWebhooks({ secret: SECRET, store, desk: fakeDesk(send), messages: { welcome: "hi" } });
    const res = await handle(
      webhookRequest("customers/create", fixtureText("webhook-customers-create.json"), { id: "x2" }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ welcome: "failed", welcomeError: "NOT_FOUND" });
  });

  it("needs the app secret", () => {
    expect(() =>
      shopifyWebhooks({
        secret: "",
        store: memoryStore(),
        desk: fakeDesk(async () => ({ ticket: sampleTicket(), message: sampleMessage() })),
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
