/** createDesk flows: complaints, SLA timers, text hygiene, commerce context, the scheduler loop and the classification on record. */
import { describe, expect, it, vi } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { manualClock } from "../ports/clock.js";
import { defineSlaPolicy } from "../sla/index.js";
import type { CommerceProvider } from "../ports/commerce.js";
import { T0, msg, setup } from "./create-desk-kit.js";

describe("createDesk complaints", () => {
  it("turns an ongoing conversation into a complaint when the customer gets angry", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("배송 언제 오나요?"));
    expect(ticket?.category).toBe("shipping");
    const angry = await desk.ingest(msg("벌써 2주째입니다. 정말 최악이고 너무 화가 납니다. 연락도 없고요!!!"));
    expect(angry.outcome).toBe("threaded");
    expect(angry.ticket).toMatchObject({
      id: ticket!.id,
      category: "complaint",
      complaint: { step: "listen" },
      meta: { topicBeforeComplaint: "shipping" },
    });
    expect(["high", "urgent"]).toContain(angry.ticket?.priority);
    const types = (await desk.listEvents(ticket!.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["category.changed", "priority.changed", "complaint.opened"]));
    // The complaint policy's faster first reply now applies (4 h instead of shipping's 12 h, from creation).
    expect(angry.ticket?.sla?.policyId).toBe("complaint");
    const calm = await desk.ingest(msg("그럼 기다릴게요"));
    expect(calm.ticket?.category).toBe("complaint");
  });

  it("runs an angry complaint through listen → apologize → resolve → inform → confirm → closed", async () => {
    const { desk, clock, chat } = setup({ complaint: { updateIntervalMinutes: 60 } });
    const { ticket } = await desk.ingest(
      msg("정말 최악이네요. 상품이 파손돼서 왔는데 연락도 없고 너무 화가 납니다!!!"),
    );
    expect(ticket?.category).toBe("complaint");
    expect(ticket?.priority === "high" || ticket?.priority === "urgent").toBe(true);
    expect(ticket?.complaint?.step).toBe("listen");
    const id = ticket!.id;
    await expect(desk.advanceComplaint(id, { type: "apologized" }, { agentId: "a1" })).rejects.toMatchObject({
      code: "ILLEGAL_TRANSITION",
    });
    await desk.advanceComplaint(id, { type: "listened", summary: "상품 파손, 연락 없음" }, { agentId: "a1" });
    await desk.advanceComplaint(id, { type: "apologized" }, { agentId: "a1" });
    await desk.advanceComplaint(id, { type: "resolution_started", resolution: "새 상품 재발송" }, { agentId: "a1" });
    const sentBefore = chat.sent.length;
    clock.advance(61 * 60_000);
    await desk.runDue();
    expect(chat.sent.length).toBe(sentBefore + 1); // an automatic progress update
    expect((await desk.getTicket(id)).complaint?.step).toBe("inform");
    await desk.advanceComplaint(id, { type: "resolution_done" }, { agentId: "a1" });
    expect(chat.sent.at(-1)?.text).toContain("새 상품 재발송");
    await desk.advanceComplaint(
      id,
      { type: "customer_confirmed", satisfied: false, note: "아직 불량" },
      { agentId: "a1" },
    );
    expect((await desk.getTicket(id)).complaint?.step).toBe("resolve");
    await desk.advanceComplaint(id, { type: "resolution_done", resolution: "전액 환불" }, { agentId: "a1" });
    await expect(
      desk.advanceComplaint(id, { type: "customer_confirmed", satisfied: true }, { agentId: "a1" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", path: ["rootCause"] });
    const closed = await desk.advanceComplaint(
      id,
      { type: "customer_confirmed", satisfied: true, rootCause: "damaged_in_transit" },
      { agentId: "a1" },
    );
    expect(closed.complaint).toMatchObject({ step: "closed", rootCause: "damaged_in_transit", reopenCount: 1 });
    expect(closed.complaint?.history.map((h) => h.step)).toEqual([
      "listen",
      "apologize",
      "resolve",
      "inform",
      "inform",
      "confirm",
      "resolve",
      "confirm",
      "closed",
    ]);
    expect((await desk.store.listJobs({ ticketId: id })).filter((j) => j.type === "complaint.update_due")).toEqual([]);
  });
});

describe("createDesk SLA timers", () => {
  const policy = defineSlaPolicy({
    id: "fast",
    name: "Fast",
    warnBeforeMinutes: 30,
    targets: { default: { first_reply: { minutes: 120, time: "calendar" } } },
    escalations: [
      {
        on: "breach",
        metrics: ["first_reply"],
        raisePriority: "urgent",
        assignTeam: "leads",
        notify: ["lead@shop.example"],
      },
    ],
  });

  it("fires warning and breach on time through runDue, escalates, and survives a restart", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const seen: string[] = [];
    const desk1 = createDesk({ store, clock, sla: { policies: [policy] }, autoAcknowledge: false });
    const { ticket } = await desk1.ingest(msg("hello, question"));
    expect((await store.listJobs({ ticketId: ticket!.id })).map((j) => j.runAt.toISOString())).toEqual([
      "2026-03-02T02:30:00.000Z",
    ]);
    // The process dies; a new desk on the same store picks the timers up.
    const desk2 = createDesk({ store, clock, sla: { policies: [policy] }, autoAcknowledge: false });
    desk2.on("sla.warning", ({ metric }) => seen.push(`warn:${metric}`));
    desk2.on("sla.breached", ({ metric }) => seen.push(`breach:${metric}`));
    desk2.on("sla.escalated", ({ notify }) => seen.push(`notify:${notify.join(",")}`));
    clock.set(new Date("2026-03-02T02:29:00.000Z"));
    expect((await desk2.runDue()).ran).toBe(0);
    clock.set(new Date("2026-03-02T02:30:00.000Z"));
    await desk2.runDue();
    expect(seen).toEqual(["warn:first_reply"]);
    clock.set(new Date("2026-03-02T03:00:00.000Z"));
    await desk2.runDue();
    expect(seen).toEqual(["warn:first_reply", "breach:first_reply", "notify:lead@shop.example"]);
    const t = await desk2.getTicket(ticket!.id);
    expect(t.priority).toBe("urgent");
    expect(t.team).toBe("leads");
    await desk2.runDue(new Date("2026-03-02T05:00:00.000Z"));
    expect(seen).toHaveLength(3); // each fires once
  });
});

describe("createDesk text hygiene", () => {
  it("cuts an over-long text instead of refusing it, and bounds over-long keys by hashing them", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const longId = "메".repeat(900); // 2,700 UTF-8 bytes: beyond any btree index
    const r = await desk.ingest(msg("x".repeat(250_000), { externalId: longId, conversationKey: "제목".repeat(400) }));
    expect(r.message?.text).toHaveLength(200_000);
    expect(r.message?.meta.truncated).toEqual({ textChars: 250_000, htmlChars: 0 });
    expect(r.message?.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.ticket?.conversationKey).toMatch(/^sha256:/);
    // The same long id delivered again maps to the same key: a no-op.
    expect((await desk.ingest(msg("again", { externalId: longId }))).outcome).toBe("duplicate");
  });

  it("replaces half an emoji (an unpaired surrogate) instead of losing the message", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const r = await desk.ingest(msg("교환 \ud83d 언제", { meta: { title: "\udc00x" } }));
    expect(r.message).toMatchObject({ text: "교환 \ufffd 언제", meta: { title: "\ufffdx" } });
  });

  it("keeps a message that carries NUL characters, without them (no store can hold them)", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const r = await desk.ingest(
      msg("broken\u0000 mail", { subject: "re\u0000: hi", meta: { header: "x\u0000y", list: ["a\u0000"] } }),
    );
    expect(r.message).toMatchObject({ text: "broken mail", meta: { header: "xy", list: ["a"], subject: "re: hi" } });
  });
});

describe("createDesk commerce context", () => {
  const order = {
    id: "gid://shopify/Order/1001",
    name: "#1001",
    createdAt: "2026-02-27T03:00:00Z",
    currency: "KRW",
    total: 89000,
    financialStatus: "PAID",
    fulfillmentStatus: "FULFILLED",
    cancelledAt: null,
    lines: [{ id: "l1", title: "린넨 셔츠", quantity: 1, price: 89000, sku: "LS-M" }],
    shipments: [
      {
        id: "f1",
        status: "IN_TRANSIT",
        carrier: "CJ대한통운",
        trackingNumber: "6543210987",
        trackingUrl: "https://trace.example/6543210987",
        estimatedDelivery: "2026-03-04",
        updatedAt: null,
      },
    ],
  };
  const lookups: unknown[] = [];
  const commerce: CommerceProvider = {
    specVersion: 1,
    id: "fake-shop",
    async customerContext(lookup) {
      lookups.push(lookup);
      return {
        providerCustomerId: "gid://shopify/Customer/7",
        name: "김민수",
        email: "minsu@example.com",
        phone: "+821012345678",
        ordersCount: 12,
        totalSpent: 1_250_000,
        currency: "KRW",
        lastOrderAt: order.createdAt,
        recentOrders: [order],
        fetchedAt: T0.toISOString(),
      };
    },
    async getOrder() {
      return order;
    },
    async performAction() {
      throw new Error("not in this test");
    },
  };

  it("puts the customer's orders on a new ticket, links the shop's identities, raises a high-value customer, and fills order templates", async () => {
    lookups.length = 0;
    const { desk } = setup({
      commerce,
      autoAcknowledge: false,
      commerceContext: { highValueTotalSpent: 1_000_000 },
      templates: [
        {
          id: "wismo",
          name: "Where is my order",
          locales: {
            ko: {
              subject: null,
              body: "{{customer.name}}님, 주문 {{order.name}}은 {{tracking.carrier}}로 배송 중이며 {{order.estimatedDelivery}} 도착 예정입니다: {{tracking.url}}",
            },
          },
        },
      ],
    });
    const { ticket } = await desk.ingest(
      msg("주문번호 #1001 어디쯤 왔나요?", {
        from: { identities: [{ kind: "email", value: "minsu@example.com" }], name: "김민수" },
      }),
    );
    expect(ticket).toMatchObject({
      category: "shipping",
      priority: "high",
      meta: { orderId: order.id, orderName: "#1001", commerce: { ordersCount: 12 } },
    });
    const customer = await desk.getCustomer(ticket!.customerId);
    expect(customer?.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      "email:minsu@example.com",
      "phone:+821012345678",
      "shopify:gid://shopify/Customer/7",
    ]);
    const { body } = await desk.renderForTicket("wismo", ticket!.id);
    expect(body).toBe(
      "김민수님, 주문 #1001은 CJ대한통운로 배송 중이며 2026-03-04 도착 예정입니다: https://trace.example/6543210987",
    );
    // Cached: a second ticket of the same customer within the TTL does not ask the shop again.
    await desk.ingest(
      msg("another question about a size", {
        from: { identities: [{ kind: "email", value: "minsu@example.com" }] },
        conversationKey: "second",
      }),
    );
    expect(lookups).toHaveLength(1);
    expect((await desk.listEvents(ticket!.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(["commerce.context", "priority.changed"]),
    );
  });
});

describe("createDesk scheduler loop", () => {
  it("startScheduler polls runDue on a timer until stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const policy = defineSlaPolicy({
        id: "p",
        name: "p",
        warnBeforeMinutes: 0,
        targets: { default: { first_reply: { minutes: 1, time: "calendar" } } },
      });
      const { desk, clock } = setup({ autoAcknowledge: false, sla: { policies: [policy] } });
      const breached: string[] = [];
      desk.on("sla.breached", ({ metric }) => breached.push(metric));
      await desk.ingest(msg("hello"));
      const stop = desk.startScheduler(1000);
      clock.advance(2 * 60_000);
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(breached).toEqual(["first_reply"]));
      stop();
      await desk.ingest(msg("again", { conversationKey: "second" }));
      clock.advance(2 * 60_000);
      await vi.advanceTimersByTimeAsync(5000);
      expect(breached).toEqual(["first_reply"]); // stopped: nothing more fires
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("classification on record", () => {
  it("records the deciding model and its per-category scores on the ticket.created event and the message", async () => {
    const desk = createDesk({ store: memoryStore(), autoAcknowledge: false });
    const result = await desk.ingest({
      type: "message",
      channel: "email",
      externalId: "cls-1",
      occurredAt: new Date("2026-03-02T01:00:00Z"),
      from: { identities: [{ kind: "email", value: "lee@example.com" }] },
      text: "주문한 운동화 배송이 아직 안 왔어요. 언제 오나요?",
    });
    const created = (await desk.listEvents(result.ticket!.id)).find((e) => e.type === "ticket.created")!;
    const recorded = created.data.classification as { modelId: string; scores: Record<string, number> };
    expect(recorded.modelId).toMatch(/\S/);
    expect(recorded.scores.shipping).toBeGreaterThan(recorded.scores.payment ?? 0);
    expect((result.message!.meta.classification as { modelId: string }).modelId).toBe(recorded.modelId);
  });
});
