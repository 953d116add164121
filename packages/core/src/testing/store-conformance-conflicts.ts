/**
 * The store conformance suite's conflicts family: stale writes, merged customers, one open
 * ticket per conversation and concurrent ingest, under races.
 */
import { expect, it } from "vitest";
import type { Customer } from "../domain/customer.js";
import { StoredeskError } from "../errors.js";
import { createDesk } from "../desk/create-desk.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "./memory-channel.js";
import {
  T0,
  expectCode,
  sampleCustomer,
  sampleMessage,
  sampleTicket,
  uid,
  type StoreSuite,
} from "./store-conformance-kit.js";

/** Registers the conflicts family's tests (inside `runStoreConformance`'s block). */
export function conflictConformance(suite: StoreSuite): void {
  it("refuses a stale ticket write with CONFLICT and loses no update", async () => {
    const { t } = await suite.seedTicket();
    await suite.store.updateTicket({ ...t, version: 2, priority: "urgent" }, 1);
    await expectCode(suite.store.updateTicket({ ...t, version: 2, tags: ["stale"] }, 1), "CONFLICT");
    const stored = (await suite.store.getTicket(t.id))!;
    expect(stored.priority).toBe("urgent");
    expect(stored.tags).toEqual(t.tags);
    expect(stored.version).toBe(2);
  });

  it("refuses a stale customer write with CONFLICT and writes nothing (a copy read before another write)", async () => {
    const c = sampleCustomer();
    await suite.store.insertCustomer(c);
    const first = (await suite.store.getCustomer(c.id))!;
    const second = (await suite.store.getCustomer(c.id))!;
    expect(first.version).toBe(1);
    const linked = { kind: "phone" as const, value: "+821099990000" };
    await suite.store.updateCustomer({ ...first, identities: [...first.identities, linked] });
    await expectCode(suite.store.updateCustomer({ ...second, name: "stale", identities: [] }), "CONFLICT");
    const stored = (await suite.store.getCustomer(c.id))!;
    expect(stored.version).toBe(2);
    expect(stored.name).toBe(c.name);
    expect(stored.identities).toEqual([...c.identities, linked]);
    expect((await suite.store.findCustomerByIdentity(linked))?.id).toBe(c.id);
  });

  it("lets exactly one of two racing customer writers win a version; the other's retry sees its write", async () => {
    const c = sampleCustomer({ attributes: {} });
    await suite.store.insertCustomer(c);
    await Promise.all(
      ["a", "b", "c", "d"].map(async (who) => {
        for (;;) {
          try {
            await suite.store.transaction(async (tx) => {
              const cur = (await tx.getCustomer(c.id))!;
              await tx.updateCustomer({ ...cur, attributes: { ...cur.attributes, [who]: true } });
            });
            return;
          } catch (err) {
            if (!StoredeskError.is(err, "CONFLICT")) throw err;
          }
        }
      }),
    );
    const stored = (await suite.store.getCustomer(c.id))!;
    expect(stored.attributes).toEqual({ a: true, b: true, c: true, d: true });
    expect(stored.version).toBe(5);
  });

  it("refuses a new ticket for a customer merged away with a retryable CONFLICT", async () => {
    const a = sampleCustomer();
    const b = sampleCustomer();
    await suite.store.insertCustomer(a);
    await suite.store.insertCustomer(b);
    await suite.store.updateCustomer({ ...a, identities: [], mergedInto: b.id });
    const t = sampleTicket(a.id, await suite.store.nextTicketNumber());
    await expectCode(suite.store.insertTicket(t), "CONFLICT");
    expect(await suite.store.getTicket(t.id)).toBeNull();
    await suite.store.insertTicket({ ...t, customerId: b.id });
  });

  it("keeps one open ticket per conversation: a second is CONFLICT naming the first; closed, merged and keyless ones do not count", async () => {
    const { c, t } = await suite.seedTicket();
    const second = sampleTicket(c.id, await suite.store.nextTicketNumber());
    try {
      await suite.store.insertTicket(second);
      throw new Error("a second open ticket of one conversation was accepted");
    } catch (err) {
      expect(StoredeskError.is(err, "CONFLICT")).toBe(true);
      expect((err as StoredeskError).retryable).toBe(true);
      expect((err as StoredeskError).details).toMatchObject({ openConversation: true, openTicketId: t.id });
    }
    expect(await suite.store.getTicket(second.id)).toBeNull();
    // Another channel, another key, no key, or another customer: all fine.
    await suite.store.insertTicket(sampleTicket(c.id, await suite.store.nextTicketNumber(), { channel: "whatsapp" }));
    await suite.store.insertTicket(
      sampleTicket(c.id, await suite.store.nextTicketNumber(), { conversationKey: "교환 문의" }),
    );
    await suite.store.insertTicket(sampleTicket(c.id, await suite.store.nextTicketNumber(), { conversationKey: null }));
    await suite.store.insertTicket(sampleTicket(c.id, await suite.store.nextTicketNumber(), { conversationKey: null }));
    const other = sampleCustomer();
    await suite.store.insertCustomer(other);
    await suite.store.insertTicket(sampleTicket(other.id, await suite.store.nextTicketNumber()));
    // Once the first is closed, a follow-up of the conversation may open; a closed one never blocks.
    await suite.store.updateTicket({ ...t, status: "closed", closedAt: T0, version: 2 }, 1);
    const followUp = sampleTicket(c.id, await suite.store.nextTicketNumber(), { followUpOf: t.id });
    await suite.store.insertTicket(followUp);
    // A ticket moved onto a customer who has that conversation open collides too.
    const moved = sampleTicket(other.id, await suite.store.nextTicketNumber(), { channel: "webchat" });
    await suite.store.insertTicket(moved);
    await suite.store.insertTicket(sampleTicket(c.id, await suite.store.nextTicketNumber(), { channel: "webchat" }));
    await expectCode(suite.store.updateTicket({ ...moved, customerId: c.id, version: 2 }, 1), "CONFLICT");
  });

  it("two transactions racing to open one conversation make one ticket; the loser's retry threads onto it", async () => {
    const pairs = 20;
    const customers = Array.from({ length: pairs }, () => sampleCustomer());
    for (const c of customers) await suite.store.insertCustomer(c);
    const messages: string[] = [];
    const deliver = async (c: Customer, side: string): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          await suite.store.transaction(async (tx) => {
            let ticket = await tx.findOpenTicketByConversation(c.id, "email", "새 대화");
            if (!ticket) {
              ticket = sampleTicket(c.id, await tx.nextTicketNumber(), { conversationKey: "새 대화" });
              await tx.insertTicket(ticket);
            }
            const m = sampleMessage(ticket.id, { externalId: `${c.id}-${side}` });
            await tx.insertMessage(m);
            messages.push(m.id);
          });
          return;
        } catch (err) {
          if (!StoredeskError.is(err, "CONFLICT") || err.details?.openConversation !== true || attempt > 5) throw err;
        }
      }
    };
    await Promise.all(customers.flatMap((c) => [deliver(c, "a"), deliver(c, "b")]));
    for (const c of customers) {
      const tickets = await suite.store.listTickets({ customerId: c.id });
      expect(tickets).toHaveLength(1);
      expect(await suite.store.listMessages(tickets[0]!.id)).toHaveLength(2);
    }
  });

  it("loses no update when many writers race on one ticket with retries", async () => {
    const c = sampleCustomer();
    await suite.store.insertCustomer(c);
    const t = sampleTicket(c.id, await suite.store.nextTicketNumber(), { tags: [] });
    await suite.store.insertTicket(t);
    const writers = 20;
    await Promise.all(
      Array.from({ length: writers }, async (_, i) => {
        for (;;) {
          try {
            await suite.store.transaction(async (tx) => {
              const cur = (await tx.getTicket(t.id))!;
              await tx.updateTicket({ ...cur, version: cur.version + 1, tags: [...cur.tags, `w${i}`] }, cur.version);
            });
            return;
          } catch (err) {
            if (!StoredeskError.is(err) || !err.retryable) throw err;
          }
        }
      }),
    );
    const final = (await suite.store.getTicket(t.id))!;
    expect(final.version).toBe(1 + writers);
    expect(new Set(final.tags).size).toBe(writers);
  });

  it(`ingests the same event ${suite.options.concurrency ?? 100} times concurrently into exactly one message`, async () => {
    const clock = manualClock(T0);
    const desk = createDesk({
      store: suite.store,
      clock,
      channels: [memoryChannel({ id: "webchat" })],
      autoAcknowledge: false,
    });
    const event = {
      type: "message" as const,
      channel: "webchat",
      externalId: uid("dup"),
      occurredAt: T0,
      from: { identities: [{ kind: "webchat" as const, value: uid("visitor") }], name: "이서연" },
      text: "환불 받고 싶어요",
    };
    const results = await Promise.all(
      Array.from({ length: suite.options.concurrency ?? 100 }, () => desk.ingest(event)),
    );
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength((suite.options.concurrency ?? 100) - 1);
    const ticketIds = new Set(results.map((r) => r.ticket?.id));
    expect(ticketIds.size).toBe(1);
    const messages = await suite.store.listMessages(results[0]!.ticket!.id);
    expect(messages).toHaveLength(1);
    expect(await suite.store.listTickets({ customerId: results[0]!.ticket!.customerId })).toHaveLength(1);
  });
}
