import { describe, expect, it, vi } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import type { CommerceProvider } from "../ports/commerce.js";
import { memoryChannel } from "../testing/memory-channel.js";

describe("desk.close", () => {
  it("stops every scheduler loop and closes the store it owns", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const store = memoryStore();
      const closed = vi.fn(async () => {});
      const desk = createDesk({
        store: { ...store, transaction: store.transaction.bind(store), close: closed },
        ownsStore: true,
      });
      const runs = vi.spyOn(store.scheduler, "claimDue");
      desk.startScheduler(1000);
      await vi.advanceTimersByTimeAsync(1000);
      const before = runs.mock.calls.length;
      await desk.close();
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs.mock.calls.length).toBe(before);
      expect(closed).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers ingest within the budget when the commerce provider never answers", async () => {
    const never: CommerceProvider = {
      specVersion: 1,
      id: "down-shop",
      customerContext: () => new Promise(() => {}),
      getOrder: () => Promise.resolve(null),
      performAction: () => Promise.reject(new Error("unused")),
    };
    const desk = createDesk({
      store: memoryStore(),
      channels: [memoryChannel({ id: "webchat" })],
      commerce: never,
      commerceContext: { budgetMs: 50 },
    });
    const started = Date.now();
    const r = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "m1",
      occurredAt: new Date(),
      text: "배송 언제 와요?",
      from: { identities: [{ kind: "email", value: "kim@example.com" }] },
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.outcome).toBe("created");
    expect(r.acknowledgement).not.toBeNull(); // the acknowledgement does not wait for the shop either
    await desk.close();
  });
});
