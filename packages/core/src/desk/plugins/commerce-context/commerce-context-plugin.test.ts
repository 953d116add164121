import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/index.js";
import { manualClock } from "../../../ports/clock.js";
import type { CommerceProvider, OrderLine, OrderSummary } from "../../../ports/commerce.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { createDesk } from "../../create-desk.js";
import { productOfTicket } from "./commerce-context-plugin.js";

const line = (sku: string | null, title: string): OrderLine => ({ id: title, title, quantity: 1, price: 1000, sku });
const order = (lines: OrderLine[]): OrderSummary => ({
  id: "o1",
  name: "#1001",
  createdAt: "2026-03-01T10:00:00Z",
  currency: "KRW",
  total: 1000,
  financialStatus: "paid",
  fulfillmentStatus: null,
  cancelledAt: null,
  lines,
  shipments: [],
});

describe("productOfTicket: the product a ticket is about", () => {
  it("is the order's only product (two lines of one SKU count as one)", () => {
    expect(productOfTicket(order([line("MUG-1", "블루 머그컵"), line("MUG-1", "블루 머그컵")]), null)).toEqual({
      productId: "MUG-1",
      title: "블루 머그컵",
    });
  });
  it("is the line the subject names when the order has several (spaces and case ignored)", () => {
    const two = order([line("MUG-1", "블루 머그컵"), line(null, "Linen Towel")]);
    expect(productOfTicket(two, "블루머그컵이 깨져서 왔어요")).toEqual({ productId: "MUG-1", title: "블루 머그컵" });
    expect(productOfTicket(two, "The LINEN TOWEL has a hole")).toEqual({
      productId: "Linen Towel",
      title: "Linen Towel",
    });
  });
  it("is null when it is not clear which product", () => {
    const two = order([line("MUG-1", "블루 머그컵"), line("TW-1", "Linen Towel")]);
    expect(productOfTicket(two, "주문한 물건이 이상해요")).toBeNull();
    expect(productOfTicket(two, null)).toBeNull();
    expect(productOfTicket(order([]), "anything")).toBeNull();
  });
});

describe("commerce context links the ticket's product", () => {
  it("writes product.linked from the customer's order, so reports can count complaints by product", async () => {
    const recent: Record<string, OrderSummary[]> = {
      "one@x.kr": [order([line("MUG-1", "블루 머그컵")])],
      "two@x.kr": [order([line("MUG-1", "블루 머그컵"), line("TW-1", "Linen Towel")])],
    };
    const commerce: CommerceProvider = {
      specVersion: 1,
      id: "shop",
      customerContext: async ({ email }) => ({
        providerCustomerId: null,
        name: null,
        email: email ?? null,
        phone: null,
        ordersCount: 1,
        totalSpent: 1000,
        currency: "KRW",
        lastOrderAt: null,
        recentOrders: recent[email ?? ""] ?? [],
        fetchedAt: "2026-03-02T00:00:00Z",
      }),
      getOrder: () => Promise.resolve(null),
      performAction: () => Promise.reject(new Error("unused")),
    };
    const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
    const desk = createDesk({
      store: memoryStore(),
      clock,
      channels: [memoryChannel({ id: "email" })],
      commerce,
      autoAcknowledge: false,
      ownsStore: true,
    });
    const ingest = (email: string, n: number) =>
      desk.ingest({
        type: "message",
        channel: "email",
        externalId: `m${n}`,
        occurredAt: clock.now(),
        text: "깨져서 왔어요. 환불해 주세요",
        from: { identities: [{ kind: "email", value: email }] },
        conversationKey: `c${n}`,
      });
    const one = await ingest("one@x.kr", 1);
    const two = await ingest("two@x.kr", 2);
    await desk.settle();
    const linked = async (id: string) =>
      (await desk.listEvents(id)).filter((e) => e.type === "product.linked").map((e) => e.data);
    expect(await linked(one.ticket!.id)).toEqual([
      { productId: "MUG-1", title: "블루 머그컵", orderId: "o1", source: "shop" },
    ]);
    expect(await linked(two.ticket!.id)).toEqual([]);
    await desk.close();
  });
});
