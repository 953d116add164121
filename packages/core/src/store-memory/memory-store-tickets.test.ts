// What the memory store adds to the conformance suite for tickets: the frozen, shared SLA snapshot
// and complaint case, the open-conversation index behind findOpenTicketByConversation, and the
// in-place writes its undo log takes back.
import { describe, expect, it } from "vitest";
import type { Ticket } from "../domain/ticket.js";
import { memoryStore } from "./memory-store.js";
import { sampleCustomer, sampleMessage, sampleTicket } from "../testing/store-conformance.js";
import { T0 } from "../testing/store-conformance-kit.js";

async function seeded(overrides: Partial<Ticket> = {}) {
  const store = memoryStore();
  const c = sampleCustomer();
  await store.insertCustomer(c);
  const t = sampleTicket(c.id, await store.nextTicketNumber(), { conversationKey: "chat-1", ...overrides });
  await store.insertTicket(t);
  return { store, c, t };
}

const complaint = {
  step: "inform",
  openedAt: T0.toISOString(),
  stepEnteredAt: T0.toISOString(),
  history: [{ step: "listen", at: T0.toISOString(), by: null, note: null }],
  summary: "파손",
  resolution: null,
  updateIntervalMinutes: 1440,
  nextUpdateDueAt: null,
  reopenCount: 0,
  rootCause: null,
} as unknown as Ticket["complaint"];

describe("memoryStore tickets", () => {
  it("hands out the SLA snapshot and complaint deep-frozen, everything else as the reader's own copy", async () => {
    const { store, t } = await seeded({ complaint });
    const got = (await store.getTicket(t.id))!;
    expect(Object.isFrozen(got.sla)).toBe(true);
    expect(Object.isFrozen(got.sla!.metrics[0])).toBe(true);
    expect(Object.isFrozen(got.complaint!.history)).toBe(true);
    expect(() => (got.sla!.metrics[0]!.status = "breached")).toThrow(TypeError);
    expect(() => got.complaint!.history.push({ ...got.complaint!.history[0]! })).toThrow(TypeError);
    // The rest stays the reader's to change, as on any store.
    got.tags.push("mine");
    got.meta.x = 1;
    got.updatedAt.setTime(0);
    got.status = "solved";
    expect(await store.getTicket(t.id)).toEqual(t);
  });

  it("stores a copy of what it is given: the writer changing its objects afterwards changes nothing", async () => {
    const { store, t } = await seeded();
    const next = { ...t, version: 2, sla: structuredClone(t.sla), tags: ["a"], updatedAt: new Date(T0) };
    await store.updateTicket(next, 1);
    next.sla!.metrics[0]!.status = "breached";
    next.tags.push("b");
    next.updatedAt.setTime(0);
    const got = (await store.getTicket(t.id))!;
    expect(got.sla!.metrics[0]!.status).toBe(t.sla!.metrics[0]!.status);
    expect(got.tags).toEqual(["a"]);
    expect(got.updatedAt).toEqual(t.updatedAt);
  });

  it("keeps an unchanged SLA snapshot through an update (the one read), and stores a replaced one", async () => {
    const { store, t } = await seeded();
    const read = (await store.getTicket(t.id))!;
    await store.updateTicket({ ...read, version: 2, status: "pending" }, 1);
    const again = (await store.getTicket(t.id))!;
    expect(again.sla).toBe(read.sla); // shared, not copied again
    const sla = { ...read.sla!, evaluatedAt: "2026-03-03T00:00:00.000Z" };
    await store.updateTicket({ ...again, version: 3, sla }, 2);
    const last = (await store.getTicket(t.id))!;
    expect(last.sla).toEqual(sla);
    expect(last.sla).not.toBe(sla);
    expect(Object.isFrozen(last.sla)).toBe(true);
  });

  it("finds the open ticket of a conversation through every change of it, and after rollbacks", async () => {
    const { store, c, t } = await seeded();
    const find = () => store.findOpenTicketByConversation(c.id, t.channel, "chat-1");
    expect((await find())?.id).toBe(t.id);
    await store.updateTicket({ ...t, version: 2, status: "closed" }, 1);
    expect(await find()).toBeNull();
    // A new ticket may hold the conversation now; a rolled-back one leaves no trace.
    const u = sampleTicket(c.id, await store.nextTicketNumber(), { conversationKey: "chat-1" });
    await expect(
      store.transaction(async (tx) => {
        await tx.insertTicket(u);
        expect((await tx.findOpenTicketByConversation(c.id, t.channel, "chat-1"))?.id).toBe(u.id);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await find()).toBeNull();
    await store.insertTicket(u);
    expect((await find())?.id).toBe(u.id);
    // Releasing the key, merging, moving to another customer: each takes it off the index.
    await store.updateTicket({ ...u, version: 2, conversationKey: null }, 1);
    expect(await find()).toBeNull();
    await store.updateTicket({ ...u, version: 3 }, 2);
    expect((await find())?.id).toBe(u.id);
    await expect(
      store.transaction(async (tx) => {
        await tx.updateTicket({ ...u, version: 4, mergedInto: t.id }, 3);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await find())?.id).toBe(u.id);
    const other = sampleCustomer();
    await store.insertCustomer(other);
    await store.updateTicket({ ...u, version: 4, customerId: other.id }, 3);
    expect(await find()).toBeNull();
    expect((await store.findOpenTicketByConversation(other.id, t.channel, "chat-1"))?.id).toBe(u.id);
    expect((await store.listTickets({ customerId: c.id })).map((x) => x.id)).toEqual([t.id]);
    expect((await store.listTickets({ customerId: other.id })).map((x) => x.id)).toEqual([u.id]);
    await store.deleteCustomer(other.id);
    expect(await store.findOpenTicketByConversation(other.id, t.channel, "chat-1")).toBeNull();
    // With its holder gone, the conversation can have an open ticket again.
    await store.insertTicket(sampleTicket(other.id, await store.nextTicketNumber(), { conversationKey: "chat-1" }));
  });

  it("undoes in-place writes newest first: message order, events and a savepoint", async () => {
    const { store, t } = await seeded();
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
    const first = sampleMessage(t.id, { createdAt: at(10) });
    await store.insertMessage(first);
    await store
      .transaction(async (tx) => {
        await tx.insertMessage(sampleMessage(t.id, { createdAt: at(5) })); // slots in before `first`
        await store
          .transaction(async (inner) => {
            await inner.insertMessage(sampleMessage(t.id, { createdAt: at(1) }));
            throw new Error("inner");
          })
          .catch(() => undefined);
        expect((await tx.listMessages(t.id)).map((m) => m.createdAt)).toEqual([at(5), at(10)]);
        await tx.insertMessage(sampleMessage(t.id, { createdAt: at(20) }));
        throw new Error("outer");
      })
      .catch(() => undefined);
    expect((await store.listMessages(t.id)).map((m) => m.id)).toEqual([first.id]);
    const late = sampleMessage(t.id, { createdAt: at(7) });
    await store.insertMessage(late);
    expect((await store.listMessages(t.id)).map((m) => m.id)).toEqual([late.id, first.id]);
  });
});
