/**
 * The store conformance suite's records family: customers, tickets, messages, events,
 * idempotency records and the audit log (round trips, lookups, merges, erasure).
 */
import { expect, it } from "vitest";
import type { TicketEvent } from "../domain/event.js";
import {
  T0,
  expectCode,
  sampleCustomer,
  sampleMessage,
  sampleTicket,
  uid,
  type StoreSuite,
} from "./store-conformance-kit.js";

/** Registers the records family's tests (inside `runStoreConformance`'s block). */
export function recordConformance(suite: StoreSuite): void {
  it("round-trips a customer and finds it by any normalized identity", async () => {
    const c = sampleCustomer({
      identities: [
        { kind: "email", value: "mixed.case@example.com" },
        { kind: "whatsapp", value: "821012345678" },
      ],
    });
    await suite.store.insertCustomer(c);
    expect(await suite.store.getCustomer(c.id)).toEqual(c);
    expect((await suite.store.findCustomerByIdentity({ kind: "email", value: "MIXED.case@example.com" }))?.id).toBe(
      c.id,
    );
    expect((await suite.store.findCustomerByIdentity({ kind: "whatsapp", value: "821012345678" }))?.id).toBe(c.id);
    expect(await suite.store.findCustomerByIdentity({ kind: "email", value: "nobody@example.com" })).toBeNull();
    const updated = {
      ...c,
      name: "Kim Minsu",
      identities: [...c.identities, { kind: "phone" as const, value: "+821012345678" }],
      updatedAt: new Date(T0.getTime() + 1000),
    };
    await suite.store.updateCustomer(updated);
    expect(await suite.store.getCustomer(c.id)).toEqual({ ...updated, version: 2 });
    expect((await suite.store.findCustomerByIdentity({ kind: "phone", value: "+821012345678" }))?.id).toBe(c.id);
  });

  it("finds a WhatsApp BSUID exactly as written: one differing in case, or the same text as a phone id, is another identity", async () => {
    const a = sampleCustomer({ identities: [{ kind: "whatsapp_bsuid", value: "US.13491208655302741918aB" }] });
    const b = sampleCustomer({ identities: [{ kind: "whatsapp_bsuid", value: "US.13491208655302741918ab" }] });
    await suite.store.insertCustomer(a);
    await suite.store.insertCustomer(b);
    const found = (value: string) => suite.store.findCustomerByIdentity({ kind: "whatsapp_bsuid", value });
    expect((await found("US.13491208655302741918aB"))?.id).toBe(a.id);
    expect((await found(" US.13491208655302741918ab "))?.id).toBe(b.id);
    expect(await found("us.13491208655302741918ab")).toBeNull();
    expect(
      await suite.store.findCustomerByIdentity({ kind: "whatsapp", value: "US.13491208655302741918aB" }),
    ).toBeNull();
    expect((await suite.store.getCustomer(a.id))?.identities).toEqual(a.identities);
  });

  it("refuses an identity another customer holds with CONFLICT", async () => {
    const a = sampleCustomer();
    await suite.store.insertCustomer(a);
    const b = sampleCustomer({ identities: [a.identities[0]!] });
    await expectCode(suite.store.insertCustomer(b), "CONFLICT");
    expect(await suite.store.getCustomer(b.id)).toBeNull();
  });

  it("returns copies: mutating a result changes nothing stored", async () => {
    const { t } = await suite.seedTicket();
    const got = (await suite.store.getTicket(t.id))!;
    got.tags.push("mutated");
    got.meta.x = 1;
    expect(await suite.store.getTicket(t.id)).toEqual(t);
  });

  it("round-trips tickets with every field, by id and by number", async () => {
    const c = sampleCustomer();
    await suite.store.insertCustomer(c);
    const t = sampleTicket(c.id, await suite.store.nextTicketNumber(), {
      complaint: {
        step: "inform",
        openedAt: T0.toISOString(),
        stepEnteredAt: T0.toISOString(),
        history: [{ step: "listen", at: T0.toISOString(), by: null, note: null }],
        summary: "파손",
        resolution: "교환",
        updateIntervalMinutes: 1440,
        nextUpdateDueAt: T0.toISOString(),
        reopenCount: 0,
        rootCause: null,
      },
    });
    await suite.store.insertTicket(t);
    expect(await suite.store.getTicket(t.id)).toEqual(t);
    expect(await suite.store.getTicketByNumber(t.number)).toEqual(t);
    expect(await suite.store.getTicket("missing")).toBeNull();
  });

  it("allocates unique increasing ticket numbers", async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, () => suite.store.nextTicketNumber()));
    expect(new Set(numbers).size).toBe(20);
    const next = await suite.store.nextTicketNumber();
    expect(next).toBeGreaterThan(Math.max(...numbers));
  });

  it("lists tickets by status, customer, channel and due time, and finds the open ticket of a conversation", async () => {
    const c = sampleCustomer();
    await suite.store.insertCustomer(c);
    const open = sampleTicket(c.id, await suite.store.nextTicketNumber(), { updatedAt: new Date(T0.getTime() + 5000) });
    const closed = sampleTicket(c.id, await suite.store.nextTicketNumber(), { status: "closed", slaDueAt: null });
    const other = sampleTicket(c.id, await suite.store.nextTicketNumber(), {
      channel: "whatsapp",
      conversationKey: "wa:1",
      slaDueAt: null,
    });
    for (const t of [open, closed, other]) await suite.store.insertTicket(t);
    expect((await suite.store.listTickets({ customerId: c.id })).map((t) => t.id)).toEqual([
      open.id,
      closed.id,
      other.id,
    ]);
    expect((await suite.store.listTickets({ customerId: c.id, status: ["closed"] })).map((t) => t.id)).toEqual([
      closed.id,
    ]);
    expect((await suite.store.listTickets({ customerId: c.id, channel: "whatsapp" })).map((t) => t.id)).toEqual([
      other.id,
    ]);
    expect((await suite.store.listTickets({ customerId: c.id, conversationKey: "wa:1" })).map((t) => t.id)).toEqual([
      other.id,
    ]);
    expect(
      (await suite.store.listTickets({ customerId: c.id, slaDueBefore: new Date(T0.getTime() + 13 * 3_600_000) })).map(
        (t) => t.id,
      ),
    ).toEqual([open.id]);
    expect((await suite.store.listTickets({ customerId: c.id, newestFirst: true, limit: 1 })).map((t) => t.id)).toEqual(
      [open.id],
    );
    expect((await suite.store.findOpenTicketByConversation(c.id, "email", "배송 문의"))?.id).toBe(open.id);
    expect(await suite.store.findOpenTicketByConversation(c.id, "email", "other")).toBeNull();
  });

  it("round-trips messages in order and finds them by (channel, external id)", async () => {
    const { t } = await suite.seedTicket();
    const m1 = sampleMessage(t.id);
    const m2 = sampleMessage(t.id, {
      direction: "outbound",
      authorKind: "agent",
      externalId: null,
      deliveryStatus: "sent",
      createdAt: T0,
    });
    const m3 = sampleMessage(t.id, {
      direction: "note",
      authorKind: "agent",
      externalId: null,
      visibility: "internal",
      createdAt: new Date(T0.getTime() + 1),
    });
    const early = sampleMessage(t.id, { createdAt: new Date(T0.getTime() - 60_000) }); // arrives last, dated first
    for (const m of [m1, m2, m3, early]) await suite.store.insertMessage(m);
    expect(await suite.store.listMessages(t.id)).toEqual([early, m1, m2, m3]);
    expect(await suite.store.getMessage(m1.id)).toEqual(m1);
    expect(await suite.store.findMessageByExternalId("email", m1.externalId!)).toEqual(m1);
    expect(await suite.store.findMessageByExternalId("whatsapp", m1.externalId!)).toBeNull();
    await suite.store.updateMessageDelivery(m2.id, "failed", { code: "131047", title: "Re-engagement message" });
    expect(await suite.store.getMessage(m2.id)).toEqual({
      ...m2,
      deliveryStatus: "failed",
      deliveryError: { code: "131047", title: "Re-engagement message" },
    });
  });

  it("refuses a second message with the same (channel, external id) with CONFLICT and writes nothing", async () => {
    const { t } = await suite.seedTicket();
    const m = sampleMessage(t.id);
    await suite.store.insertMessage(m);
    const again = sampleMessage(t.id, { externalId: m.externalId });
    await expectCode(suite.store.insertMessage(again), "CONFLICT");
    expect(await suite.store.getMessage(again.id)).toBeNull();
    // The same external id on another channel is another message.
    await suite.store.insertMessage(sampleMessage(t.id, { channel: "whatsapp", externalId: m.externalId }));
    expect(await suite.store.listMessages(t.id)).toHaveLength(2);
  });

  it("moves messages between tickets (merge)", async () => {
    const c = sampleCustomer();
    await suite.store.insertCustomer(c);
    const a = sampleTicket(c.id, await suite.store.nextTicketNumber());
    const b = sampleTicket(c.id, await suite.store.nextTicketNumber(), { conversationKey: "교환 문의" });
    await suite.store.insertTicket(a);
    await suite.store.insertTicket(b);
    await suite.store.insertMessage(sampleMessage(a.id));
    await suite.store.insertMessage(sampleMessage(b.id, { createdAt: new Date(T0.getTime() - 1000) }));
    expect(await suite.store.moveMessages(a.id, b.id)).toBe(1);
    expect(await suite.store.listMessages(a.id)).toEqual([]);
    const moved = await suite.store.listMessages(b.id);
    expect(moved).toHaveLength(2);
    expect(moved.every((m) => m.ticketId === b.id)).toBe(true);
  });

  it("appends events in seq order and refuses a duplicate seq", async () => {
    const { t } = await suite.seedTicket();
    const e = (seq: number): TicketEvent => ({
      id: uid("evt"),
      ticketId: t.id,
      seq,
      type: "status.changed",
      at: T0,
      actor: { kind: "agent", id: "a1" },
      data: { from: "new", to: "open", 한글: true },
    });
    const [e2, e1] = [e(2), e(1)];
    await suite.store.appendEvent(e2);
    await suite.store.appendEvent(e1);
    expect(await suite.store.listEvents(t.id)).toEqual([e1, e2]);
    await expectCode(suite.store.appendEvent(e(2)), "CONFLICT");
    expect(await suite.store.listEvents(t.id)).toHaveLength(2);
  });

  it("stores idempotency records once", async () => {
    const r = { scope: "commerce", key: uid("k"), result: { refundId: "r1", amount: 1000 }, createdAt: T0 };
    await suite.store.putIdempotency(r);
    expect(await suite.store.getIdempotency("commerce", r.key)).toEqual(r);
    await expectCode(suite.store.putIdempotency({ ...r, result: { refundId: "r2" } }), "CONFLICT");
    expect(await suite.store.getIdempotency("commerce", r.key)).toEqual(r);
    expect(await suite.store.getIdempotency("other", r.key)).toBeNull();
  });

  it("deletes an idempotency record, after which the key can be claimed again", async () => {
    const r = { scope: "early-receipt", key: uid("k"), result: null, createdAt: T0 };
    await suite.store.putIdempotency(r);
    expect(await suite.store.deleteIdempotency("early-receipt", r.key)).toBe(true);
    expect(await suite.store.getIdempotency("early-receipt", r.key)).toBeNull();
    expect(await suite.store.deleteIdempotency("early-receipt", r.key)).toBe(false);
    await suite.store.putIdempotency(r);
    expect(await suite.store.getIdempotency("early-receipt", r.key)).toEqual(r);
  });

  it("keeps a customer's audit log in append order and erases it with the customer (and merged records)", async () => {
    const a = sampleCustomer();
    const b = sampleCustomer();
    await suite.store.insertCustomer(a);
    await suite.store.insertCustomer(b);
    const event = (customerId: string, type: string, data: Record<string, unknown> = {}) => ({
      id: uid("cev"),
      customerId,
      type,
      at: T0,
      actor: { kind: "agent" as const, id: "kim" },
      data,
    });
    const first = event(b.id, "customer.identities_linked", {
      identities: [{ kind: "phone", value: "+821012345678" }],
      source: "agent",
    });
    const second = event(b.id, "customer.updated", { changes: { name: { from: "김민수", to: "민수" } } });
    await suite.store.appendCustomerEvent(first);
    await suite.store.appendCustomerEvent(second);
    await expectCode(suite.store.appendCustomerEvent(first), "CONFLICT");
    expect(await suite.store.listCustomerEvents(b.id)).toEqual([first, second]);
    const away = event(a.id, "customer.merged_away", { into: b.id });
    await suite.store.appendCustomerEvent(away);
    await suite.store.updateCustomer({ ...a, identities: [], mergedInto: b.id });
    const rolledBack = event(b.id, "customer.updated");
    await expect(
      suite.store.transaction(async (tx) => {
        await tx.appendCustomerEvent(rolledBack);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await suite.store.listCustomerEvents(b.id)).toHaveLength(2);
    await suite.store.deleteCustomer(b.id);
    expect(await suite.store.listCustomerEvents(b.id)).toEqual([]);
    expect(await suite.store.listCustomerEvents(a.id)).toEqual([]);
  });

  it("moves a ticket to another customer (customer merge) and keeps it out of the first one's erasure", async () => {
    const a = sampleCustomer();
    const b = sampleCustomer();
    await suite.store.insertCustomer(a);
    await suite.store.insertCustomer(b);
    const t = sampleTicket(a.id, await suite.store.nextTicketNumber());
    await suite.store.insertTicket(t);
    await suite.store.updateTicket({ ...t, customerId: b.id, version: 2 }, 1);
    expect(await suite.store.listTickets({ customerId: a.id })).toEqual([]);
    expect((await suite.store.listTickets({ customerId: b.id })).map((x) => x.id)).toEqual([t.id]);
    expect((await suite.store.findOpenTicketByConversation(b.id, "email", "배송 문의"))?.id).toBe(t.id);
    expect(await suite.store.findOpenTicketByConversation(a.id, "email", "배송 문의")).toBeNull();
    await suite.store.updateCustomer({ ...a, identities: [], mergedInto: b.id });
    expect((await suite.store.findCustomerByIdentity(b.identities[0]!))?.id).toBe(b.id);
    expect(await suite.store.deleteCustomer(a.id)).toEqual({ tickets: 0 });
    expect(await suite.store.getTicket(t.id)).not.toBeNull();
  });

  it("deletes a customer with everything about them", async () => {
    const { c, t } = await suite.seedTicket();
    const m = sampleMessage(t.id);
    await suite.store.insertMessage(m);
    await suite.store.appendEvent({
      id: uid("evt"),
      ticketId: t.id,
      seq: 1,
      type: "ticket.created",
      at: T0,
      actor: { kind: "customer", id: c.id },
      data: {},
    });
    expect(await suite.store.deleteCustomer(c.id)).toEqual({ tickets: 1 });
    expect(await suite.store.getCustomer(c.id)).toBeNull();
    expect(await suite.store.findCustomerByIdentity(c.identities[0]!)).toBeNull();
    expect(await suite.store.getTicket(t.id)).toBeNull();
    expect(await suite.store.getMessage(m.id)).toBeNull();
    expect(await suite.store.findMessageByExternalId("email", m.externalId!)).toBeNull();
    expect(await suite.store.listEvents(t.id)).toEqual([]);
  });
}
