import { describe, expect, it } from "vitest";
import { createDesk } from "./create-desk.js";
import { commerceAttributes } from "./customer-actions.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { defineSlaPolicy, defaultSlaPolicies } from "../sla/index.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { CommerceProvider, CustomerContext } from "../ports/commerce.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
let n = 0;

function msg(
  value: string,
  overrides: Partial<Extract<InboundEventInput, { type: "message" }>> = {},
): InboundEventInput {
  return {
    type: "message",
    channel: "webchat",
    externalId: `ca-${++n}`,
    occurredAt: T0,
    from: { identities: [{ kind: "webchat", value }] },
    text: "배송 언제 와요?",
    conversationKey: `chat-${n}`,
    ...overrides,
  };
}

/** The README's VIP policy. */
const vip = defineSlaPolicy({
  id: "vip",
  name: "VIP",
  conditions: { customer: { vip: true } },
  targets: { default: { first_reply: { minutes: 60, time: "calendar" } } },
});

function setup(extra: Partial<Parameters<typeof createDesk>[0]> = {}) {
  const store = memoryStore();
  const desk = createDesk({
    store,
    clock: manualClock(T0),
    channels: [memoryChannel({ id: "webchat" })],
    autoAcknowledge: false,
    sla: { policies: [vip, ...defaultSlaPolicies()] },
    ...extra,
  });
  return { store, desk };
}

const context = (over: Partial<CustomerContext> = {}): CustomerContext => ({
  providerCustomerId: "gid://shopify/Customer/7",
  name: "김민수",
  email: "minsu@example.com",
  phone: "+821012345678",
  ordersCount: 12,
  totalSpent: 1_250_000,
  currency: "KRW",
  lastOrderAt: "2026-02-27T03:00:00Z",
  recentOrders: [],
  fetchedAt: T0.toISOString(),
  ...over,
});

describe("desk.updateCustomer", () => {
  it("sets attributes with an audit event, and the README's VIP policy then matches the customer's next ticket", async () => {
    const { desk } = setup();
    const first = await desk.ingest(msg("visitor-vip"));
    expect(first.ticket?.sla?.policyId).not.toBe("vip");
    const customerId = first.ticket!.customerId;
    const updated = await desk.updateCustomer(
      customerId,
      { attributes: { vip: true }, name: "김민수", locale: "ko" },
      { agentId: "kim" },
    );
    expect(updated).toMatchObject({ attributes: { vip: true }, name: "김민수", locale: "ko" });
    expect(await desk.getCustomer(customerId)).toEqual(updated);
    const [event] = await desk.listCustomerEvents(customerId);
    expect(event).toMatchObject({
      type: "customer.updated",
      actor: { kind: "agent", id: "kim" },
      data: { changes: { name: { from: null, to: "김민수" }, "attributes.vip": { from: null, to: true } } },
    });
    const second = await desk.ingest(msg("visitor-vip"));
    expect(second.ticket?.sla?.policyId).toBe("vip");
    // The same update again changes nothing and writes no event.
    await desk.updateCustomer(customerId, { attributes: { vip: true } });
    expect(await desk.listCustomerEvents(customerId)).toHaveLength(1);
  });

  it("refuses bad input with INVALID_INPUT and changes nothing", async () => {
    const { desk } = setup();
    const { ticket } = await desk.ingest(msg("visitor-bad"));
    const id = ticket!.customerId;
    const before = await desk.getCustomer(id);
    for (const bad of [
      { attributes: { nested: { deep: true } } },
      { attributes: { __proto__x: 1, "bad key": 1 } },
      { attributes: { ["__proto__"]: 1 } },
      { name: "x".repeat(201) },
      { identities: [] },
      { attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) },
    ]) {
      await expect(desk.updateCustomer(id, bad as never)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    }
    await expect(desk.updateCustomer("nobody", { name: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await desk.getCustomer(id)).toEqual(before);
    expect(await desk.listCustomerEvents(id)).toEqual([]);
  });
});

describe("customer audit log", () => {
  it("records identities linked on ingest, by an agent, by commerce context and by a merge", async () => {
    const commerce: CommerceProvider = {
      specVersion: 1,
      id: "fake-shop",
      async customerContext() {
        return context();
      },
      async getOrder() {
        return null;
      },
      async performAction() {
        throw new Error("not in this test");
      },
    };
    const { desk } = setup({ commerce, commerceContext: { highValueTotalSpent: 1_000_000 } });
    const mail = { kind: "email" as const, value: "minsu@example.com" };
    const a = (await desk.ingest(msg("visitor-a", { from: { identities: [mail] } }))).ticket!.customerId;
    // Commerce linked the shop's handles and filled the shop's attributes in one audited write.
    expect(await desk.getCustomer(a)).toMatchObject({
      attributes: { vip: true, ordersCount: 12, totalSpent: 1_250_000, currency: "KRW" },
    });
    // Ingest links a new handle of a known customer.
    await desk.ingest(msg("visitor-a", { from: { identities: [mail, { kind: "webchat", value: "visitor-a" }] } }));
    await desk.linkIdentities(a, [{ kind: "instagram", value: "minsu.ig" }], { agentId: "kim" });
    const b = (await desk.ingest(msg("visitor-b", { channel: "webchat" }))).ticket!.customerId;
    await desk.mergeCustomers(b, a, { agentId: "kim" });
    const log = await desk.listCustomerEvents(a);
    const linked = log.filter((e) => e.type === "customer.identities_linked");
    expect(linked.map((e) => e.data.source)).toEqual(["commerce", "ingest", "agent", "merge"]);
    expect(linked[1]!.data.identities).toEqual([{ kind: "webchat", value: "visitor-a" }]);
    expect(linked[2]!.actor).toEqual({ kind: "agent", id: "kim" });
    expect(log.find((e) => e.type === "customer.updated")?.data).toMatchObject({
      source: "commerce",
      changes: { vip: { from: null, to: true } },
    });
    expect(log.find((e) => e.type === "customer.merged")?.data).toMatchObject({ from: b });
    expect((await desk.listCustomerEvents(b)).map((e) => e.type)).toEqual(["customer.merged_away"]);
  });

  it("a merge keeps one open ticket per conversation: the moved duplicate keeps its key in meta only", async () => {
    const { desk } = setup();
    const a = (await desk.ingest(msg("visitor-x", { conversationKey: "same" }))).ticket!;
    const b = (await desk.ingest(msg("visitor-y", { conversationKey: "same" }))).ticket!;
    await desk.mergeCustomers(b.customerId, a.customerId);
    const moved = await desk.getTicket(b.id);
    expect(moved).toMatchObject({
      customerId: a.customerId,
      conversationKey: null,
      meta: { splitConversationKey: "same" },
    });
    expect((await desk.listTickets({ customerId: a.customerId, conversationKey: "same" })).map((t) => t.id)).toEqual([
      a.id,
    ]);
  });

  it("sendToCustomer with a merged-away id reaches the customer it was merged into", async () => {
    const { desk } = setup();
    const a = (await desk.ingest(msg("visitor-m1"))).ticket!;
    const b = (await desk.ingest(msg("visitor-m2"))).ticket!;
    await desk.mergeCustomers(b.customerId, a.customerId);
    const { ticket, message } = await desk.sendToCustomer(
      b.customerId,
      { text: "주문이 출고되었습니다", reason: "shipping" },
      { wait: "sent" },
    );
    expect(ticket.customerId).toBe(a.customerId);
    expect(message.deliveryStatus).toBe("sent");
  });

  it("sendToCustomer reaches a customer known only by a WhatsApp BSUID through the whatsapp channel", async () => {
    const store = memoryStore();
    const wa = memoryChannel({ id: "whatsapp" });
    const desk = createDesk({ store, clock: manualClock(T0), channels: [wa], autoAcknowledge: false });
    // No ticket yet (an order webhook's customer): the channel comes from the identities alone.
    await store.insertCustomer({
      id: "cus-bsuid",
      name: "minji.k",
      locale: null,
      identities: [{ kind: "whatsapp_bsuid", value: "KR.1502576394655843" }],
      attributes: {},
      createdAt: T0,
      updatedAt: T0,
      mergedInto: null,
    });
    const { ticket, message } = await desk.sendToCustomer(
      "cus-bsuid",
      { text: "주문이 출고되었습니다", reason: "shipping" },
      { wait: "sent" },
    );
    expect(ticket.channel).toBe("whatsapp");
    expect(message.deliveryStatus).toBe("sent");
    expect(wa.sent).toHaveLength(1);
  });
});

describe("commerceAttributes", () => {
  it("derives order figures, and vip only when a threshold is given (at or past either)", () => {
    expect(commerceAttributes(context())).toEqual({
      ordersCount: 12,
      totalSpent: 1_250_000,
      currency: "KRW",
      lastOrderAt: "2026-02-27T03:00:00Z",
    });
    expect(commerceAttributes(context(), { vipTotalSpent: 1_250_000 }).vip).toBe(true);
    expect(commerceAttributes(context(), { vipTotalSpent: 2_000_000 }).vip).toBe(false);
    expect(commerceAttributes(context(), { vipTotalSpent: 2_000_000, vipOrdersCount: 10 }).vip).toBe(true);
    expect(
      commerceAttributes(context({ ordersCount: Number.NaN, totalSpent: Number.POSITIVE_INFINITY })),
    ).toMatchObject({ ordersCount: 0, totalSpent: 0 });
  });
});
