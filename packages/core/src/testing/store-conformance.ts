/**
 * The store conformance suite: the one definition of a correct Store. Every
 * store implementation calls `runStoreConformance` from its own tests.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Customer } from "../domain/customer.js";
import type { Job } from "../domain/job.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { TicketEvent } from "../domain/event.js";
import type { Store } from "../ports/store.js";
import { StoredeskError } from "../errors.js";
import { createDesk } from "../desk/create-desk.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "./memory-channel.js";
import { runOutboxConformance } from "./outbox-conformance.js";

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Shown in the test names. */
  name: string;
  /** A fresh, empty store for each test. */
  makeStore: () => Promise<Store> | Store;
  /** Called after each test with the store it made (drop schemas, close pools). */
  cleanup?: (store: Store) => Promise<void> | void;
  /** Concurrent deliveries in the idempotency test (default 100). */
  concurrency?: number;
}

const T0 = new Date("2026-03-02T01:00:00.000Z");
let counter = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A customer fixture. */
export function sampleCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: uid("cus"), name: "김민수", locale: "ko", identities: [{ kind: "email", value: `${uid("kim")}@example.com` }],
    attributes: { vip: true, tier: "gold" }, createdAt: T0, updatedAt: T0, mergedInto: null, version: 1, ...overrides,
  };
}

/** A ticket fixture exercising every field, nested JSON included. */
export function sampleTicket(customerId: string, number: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: uid("tkt"), number, subject: "배송 문의", status: "open", priority: "high", category: "shipping", channel: "email",
    kind: "conversation", customerId, assigneeId: null, team: "logistics", tags: ["vip", "배송"], language: "ko",
    conversationKey: "배송 문의", version: 1, createdAt: T0, updatedAt: T0, lastCustomerMessageAt: T0, firstRepliedAt: null,
    solvedAt: null, closedAt: null, followUpOf: null, mergedInto: null, slaDueAt: new Date(T0.getTime() + 12 * 3_600_000),
    sla: { policyId: "shipping", evaluatedAt: T0.toISOString(), metrics: [{ metric: "first_reply", status: "active", dueAt: new Date(T0.getTime() + 43_200_000).toISOString(), targetMinutes: 720, businessTimeUsedMs: 0, breachedAt: null, fulfilledAt: null }] },
    complaint: null, meta: { orderName: "#1001", nested: { a: [1, 2, { b: "한글" }] } }, ...overrides,
  };
}

/** A message fixture. */
export function sampleMessage(ticketId: string, overrides: Partial<Message> = {}): Message {
  return {
    id: uid("msg"), ticketId, direction: "inbound", authorKind: "customer", authorId: null, channel: "email", externalId: uid("ext"),
    text: "주문한 상품이 아직 안 왔어요", html: "<p>주문한 상품이 아직 안 왔어요</p>",
    attachments: [{ filename: "사진.jpg", contentType: "image/jpeg", size: 1234, url: null, providerId: "media-1", contentBase64: null }],
    deliveryStatus: "received", deliveryError: null, visibility: "private", automatic: false, createdAt: T0, meta: { subject: "배송 문의" }, ...overrides,
  };
}

async function expectCode(promise: Promise<unknown>, code: StoredeskError["code"]): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(StoredeskError.is(err), `expected a StoredeskError ${code}, got ${String(err)}`).toBe(true);
    expect((err as StoredeskError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/**
 * Registers the conformance tests for a store with vitest.
 *
 * @example
 * runStoreConformance({ name: "memory", makeStore: () => memoryStore() });
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  runOutboxConformance(options);
  describe(`store conformance: ${options.name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await options.makeStore(); });
    /** A stored customer with one stored ticket: the starting point of most tests below. */
    async function seedTicket(): Promise<{ c: Customer; t: Ticket }> {
      const c = sampleCustomer();
      await store.insertCustomer(c);
      const t = sampleTicket(c.id, await store.nextTicketNumber());
      await store.insertTicket(t);
      return { c, t };
    }
    afterEach(async () => { await options.cleanup?.(store); });

    it("round-trips a customer and finds it by any normalized identity", async () => {
      const c = sampleCustomer({ identities: [{ kind: "email", value: "mixed.case@example.com" }, { kind: "whatsapp", value: "821012345678" }] });
      await store.insertCustomer(c);
      expect(await store.getCustomer(c.id)).toEqual(c);
      expect((await store.findCustomerByIdentity({ kind: "email", value: "MIXED.case@example.com" }))?.id).toBe(c.id);
      expect((await store.findCustomerByIdentity({ kind: "whatsapp", value: "821012345678" }))?.id).toBe(c.id);
      expect(await store.findCustomerByIdentity({ kind: "email", value: "nobody@example.com" })).toBeNull();
      const updated = { ...c, name: "Kim Minsu", identities: [...c.identities, { kind: "phone" as const, value: "+821012345678" }], updatedAt: new Date(T0.getTime() + 1000) };
      await store.updateCustomer(updated);
      expect(await store.getCustomer(c.id)).toEqual({ ...updated, version: 2 });
      expect((await store.findCustomerByIdentity({ kind: "phone", value: "+821012345678" }))?.id).toBe(c.id);
    });

    it("refuses an identity another customer holds with CONFLICT", async () => {
      const a = sampleCustomer();
      await store.insertCustomer(a);
      const b = sampleCustomer({ identities: [a.identities[0]!] });
      await expectCode(store.insertCustomer(b), "CONFLICT");
      expect(await store.getCustomer(b.id)).toBeNull();
    });

    it("returns copies: mutating a result changes nothing stored", async () => {
      const { t } = await seedTicket();
      const got = (await store.getTicket(t.id))!;
      got.tags.push("mutated");
      (got.meta).x = 1;
      expect(await store.getTicket(t.id)).toEqual(t);
    });

    it("round-trips tickets with every field, by id and by number", async () => {
      const c = sampleCustomer();
      await store.insertCustomer(c);
      const t = sampleTicket(c.id, await store.nextTicketNumber(), {
        complaint: { step: "inform", openedAt: T0.toISOString(), stepEnteredAt: T0.toISOString(), history: [{ step: "listen", at: T0.toISOString(), by: null, note: null }], summary: "파손", resolution: "교환", updateIntervalMinutes: 1440, nextUpdateDueAt: T0.toISOString(), reopenCount: 0, rootCause: null },
      });
      await store.insertTicket(t);
      expect(await store.getTicket(t.id)).toEqual(t);
      expect(await store.getTicketByNumber(t.number)).toEqual(t);
      expect(await store.getTicket("missing")).toBeNull();
    });

    it("allocates unique increasing ticket numbers", async () => {
      const numbers = await Promise.all(Array.from({ length: 20 }, () => store.nextTicketNumber()));
      expect(new Set(numbers).size).toBe(20);
      const next = await store.nextTicketNumber();
      expect(next).toBeGreaterThan(Math.max(...numbers));
    });

    it("lists tickets by status, customer, channel and due time, and finds the open ticket of a conversation", async () => {
      const c = sampleCustomer();
      await store.insertCustomer(c);
      const open = sampleTicket(c.id, await store.nextTicketNumber(), { updatedAt: new Date(T0.getTime() + 5000) });
      const closed = sampleTicket(c.id, await store.nextTicketNumber(), { status: "closed", slaDueAt: null });
      const other = sampleTicket(c.id, await store.nextTicketNumber(), { channel: "whatsapp", conversationKey: "wa:1", slaDueAt: null });
      for (const t of [open, closed, other]) await store.insertTicket(t);
      expect((await store.listTickets({ customerId: c.id })).map((t) => t.id)).toEqual([open.id, closed.id, other.id]);
      expect((await store.listTickets({ customerId: c.id, status: ["closed"] })).map((t) => t.id)).toEqual([closed.id]);
      expect((await store.listTickets({ customerId: c.id, channel: "whatsapp" })).map((t) => t.id)).toEqual([other.id]);
      expect((await store.listTickets({ customerId: c.id, conversationKey: "wa:1" })).map((t) => t.id)).toEqual([other.id]);
      expect((await store.listTickets({ customerId: c.id, slaDueBefore: new Date(T0.getTime() + 13 * 3_600_000) })).map((t) => t.id)).toEqual([open.id]);
      expect((await store.listTickets({ customerId: c.id, newestFirst: true, limit: 1 })).map((t) => t.id)).toEqual([open.id]);
      expect((await store.findOpenTicketByConversation(c.id, "email", "배송 문의"))?.id).toBe(open.id);
      expect(await store.findOpenTicketByConversation(c.id, "email", "other")).toBeNull();
    });

    it("round-trips messages in order and finds them by (channel, external id)", async () => {
      const { t } = await seedTicket();
      const m1 = sampleMessage(t.id);
      const m2 = sampleMessage(t.id, { direction: "outbound", authorKind: "agent", externalId: null, deliveryStatus: "sent", createdAt: T0 });
      const m3 = sampleMessage(t.id, { direction: "note", authorKind: "agent", externalId: null, visibility: "internal", createdAt: new Date(T0.getTime() + 1) });
      const early = sampleMessage(t.id, { createdAt: new Date(T0.getTime() - 60_000) }); // arrives last, dated first
      for (const m of [m1, m2, m3, early]) await store.insertMessage(m);
      expect(await store.listMessages(t.id)).toEqual([early, m1, m2, m3]);
      expect(await store.getMessage(m1.id)).toEqual(m1);
      expect(await store.findMessageByExternalId("email", m1.externalId!)).toEqual(m1);
      expect(await store.findMessageByExternalId("whatsapp", m1.externalId!)).toBeNull();
      await store.updateMessageDelivery(m2.id, "failed", { code: "131047", title: "Re-engagement message" });
      expect(await store.getMessage(m2.id)).toEqual({ ...m2, deliveryStatus: "failed", deliveryError: { code: "131047", title: "Re-engagement message" } });
    });

    it("refuses a second message with the same (channel, external id) with CONFLICT and writes nothing", async () => {
      const { t } = await seedTicket();
      const m = sampleMessage(t.id);
      await store.insertMessage(m);
      const again = sampleMessage(t.id, { externalId: m.externalId });
      await expectCode(store.insertMessage(again), "CONFLICT");
      expect(await store.getMessage(again.id)).toBeNull();
      // The same external id on another channel is another message.
      await store.insertMessage(sampleMessage(t.id, { channel: "whatsapp", externalId: m.externalId }));
      expect(await store.listMessages(t.id)).toHaveLength(2);
    });

    it("moves messages between tickets (merge)", async () => {
      const c = sampleCustomer();
      await store.insertCustomer(c);
      const a = sampleTicket(c.id, await store.nextTicketNumber());
      const b = sampleTicket(c.id, await store.nextTicketNumber(), { conversationKey: "교환 문의" });
      await store.insertTicket(a);
      await store.insertTicket(b);
      await store.insertMessage(sampleMessage(a.id));
      await store.insertMessage(sampleMessage(b.id, { createdAt: new Date(T0.getTime() - 1000) }));
      expect(await store.moveMessages(a.id, b.id)).toBe(1);
      expect(await store.listMessages(a.id)).toEqual([]);
      const moved = await store.listMessages(b.id);
      expect(moved).toHaveLength(2);
      expect(moved.every((m) => m.ticketId === b.id)).toBe(true);
    });

    it("appends events in seq order and refuses a duplicate seq", async () => {
      const { t } = await seedTicket();
      const e = (seq: number): TicketEvent => ({ id: uid("evt"), ticketId: t.id, seq, type: "status.changed", at: T0, actor: { kind: "agent", id: "a1" }, data: { from: "new", to: "open", 한글: true } });
      const [e2, e1] = [e(2), e(1)];
      await store.appendEvent(e2);
      await store.appendEvent(e1);
      expect(await store.listEvents(t.id)).toEqual([e1, e2]);
      await expectCode(store.appendEvent(e(2)), "CONFLICT");
      expect(await store.listEvents(t.id)).toHaveLength(2);
    });

    it("stores idempotency records once", async () => {
      const r = { scope: "commerce", key: uid("k"), result: { refundId: "r1", amount: 1000 }, createdAt: T0 };
      await store.putIdempotency(r);
      expect(await store.getIdempotency("commerce", r.key)).toEqual(r);
      await expectCode(store.putIdempotency({ ...r, result: { refundId: "r2" } }), "CONFLICT");
      expect(await store.getIdempotency("commerce", r.key)).toEqual(r);
      expect(await store.getIdempotency("other", r.key)).toBeNull();
    });

    it("deletes an idempotency record, after which the key can be claimed again", async () => {
      const r = { scope: "early-receipt", key: uid("k"), result: null, createdAt: T0 };
      await store.putIdempotency(r);
      expect(await store.deleteIdempotency("early-receipt", r.key)).toBe(true);
      expect(await store.getIdempotency("early-receipt", r.key)).toBeNull();
      expect(await store.deleteIdempotency("early-receipt", r.key)).toBe(false);
      await store.putIdempotency(r);
      expect(await store.getIdempotency("early-receipt", r.key)).toEqual(r);
    });

    it("keeps a customer's audit log in append order and erases it with the customer (and merged records)", async () => {
      const a = sampleCustomer();
      const b = sampleCustomer();
      await store.insertCustomer(a);
      await store.insertCustomer(b);
      const event = (customerId: string, type: string, data: Record<string, unknown> = {}) =>
        ({ id: uid("cev"), customerId, type, at: T0, actor: { kind: "agent" as const, id: "kim" }, data });
      const first = event(b.id, "customer.identities_linked", { identities: [{ kind: "phone", value: "+821012345678" }], source: "agent" });
      const second = event(b.id, "customer.updated", { changes: { name: { from: "김민수", to: "민수" } } });
      await store.appendCustomerEvent(first);
      await store.appendCustomerEvent(second);
      await expectCode(store.appendCustomerEvent(first), "CONFLICT");
      expect(await store.listCustomerEvents(b.id)).toEqual([first, second]);
      const away = event(a.id, "customer.merged_away", { into: b.id });
      await store.appendCustomerEvent(away);
      await store.updateCustomer({ ...a, identities: [], mergedInto: b.id });
      const rolledBack = event(b.id, "customer.updated");
      await expect(store.transaction(async (tx) => {
        await tx.appendCustomerEvent(rolledBack);
        throw new Error("boom");
      })).rejects.toThrow("boom");
      expect(await store.listCustomerEvents(b.id)).toHaveLength(2);
      await store.deleteCustomer(b.id);
      expect(await store.listCustomerEvents(b.id)).toEqual([]);
      expect(await store.listCustomerEvents(a.id)).toEqual([]);
    });

    describe("keyed records", () => {
      const ns = "plugin.test";
      it("writes, versions and reads a record; JSON and Korean text survive", async () => {
        const key = uid("faq");
        const first = await store.putRecord({ namespace: ns, key, value: { title: "배송 기간", tags: ["배송"], n: 1 }, updatedAt: T0 });
        expect(first).toEqual({ namespace: ns, key, value: { title: "배송 기간", tags: ["배송"], n: 1 }, version: 1, updatedAt: T0, expiresAt: null });
        const second = await store.putRecord({ namespace: ns, key, value: { n: 2 }, updatedAt: T0 });
        expect(second.version).toBe(2);
        expect(await store.getRecord(ns, key)).toEqual(second);
        expect(await store.getRecord("plugin.other", key)).toBeNull();
      });

      it("compare-and-set: a stale version or an insert-only over a live record is CONFLICT and writes nothing", async () => {
        const key = uid("cursor");
        await expectCode(store.putRecord({ namespace: ns, key, value: 1 }, 1), "CONFLICT");
        expect(await store.getRecord(ns, key)).toBeNull();
        const created = await store.putRecord({ namespace: ns, key, value: 1 }, null);
        expect(created.version).toBe(1);
        await expectCode(store.putRecord({ namespace: ns, key, value: 2 }, null), "CONFLICT");
        await expectCode(store.putRecord({ namespace: ns, key, value: 2 }, 7), "CONFLICT");
        expect((await store.getRecord(ns, key))?.value).toBe(1);
        const next = await store.putRecord({ namespace: ns, key, value: 2 }, 1);
        expect(next).toMatchObject({ value: 2, version: 2 });
      });

      it("lets exactly one of many racing compare-and-set writers win each version", async () => {
        const key = uid("counter");
        await store.putRecord({ namespace: ns, key, value: 0 }, null);
        const bump = async (): Promise<void> => {
          for (;;) {
            const r = (await store.getRecord(ns, key))!;
            try {
              await store.putRecord({ namespace: ns, key, value: (r.value as number) + 1 }, r.version);
              return;
            } catch (err) {
              if (!StoredeskError.is(err, "CONFLICT")) throw err;
            }
          }
        };
        await Promise.all(Array.from({ length: 20 }, bump));
        expect(await store.getRecord(ns, key)).toMatchObject({ value: 20, version: 21 });
      });

      it("treats an expired record as absent: not read, not listed, insertable again from version 1", async () => {
        const key = uid("parked");
        const soon = new Date(T0.getTime() + 60_000);
        await store.putRecord({ namespace: ns, key, value: "x", expiresAt: soon, updatedAt: T0 });
        expect(await store.getRecord(ns, key, T0)).not.toBeNull();
        const later = new Date(soon.getTime() + 1);
        expect(await store.getRecord(ns, key, later)).toBeNull();
        expect(await store.listRecords(ns, { prefix: key, now: later })).toEqual([]);
        const again = await store.putRecord({ namespace: ns, key, value: "y", updatedAt: later }, null);
        expect(again.version).toBe(1);
      });

      it("lists a namespace by key with prefix, paging and limit; deletes", async () => {
        const space = `plugin.list-${uid("ns").toLowerCase()}`;
        for (const key of ["b/2", "a/1", "b/1", "c/1"]) await store.putRecord({ namespace: space, key, value: key });
        expect((await store.listRecords(space)).map((r) => r.key)).toEqual(["a/1", "b/1", "b/2", "c/1"]);
        expect((await store.listRecords(space, { prefix: "b/" })).map((r) => r.key)).toEqual(["b/1", "b/2"]);
        expect((await store.listRecords(space, { afterKey: "b/1", limit: 2 })).map((r) => r.key)).toEqual(["b/2", "c/1"]);
        expect(await store.deleteRecord(space, "b/1")).toBe(true);
        expect(await store.deleteRecord(space, "b/1")).toBe(false);
        expect((await store.listRecords(space)).map((r) => r.key)).toEqual(["a/1", "b/2", "c/1"]);
        expect(await store.listRecords(space, { limit: 0 })).toEqual([]);
      });

      it("orders keys by code point on every store (an emoji after U+FFFD, as UTF-8 bytes sort)", async () => {
        const space = `plugin.order-${uid("ns").toLowerCase()}`;
        for (const key of ["\u{1F600}", "\uFFFD", "z", "가"]) await store.putRecord({ namespace: space, key, value: 1 });
        expect((await store.listRecords(space)).map((r) => r.key)).toEqual(["z", "가", "\uFFFD", "\u{1F600}"]);
        expect((await store.listRecords(space, { afterKey: "\uFFFD" })).map((r) => r.key)).toEqual(["\u{1F600}"]);
      });

      it("purges expired records of a namespace, leaving live ones and other namespaces", async () => {
        const space = `plugin.purge-${uid("ns").toLowerCase()}`;
        const soon = new Date(T0.getTime() + 60_000);
        for (const key of ["x1", "x2", "x3"]) await store.putRecord({ namespace: space, key, value: 1, expiresAt: soon, updatedAt: T0 });
        await store.putRecord({ namespace: space, key: "keep", value: 1, updatedAt: T0 });
        await store.putRecord({ namespace: ns, key: uid("other"), value: 1, expiresAt: soon, updatedAt: T0 });
        expect(await store.purgeExpiredRecords(space, T0)).toBe(0);
        expect(await store.purgeExpiredRecords(space, soon, 2)).toBe(2);
        expect(await store.purgeExpiredRecords(space, soon)).toBe(1);
        expect((await store.listRecords(space, { now: T0 })).map((r) => r.key)).toEqual(["keep"]);
        expect(await store.listRecords(ns, { now: T0 })).not.toEqual([]);
      });

      it("refuses a bad namespace, an empty or over-long key and non-JSON values with INVALID_INPUT", async () => {
        await expectCode(store.putRecord({ namespace: "Bad Space", key: "k", value: 1 }), "INVALID_INPUT");
        await expectCode(store.putRecord({ namespace: ns, key: "", value: 1 }), "INVALID_INPUT");
        await expectCode(store.putRecord({ namespace: ns, key: "가".repeat(200), value: 1 }), "INVALID_INPUT");
        await expectCode(store.putRecord({ namespace: ns, key: "k", value: "x".repeat(1_100_000) }), "INVALID_INPUT");
      });

      it("rolls record writes back with the transaction", async () => {
        const key = uid("tx");
        await expect(store.transaction(async (tx) => {
          await tx.putRecord({ namespace: ns, key, value: 1 });
          throw new Error("boom");
        })).rejects.toThrow("boom");
        expect(await store.getRecord(ns, key)).toBeNull();
      });
    });

    it("schedules, replaces and cancels jobs by key", async () => {
      const job = (runAt: Date, id = uid("job")): Job => ({ id, key: "sla:t1", type: "sla.check", ticketId: null, runAt, payload: { n: 1 }, attempts: 0, lockedBy: null, lockedUntil: null });
      await store.scheduleJob(job(new Date(T0.getTime() + 1000)));
      const replacement = job(new Date(T0.getTime() + 2000));
      await store.scheduleJob(replacement);
      expect(await store.listJobs()).toEqual([replacement]);
      await store.cancelJob("sla:t1");
      expect(await store.listJobs()).toEqual([]);
    });

    it("rolls a transaction back when it throws: nothing it wrote remains", async () => {
      const c = sampleCustomer();
      const boom = new Error("boom");
      await expect(store.transaction(async (tx) => {
        await tx.insertCustomer(c);
        const t = sampleTicket(c.id, await tx.nextTicketNumber());
        await tx.insertTicket(t);
        await tx.insertMessage(sampleMessage(t.id));
        await tx.putIdempotency({ scope: "s", key: "k", result: null, createdAt: T0 });
        await tx.scheduleJob({ id: uid("job"), key: "k1", type: "x", ticketId: t.id, runAt: T0, payload: {}, attempts: 0, lockedBy: null, lockedUntil: null });
        throw boom;
      })).rejects.toBe(boom);
      expect(await store.getCustomer(c.id)).toBeNull();
      expect(await store.findCustomerByIdentity(c.identities[0]!)).toBeNull();
      expect(await store.listTickets({ customerId: c.id })).toEqual([]);
      expect(await store.getIdempotency("s", "k")).toBeNull();
      expect(await store.listJobs()).toEqual([]);
    });

    it("rolls back the whole transaction when a store invariant fails inside it", async () => {
      const { t } = await seedTicket();
      const m = sampleMessage(t.id);
      await store.insertMessage(m);
      await expectCode(store.transaction(async (tx) => {
        await tx.updateTicket({ ...t, version: 2, status: "solved" }, 1);
        await tx.insertMessage(sampleMessage(t.id, { externalId: m.externalId }));
      }), "CONFLICT");
      expect((await store.getTicket(t.id))?.status).toBe("open");
      expect((await store.getTicket(t.id))?.version).toBe(1);
    });

    it("lets the store's own methods be called inside its transaction (they join it)", async () => {
      const c = sampleCustomer();
      const seen = await Promise.race([
        store.transaction(async (tx) => {
          await tx.insertCustomer(c);
          return store.getCustomer(c.id);
        }),
        new Promise<"deadlock">((resolve) => setTimeout(() => resolve("deadlock"), 5000)),
      ]);
      expect(seen).not.toBe("deadlock");
      expect((seen as Customer | null)?.id).toBe(c.id);
    });

    it("undoes only a failed nested transaction's writes (a savepoint), keeping the outer ones", async () => {
      const a = sampleCustomer();
      const b = sampleCustomer();
      await store.transaction(async (tx) => {
        await tx.insertCustomer(a);
        await store.transaction(async (inner) => {
          await inner.insertCustomer(b);
          throw new Error("inner fails");
        }).catch(() => undefined);
      });
      expect(await store.getCustomer(a.id)).not.toBeNull();
      expect(await store.getCustomer(b.id)).toBeNull();
    });

    it("refuses a stale ticket write with CONFLICT and loses no update", async () => {
      const { t } = await seedTicket();
      await store.updateTicket({ ...t, version: 2, priority: "urgent" }, 1);
      await expectCode(store.updateTicket({ ...t, version: 2, tags: ["stale"] }, 1), "CONFLICT");
      const stored = (await store.getTicket(t.id))!;
      expect(stored.priority).toBe("urgent");
      expect(stored.tags).toEqual(t.tags);
      expect(stored.version).toBe(2);
    });

    it("refuses a stale customer write with CONFLICT and writes nothing (a copy read before another write)", async () => {
      const c = sampleCustomer();
      await store.insertCustomer(c);
      const first = (await store.getCustomer(c.id))!;
      const second = (await store.getCustomer(c.id))!;
      expect(first.version).toBe(1);
      const linked = { kind: "phone" as const, value: "+821099990000" };
      await store.updateCustomer({ ...first, identities: [...first.identities, linked] });
      await expectCode(store.updateCustomer({ ...second, name: "stale", identities: [] }), "CONFLICT");
      const stored = (await store.getCustomer(c.id))!;
      expect(stored.version).toBe(2);
      expect(stored.name).toBe(c.name);
      expect(stored.identities).toEqual([...c.identities, linked]);
      expect((await store.findCustomerByIdentity(linked))?.id).toBe(c.id);
    });

    it("lets exactly one of two racing customer writers win a version; the other's retry sees its write", async () => {
      const c = sampleCustomer({ attributes: {} });
      await store.insertCustomer(c);
      await Promise.all(["a", "b", "c", "d"].map(async (who) => {
        for (;;) {
          try {
            await store.transaction(async (tx) => {
              const cur = (await tx.getCustomer(c.id))!;
              await tx.updateCustomer({ ...cur, attributes: { ...cur.attributes, [who]: true } });
            });
            return;
          } catch (err) {
            if (!StoredeskError.is(err, "CONFLICT")) throw err;
          }
        }
      }));
      const stored = (await store.getCustomer(c.id))!;
      expect(stored.attributes).toEqual({ a: true, b: true, c: true, d: true });
      expect(stored.version).toBe(5);
    });

    it("refuses a new ticket for a customer merged away with a retryable CONFLICT", async () => {
      const a = sampleCustomer();
      const b = sampleCustomer();
      await store.insertCustomer(a);
      await store.insertCustomer(b);
      await store.updateCustomer({ ...a, identities: [], mergedInto: b.id });
      const t = sampleTicket(a.id, await store.nextTicketNumber());
      await expectCode(store.insertTicket(t), "CONFLICT");
      expect(await store.getTicket(t.id)).toBeNull();
      await store.insertTicket({ ...t, customerId: b.id });
    });

    it("keeps one open ticket per conversation: a second is CONFLICT naming the first; closed, merged and keyless ones do not count", async () => {
      const { c, t } = await seedTicket();
      const second = sampleTicket(c.id, await store.nextTicketNumber());
      try {
        await store.insertTicket(second);
        throw new Error("a second open ticket of one conversation was accepted");
      } catch (err) {
        expect(StoredeskError.is(err, "CONFLICT")).toBe(true);
        expect((err as StoredeskError).retryable).toBe(true);
        expect((err as StoredeskError).details).toMatchObject({ openConversation: true, openTicketId: t.id });
      }
      expect(await store.getTicket(second.id)).toBeNull();
      // Another channel, another key, no key, or another customer: all fine.
      await store.insertTicket(sampleTicket(c.id, await store.nextTicketNumber(), { channel: "whatsapp" }));
      await store.insertTicket(sampleTicket(c.id, await store.nextTicketNumber(), { conversationKey: "교환 문의" }));
      await store.insertTicket(sampleTicket(c.id, await store.nextTicketNumber(), { conversationKey: null }));
      await store.insertTicket(sampleTicket(c.id, await store.nextTicketNumber(), { conversationKey: null }));
      const other = sampleCustomer();
      await store.insertCustomer(other);
      await store.insertTicket(sampleTicket(other.id, await store.nextTicketNumber()));
      // Once the first is closed, a follow-up of the conversation may open; a closed one never blocks.
      await store.updateTicket({ ...t, status: "closed", closedAt: T0, version: 2 }, 1);
      const followUp = sampleTicket(c.id, await store.nextTicketNumber(), { followUpOf: t.id });
      await store.insertTicket(followUp);
      // A ticket moved onto a customer who has that conversation open collides too.
      const moved = sampleTicket(other.id, await store.nextTicketNumber(), { channel: "webchat" });
      await store.insertTicket(moved);
      await store.insertTicket(sampleTicket(c.id, await store.nextTicketNumber(), { channel: "webchat" }));
      await expectCode(store.updateTicket({ ...moved, customerId: c.id, version: 2 }, 1), "CONFLICT");
    });

    it("two transactions racing to open one conversation make one ticket; the loser's retry threads onto it", async () => {
      const pairs = 20;
      const customers = Array.from({ length: pairs }, () => sampleCustomer());
      for (const c of customers) await store.insertCustomer(c);
      const messages: string[] = [];
      const deliver = async (c: Customer, side: string): Promise<void> => {
        for (let attempt = 1; ; attempt++) {
          try {
            await store.transaction(async (tx) => {
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
        const tickets = await store.listTickets({ customerId: c.id });
        expect(tickets).toHaveLength(1);
        expect(await store.listMessages(tickets[0]!.id)).toHaveLength(2);
      }
    });

    it("loses no update when many writers race on one ticket with retries", async () => {
      const c = sampleCustomer();
      await store.insertCustomer(c);
      const t = sampleTicket(c.id, await store.nextTicketNumber(), { tags: [] });
      await store.insertTicket(t);
      const writers = 20;
      await Promise.all(Array.from({ length: writers }, async (_, i) => {
        for (;;) {
          try {
            await store.transaction(async (tx) => {
              const cur = (await tx.getTicket(t.id))!;
              await tx.updateTicket({ ...cur, version: cur.version + 1, tags: [...cur.tags, `w${i}`] }, cur.version);
            });
            return;
          } catch (err) {
            if (!StoredeskError.is(err) || !err.retryable) throw err;
          }
        }
      }));
      const final = (await store.getTicket(t.id))!;
      expect(final.version).toBe(1 + writers);
      expect(new Set(final.tags).size).toBe(writers);
    });

    it("moves a ticket to another customer (customer merge) and keeps it out of the first one's erasure", async () => {
      const a = sampleCustomer();
      const b = sampleCustomer();
      await store.insertCustomer(a);
      await store.insertCustomer(b);
      const t = sampleTicket(a.id, await store.nextTicketNumber());
      await store.insertTicket(t);
      await store.updateTicket({ ...t, customerId: b.id, version: 2 }, 1);
      expect(await store.listTickets({ customerId: a.id })).toEqual([]);
      expect((await store.listTickets({ customerId: b.id })).map((x) => x.id)).toEqual([t.id]);
      expect((await store.findOpenTicketByConversation(b.id, "email", "배송 문의"))?.id).toBe(t.id);
      expect(await store.findOpenTicketByConversation(a.id, "email", "배송 문의")).toBeNull();
      await store.updateCustomer({ ...a, identities: [], mergedInto: b.id });
      expect((await store.findCustomerByIdentity(b.identities[0]!))?.id).toBe(b.id);
      expect(await store.deleteCustomer(a.id)).toEqual({ tickets: 0 });
      expect(await store.getTicket(t.id)).not.toBeNull();
    });

    it("deletes a customer with everything about them", async () => {
      const { c, t } = await seedTicket();
      const m = sampleMessage(t.id);
      await store.insertMessage(m);
      await store.appendEvent({ id: uid("evt"), ticketId: t.id, seq: 1, type: "ticket.created", at: T0, actor: { kind: "customer", id: c.id }, data: {} });
      expect(await store.deleteCustomer(c.id)).toEqual({ tickets: 1 });
      expect(await store.getCustomer(c.id)).toBeNull();
      expect(await store.findCustomerByIdentity(c.identities[0]!)).toBeNull();
      expect(await store.getTicket(t.id)).toBeNull();
      expect(await store.getMessage(m.id)).toBeNull();
      expect(await store.findMessageByExternalId("email", m.externalId!)).toBeNull();
      expect(await store.listEvents(t.id)).toEqual([]);
    });

    it(`ingests the same event ${options.concurrency ?? 100} times concurrently into exactly one message`, async () => {
      const clock = manualClock(T0);
      const desk = createDesk({ store, clock, channels: [memoryChannel({ id: "webchat" })], autoAcknowledge: false });
      const event = {
        type: "message" as const, channel: "webchat", externalId: uid("dup"), occurredAt: T0,
        from: { identities: [{ kind: "webchat" as const, value: uid("visitor") }], name: "이서연" }, text: "환불 받고 싶어요",
      };
      const results = await Promise.all(Array.from({ length: options.concurrency ?? 100 }, () => desk.ingest(event)));
      expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
      expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength((options.concurrency ?? 100) - 1);
      const ticketIds = new Set(results.map((r) => r.ticket?.id));
      expect(ticketIds.size).toBe(1);
      const messages = await store.listMessages(results[0]!.ticket!.id);
      expect(messages).toHaveLength(1);
      expect(await store.listTickets({ customerId: results[0]!.ticket!.customerId })).toHaveLength(1);
    });

    describe("scheduler", () => {
      it("hands each due job to one worker, and again after its lease expires", async () => {
        const scheduler = store.scheduler;
        if (!scheduler) {
          expect.fail(`${options.name} has no scheduler: every store should offer one (or the desk cannot fire SLA timers)`);
        }
        const due = (key: string, at: number): Job => ({ id: uid("job"), key, type: "sla.check", ticketId: null, runAt: new Date(T0.getTime() + at), payload: {}, attempts: 0, lockedBy: null, lockedUntil: null });
        await store.scheduleJob(due("a", 0));
        await store.scheduleJob(due("b", 10));
        await store.scheduleJob(due("later", 60_000));
        const now = new Date(T0.getTime() + 1000);
        const [w1, w2] = await Promise.all([
          scheduler.claimDue(now, { workerId: "w1", limit: 10, leaseMs: 30_000 }),
          scheduler.claimDue(now, { workerId: "w2", limit: 10, leaseMs: 30_000 }),
        ]);
        expect([...w1, ...w2].map((j) => j.key).sort()).toEqual(["a", "b"]);
        // w1/w2 die: after the lease the jobs come back, with no double-claim meanwhile.
        expect(await scheduler.claimDue(new Date(now.getTime() + 1000), { workerId: "w3", limit: 10, leaseMs: 30_000 })).toEqual([]);
        const again = await scheduler.claimDue(new Date(now.getTime() + 31_000), { workerId: "w3", limit: 10, leaseMs: 30_000 });
        expect(again.map((j) => j.key).sort()).toEqual(["a", "b"]);
        for (const j of again) await scheduler.complete(j);
        expect((await store.listJobs()).map((j) => j.key)).toEqual(["later"]);
      });

      it("keeps a job re-scheduled while its old copy ran, and retries a failed one later", async () => {
        const scheduler = store.scheduler!;
        const job: Job = { id: uid("job"), key: "sla:x", type: "sla.check", ticketId: null, runAt: T0, payload: {}, attempts: 0, lockedBy: null, lockedUntil: null };
        await store.scheduleJob(job);
        const [claimed] = await scheduler.claimDue(T0, { workerId: "w1", limit: 1, leaseMs: 60_000 });
        expect(claimed?.id).toBe(job.id);
        const replacement = { ...job, id: uid("job"), runAt: new Date(T0.getTime() + 5000) };
        await store.scheduleJob(replacement);
        await scheduler.complete(claimed!);
        expect((await store.listJobs()).map((j) => j.id)).toEqual([replacement.id]);
        const [second] = await scheduler.claimDue(new Date(T0.getTime() + 5000), { workerId: "w1", limit: 1, leaseMs: 60_000 });
        await scheduler.fail(second!, new Date(T0.getTime() + 9000));
        const [after] = await store.listJobs();
        expect(after?.attempts).toBe(1);
        expect(after?.runAt.getTime()).toBe(T0.getTime() + 9000);
        expect(await scheduler.claimDue(new Date(T0.getTime() + 8000), { workerId: "w2", limit: 1, leaseMs: 60_000 })).toEqual([]);
        expect(await scheduler.claimDue(new Date(T0.getTime() + 9000), { workerId: "w2", limit: 1, leaseMs: 60_000 })).toHaveLength(1);
      });
    });
  });
}
