/** Webhook batch conformance: the guarantees of a webhook body with many events, on any store. */
import { describe, expect, it } from "vitest";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Store } from "../ports/store.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "./memory-channel.js";
import { createDesk } from "../desk/create-desk.js";
import { INGEST_CHUNK } from "../desk/ingest/index.js";

const T0 = new Date("2026-03-02T01:00:00Z");
const msg = (
  id: string,
  sender: string,
  text = "배송 언제 와요?",
): Extract<InboundEventInput, { type: "message" }> => ({
  type: "message",
  channel: "webchat",
  externalId: id,
  occurredAt: T0,
  from: { identities: [{ kind: "webchat", value: sender }] },
  text,
  conversationKey: `chat-${sender}`,
});

/** The store with its transactions counted (and one event's insert made to fail, when asked). */
function counted(store: Store, failOn?: string): { store: Store; transactions: () => number } {
  let n = 0;
  const wrapped: Store = Object.create(store) as Store;
  wrapped.transaction = (fn) => {
    n++;
    return store.transaction((tx) =>
      fn(
        failOn === undefined
          ? tx
          : {
              ...tx,
              insertMessage: async (m, options) => {
                if (m.externalId === failOn) throw new Error("disk full (test)");
                return tx.insertMessage(m, options);
              },
            },
      ),
    );
  };
  return { store: wrapped, transactions: () => n };
}

async function post(desk: ReturnType<typeof createDesk>, events: InboundEventInput[]): Promise<Response> {
  return desk.webhook("webchat")(new Request("http://x/webhook", { method: "POST", body: JSON.stringify(events) }));
}

async function messageIds(store: Store): Promise<string[]> {
  const tickets = await store.listTickets({});
  return (await Promise.all(tickets.map((t) => store.listMessages(t.id))))
    .flat()
    .map((m) => m.externalId!)
    .sort();
}

/**
 * The webhook batch guarantees on a store: a transaction per chunk of a body's events, each event
 * idempotent (a redelivery or a repeat inside the body is a no-op), 2xx ⇒ every event stored.
 * `open` gives a fresh store per case.
 *
 * @example
 * runWebhookBatchConformance("PGlite", async () => ({ store: await openStore(), close: async () => {} }));
 */
export function runWebhookBatchConformance(
  name: string,
  open: () => Promise<{ store: Store; close: () => Promise<void> }>,
): void {
  describe(`webhook batches on ${name}`, () => {
    it("writes a batch in a transaction per chunk, every event stored once", async () => {
      const { store: raw, close } = await open();
      const { store, transactions } = counted(raw);
      const desk = createDesk({
        store,
        clock: manualClock(T0),
        channels: [memoryChannel({ id: "webchat" })],
        autoAcknowledge: false,
      });
      const events = Array.from({ length: INGEST_CHUNK + 20 }, (_, i) => msg(`m${i}`, `s${i % 40}`));
      expect((await post(desk, events)).status).toBe(200);
      expect(await messageIds(raw)).toEqual(events.map((e) => (e as { externalId: string }).externalId).sort());
      expect(await raw.listTickets({})).toHaveLength(40); // a sender's later messages thread onto the ticket its first opened
      expect(transactions()).toBeLessThanOrEqual(2 + 1); // two chunks (and at most one retried)
      await close();
    });

    it("keeps a redelivered batch a no-op, and a batch with a repeat inside it stores each message once", async () => {
      const { store, close } = await open();
      const desk = createDesk({
        store,
        clock: manualClock(T0),
        channels: [memoryChannel({ id: "webchat" })],
        autoAcknowledge: false,
      });
      const events = [msg("a", "x"), msg("b", "y"), msg("c", "x")];
      expect((await post(desk, events)).status).toBe(200);
      expect((await post(desk, [msg("d", "z"), ...events, msg("d", "z")])).status).toBe(200);
      expect(await messageIds(store)).toEqual(["a", "b", "c", "d"]);
      const tickets = await store.listTickets({});
      expect(tickets).toHaveLength(3);
      await close();
    });

    it("answers 5xx when one event could not be stored, having stored the others (2xx ⇒ stored)", async () => {
      const { store: raw, close } = await open();
      const { store } = counted(raw, "bad");
      const desk = createDesk({
        store,
        clock: manualClock(T0),
        channels: [memoryChannel({ id: "webchat" })],
        autoAcknowledge: false,
      });
      const errors: unknown[] = [];
      desk.on("error", ({ error }) => errors.push(error));
      const res = await post(desk, [
        msg("a", "x"),
        msg("bad", "y"),
        msg("c", "z"),
        { ...msg("invalid", "w"), from: { identities: [] } },
      ]);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await messageIds(raw)).toEqual(["a", "c"]);
      expect(errors.length).toBe(2); // the failed write and the refused event
      await close();
    });
  });
}
