import { describe, expect, it } from "vitest";
import { createDesk } from "./create-desk.js";
import {
  PARKED_RECEIPTS_NAMESPACE,
  PARKED_RECEIPT_TTL_MS,
  dropParkedReceipts,
  findParkedReceipt,
  parkReceipt,
} from "./parked-receipts.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import type { ChannelAdapter } from "../ports/channel.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
const receipt = (externalId: string, status: "sent" | "delivered" | "read" | "failed") => ({
  type: "delivery" as const,
  channel: "whatsapp",
  externalId,
  status,
  occurredAt: T0,
});

describe("parked receipts", () => {
  it("finds the furthest parked status of exactly that message, and drops what was applied", async () => {
    const store = memoryStore();
    await store.transaction(async (tx) => {
      await parkReceipt(tx, receipt("wamid.a", "delivered"), T0);
      await parkReceipt(tx, receipt("wamid.a", "read"), T0);
      await parkReceipt(tx, receipt("wamid.a", "read"), T0); // a repeat is a no-op
      await parkReceipt(tx, receipt("wamid.a:b", "failed"), T0); // a longer id sharing the prefix
    });
    const early = await findParkedReceipt(store, "whatsapp", "wamid.a", T0);
    expect(early).toMatchObject({ status: "read", error: null });
    expect(early!.keys).toHaveLength(2);
    expect(await dropParkedReceipts(store, early!.keys)).toBe(2);
    expect(await findParkedReceipt(store, "whatsapp", "wamid.a", T0)).toBeNull();
    expect((await findParkedReceipt(store, "whatsapp", "wamid.a:b", T0))?.status).toBe("failed");
  });

  it("parks a receipt for an id as long as the desk accepts (512 bytes), under a hashed key", async () => {
    const store = memoryStore();
    const long = "메".repeat(170); // 510 UTF-8 bytes
    await parkReceipt(store, receipt(long, "failed"), T0);
    expect((await findParkedReceipt(store, "whatsapp", long, T0))?.status).toBe("failed");
    expect(await findParkedReceipt(store, "whatsapp", "메".repeat(169), T0)).toBeNull();
  });

  it("expires a receipt whose message never came, and parking purges expired ones", async () => {
    const store = memoryStore();
    await parkReceipt(store, receipt("wamid.never", "read"), T0);
    const later = new Date(T0.getTime() + PARKED_RECEIPT_TTL_MS + 1);
    expect(await findParkedReceipt(store, "whatsapp", "wamid.never", later)).toBeNull();
    expect(await store.listRecords(PARKED_RECEIPTS_NAMESPACE, { now: T0 })).toHaveLength(1);
    await parkReceipt(store, receipt("wamid.other", "sent"), later);
    expect((await store.listRecords(PARKED_RECEIPTS_NAMESPACE, { now: T0 })).map((r) => r.key)).toEqual([
      "whatsapp:wamid.other:sent",
    ]);
  });

  it("a receipt that overtakes its reply is parked, applied once the reply is recorded, and then deleted", async () => {
    const store = memoryStore();
    const chat = memoryChannel({ id: "webchat", capabilities: { deliveryReceipts: true } });
    // A fast provider: its receipt reaches the desk before the send call returns.
    const fast: ChannelAdapter = {
      ...chat,
      async send(message) {
        const sent = await chat.send(message);
        const r = await desk.ingest({
          type: "delivery",
          channel: "webchat",
          externalId: sent.externalId,
          status: "delivered",
          occurredAt: T0,
        });
        expect(r.outcome).toBe("parked");
        return sent;
      },
    };
    const desk = createDesk({ store, clock: manualClock(T0), channels: [fast], autoAcknowledge: false });
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "in-1",
      occurredAt: T0,
      from: { identities: [{ kind: "webchat", value: "v1" }] },
      text: "안녕하세요",
    });
    const reply = await desk.reply(ticket!.id, { text: "네, 확인해 드릴게요", agentId: "kim" }, { wait: "sent" });
    expect((await store.getMessage(reply.id))?.deliveryStatus).toBe("delivered");
    expect(await store.listRecords(PARKED_RECEIPTS_NAMESPACE, { now: T0 })).toEqual([]);
  });
});
