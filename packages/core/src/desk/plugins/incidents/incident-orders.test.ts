import { describe, expect, it } from "vitest";
import { memoryStore } from "../../../store-memory/index.js";
import { manualClock } from "../../../ports/clock.js";
import type { CommerceProvider, OrderSummary } from "../../../ports/commerce.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { createDesk } from "../../create-desk.js";
import { incidentsPlugin } from "./incidents-plugin.js";

const order = (id: string, createdAt: string, sku: string, title: string): OrderSummary => ({
  id,
  name: `#${id}`,
  createdAt,
  currency: "KRW",
  total: 1000,
  financialStatus: "paid",
  fulfillmentStatus: null,
  cancelledAt: null,
  lines: [{ id: `l${id}`, title, quantity: 1, price: 1000, sku }],
  shipments: [],
});

describe("incidents: order conditions", () => {
  it("links a ticket when its commerce context shows an order in the span with the product; others are left alone", async () => {
    const orders: Record<string, OrderSummary[]> = {
      "a@x.kr": [order("1", "2026-03-01T10:00:00Z", "EAR-1", "무선 이어폰")],
      "b@x.kr": [order("2", "2026-02-20T10:00:00Z", "EAR-1", "무선 이어폰")],
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
        recentOrders: orders[email ?? ""] ?? [],
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
      plugins: [incidentsPlugin()],
    });
    await expect(
      desk.incidents.open({ title: "bad", match: { orderedBetween: { from: "2026-03-02", to: "2026-03-01" } } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const recall = await desk.incidents.open({
      title: "이어폰 불량",
      match: { orderedBetween: { from: "2026-02-28", to: "2026-03-01" }, products: ["이어폰"] },
    });
    const ingest = (email: string, n: number) =>
      desk.ingest({
        type: "message",
        channel: "email",
        externalId: `m${n}`,
        occurredAt: clock.now(),
        text: "소리가 안 나요",
        from: { identities: [{ kind: "email", value: email }] },
        conversationKey: `c${n}`,
      });
    const a = await ingest("a@x.kr", 1);
    const b = await ingest("b@x.kr", 2);
    const ta = await desk.getTicket(a.ticket!.id);
    const tb = await desk.getTicket(b.ticket!.id);
    expect(ta.tags).toContain(recall.tag);
    expect(tb.tags).not.toContain("incident");
    expect(await desk.incidents.tickets(recall.id)).toEqual([ta.id]);
    await desk.close();
  });
});
