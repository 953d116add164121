/** postgresStore's own tests (beyond the conformance suite), records: customers, tickets and messages. */
import { StoredeskError } from "@storedesk/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { at, backends, backendTitle, customer, event, job, message, ticket, type Opened } from "./helpers.js";

for (const backend of backends()) {
  describe.skipIf(!backend.available)(backendTitle("postgresStore", backend), () => {
    let opened: Opened;
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    beforeEach(async () => {
      opened = await backend.open();
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    describe("customers", () => {
      it("round-trips a customer with identities in order and nulls as null", async () => {
        const { store } = opened;
        const c = customer({
          name: "김민지",
          locale: "ko",
          identities: [
            { kind: "whatsapp", value: "821012345678" },
            { kind: "email", value: "Minji@Example.com" },
          ],
          attributes: { vip: true, tier: { level: 2 } },
        });
        await store.insertCustomer(c);
        expect(await store.getCustomer(c.id)).toEqual(c);
        const bare = customer();
        await store.insertCustomer(bare);
        expect(await store.getCustomer(bare.id)).toEqual(bare);
        expect(await store.getCustomer("missing")).toBeNull();
      });

      it("finds a customer by a differently written but equal identity", async () => {
        const { store } = opened;
        const c = customer({
          identities: [
            { kind: "phone", value: "+82 10-1234-5678" },
            { kind: "email", value: "Kim@Example.com" },
          ],
        });
        await store.insertCustomer(c);
        expect((await store.findCustomerByIdentity({ kind: "phone", value: "+821012345678" }))?.id).toBe(c.id);
        expect((await store.findCustomerByIdentity({ kind: "email", value: "kim@example.com" }))?.id).toBe(c.id);
        expect(await store.findCustomerByIdentity({ kind: "email", value: "other@example.com" })).toBeNull();
      });

      it("follows mergedInto to the surviving customer", async () => {
        const { store } = opened;
        const target = customer();
        const merged = customer({ mergedInto: target.id, identities: [{ kind: "instagram", value: "ig_123" }] });
        await store.insertCustomer(target);
        await store.insertCustomer(merged);
        expect((await store.findCustomerByIdentity({ kind: "instagram", value: "ig_123" }))?.id).toBe(target.id);
      });

      it("rejects an identity another customer holds with CONFLICT and writes nothing", async () => {
        const { store } = opened;
        const a = customer({ identities: [{ kind: "email", value: "same@example.com" }] });
        await store.insertCustomer(a);
        const b = customer({
          identities: [
            { kind: "webchat", value: "w1" },
            { kind: "email", value: "SAME@example.com" },
          ],
        });
        await expect(store.insertCustomer(b)).rejects.toSatisfy((e) => StoredeskError.is(e, "CONFLICT"));
        expect(await store.getCustomer(b.id)).toBeNull();
        expect(await store.findCustomerByIdentity({ kind: "webchat", value: "w1" })).toBeNull();
      });

      it("replaces a customer's identity set on update, refusing one held by another customer", async () => {
        const { store } = opened;
        const a = customer();
        const b = customer();
        await store.insertCustomer(a);
        await store.insertCustomer(b);
        const updated = {
          ...a,
          name: "Lee",
          identities: [{ kind: "messenger" as const, value: "psid-1" }],
          updatedAt: at(5),
        };
        await store.updateCustomer(updated);
        expect(await store.getCustomer(a.id)).toEqual({ ...updated, version: 2 });
        expect(await store.findCustomerByIdentity(a.identities[0]!)).toBeNull();
        await expect(
          store.updateCustomer({ ...b, identities: [{ kind: "messenger", value: "psid-1" }] }),
        ).rejects.toSatisfy((e) => StoredeskError.is(e, "CONFLICT"));
        expect(await store.getCustomer(b.id)).toEqual(b);
        await expect(store.updateCustomer(customer())).rejects.toSatisfy((e) => StoredeskError.is(e, "NOT_FOUND"));
      });

      it("erases a customer with tickets, messages, events and jobs, leaving others alone", async () => {
        const { store } = opened;
        const a = customer();
        const b = customer();
        await store.insertCustomer(a);
        await store.insertCustomer(b);
        const ta = ticket(a.id, await store.nextTicketNumber());
        const tb = ticket(b.id, await store.nextTicketNumber());
        for (const t of [ta, tb]) {
          await store.insertTicket(t);
          await store.insertMessage(message(t.id));
          await store.appendEvent(event(t.id, 1));
          await store.scheduleJob(job({ ticketId: t.id }));
        }
        expect(await store.deleteCustomer(a.id)).toEqual({ tickets: 1 });
        expect(await store.getCustomer(a.id)).toBeNull();
        expect(await store.getTicket(ta.id)).toBeNull();
        expect(await store.listMessages(ta.id)).toEqual([]);
        expect(await store.listEvents(ta.id)).toEqual([]);
        expect(await store.listJobs({ ticketId: ta.id })).toEqual([]);
        expect(await store.findCustomerByIdentity(a.identities[0]!)).toBeNull();
        expect(await store.listMessages(tb.id)).toHaveLength(1);
        expect(await store.listEvents(tb.id)).toHaveLength(1);
        expect(await store.listJobs({ ticketId: tb.id })).toHaveLength(1);
      });
    });

    describe("tickets", () => {
      it("round-trips every field, jsonb and nullable timestamps included", async () => {
        const { store } = opened;
        const c = customer();
        await store.insertCustomer(c);
        const full = ticket(c.id, await store.nextTicketNumber(), {
          subject: "배송 문의",
          status: "open",
          priority: "high",
          category: "shipping",
          channel: "whatsapp",
          assigneeId: "agent-1",
          team: "cs",
          tags: ["vip", "배송"],
          conversationKey: "821012345678",
          lastCustomerMessageAt: at(3),
          firstRepliedAt: at(4),
          slaDueAt: at(60),
          sla: {
            policyId: "default",
            metrics: [
              {
                metric: "first_reply",
                status: "active",
                dueAt: at(60).toISOString(),
                targetMinutes: 60,
                businessTimeUsedMs: 0,
                breachedAt: null,
                fulfilledAt: null,
              },
            ],
            evaluatedAt: at(1).toISOString(),
          },
          complaint: {
            step: "listen",
            openedAt: at(1).toISOString(),
            stepEnteredAt: at(1).toISOString(),
            history: [{ step: "listen", at: at(1).toISOString(), by: null, note: null }],
            summary: null,
            resolution: null,
            updateIntervalMinutes: 120,
            nextUpdateDueAt: null,
            reopenCount: 0,
            rootCause: null,
          },
          meta: { orderId: "#1001", nested: { list: [1, "two", null] } },
        });
        await store.insertTicket(full);
        expect(await store.getTicket(full.id)).toEqual(full);
        expect(await store.getTicketByNumber(full.number)).toEqual(full);
        expect(await store.getTicket("missing")).toBeNull();
        expect(await store.getTicketByNumber(999_999)).toBeNull();
      });

      it("allocates increasing unique ticket numbers and refuses a duplicate number", async () => {
        const { store } = opened;
        const numbers = await Promise.all(Array.from({ length: 20 }, () => store.nextTicketNumber()));
        expect(new Set(numbers).size).toBe(20);
        const a = await store.nextTicketNumber();
        expect(a).toBeGreaterThan(Math.max(...numbers));
        const c = customer();
        await store.insertCustomer(c);
        await store.insertTicket(ticket(c.id, a));
        const dup = ticket(c.id, a);
        await expect(store.insertTicket(dup)).rejects.toSatisfy((e) => StoredeskError.is(e, "CONFLICT"));
        expect(await store.getTicket(dup.id)).toBeNull();
      });

      it("updates only from the expected version; a stale write is a CONFLICT and changes nothing", async () => {
        const { store } = opened;
        const c = customer();
        await store.insertCustomer(c);
        const t = ticket(c.id, await store.nextTicketNumber());
        await store.insertTicket(t);
        const v1 = { ...t, status: "open" as const, version: 1, updatedAt: at(9) };
        await store.updateTicket(v1, 0);
        const stale = { ...t, status: "solved" as const, version: 1 };
        await expect(store.updateTicket(stale, 0)).rejects.toSatisfy(
          (e) => StoredeskError.is(e, "CONFLICT") && e.retryable,
        );
        expect(await store.getTicket(t.id)).toEqual(v1);
        await expect(store.updateTicket({ ...v1, version: 5 }, 1)).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "INVALID_INPUT"),
        );
        await expect(store.updateTicket(ticket(c.id, 12345, { version: 1 }), 0)).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "NOT_FOUND"),
        );
      });

      it("lists tickets by status, customer, channel and SLA due time, in either order", async () => {
        const { store } = opened;
        const a = customer();
        const b = customer();
        await store.insertCustomer(a);
        await store.insertCustomer(b);
        const t1 = ticket(a.id, 1, { status: "open", slaDueAt: at(30), updatedAt: at(3) });
        const t2 = ticket(a.id, 2, { status: "pending", channel: "whatsapp", updatedAt: at(9) });
        const t3 = ticket(b.id, 3, { status: "open", slaDueAt: at(90), updatedAt: at(5) });
        for (const t of [t3, t1, t2]) await store.insertTicket(t);
        const ids = (ts: { id: string }[]): string[] => ts.map((t) => t.id);
        expect(ids(await store.listTickets({}))).toEqual([t1.id, t2.id, t3.id]);
        expect(ids(await store.listTickets({ newestFirst: true }))).toEqual([t2.id, t3.id, t1.id]);
        expect(ids(await store.listTickets({ status: ["open"] }))).toEqual([t1.id, t3.id]);
        expect(ids(await store.listTickets({ customerId: a.id, channel: "whatsapp" }))).toEqual([t2.id]);
        expect(ids(await store.listTickets({ slaDueBefore: at(60) }))).toEqual([t1.id]);
        expect(ids(await store.listTickets({ limit: 2 }))).toEqual([t1.id, t2.id]);
      });

      it("finds the most recent open, unmerged ticket of a conversation", async () => {
        const { store } = opened;
        const c = customer();
        await store.insertCustomer(c);
        const closed = ticket(c.id, 1, { conversationKey: "k", status: "closed", updatedAt: at(50) });
        const merged = ticket(c.id, 2, { conversationKey: "k", mergedInto: "x", updatedAt: at(40) });
        const solved = ticket(c.id, 3, { conversationKey: "k", status: "solved", updatedAt: at(10) });
        const otherChannel = ticket(c.id, 5, { conversationKey: "k", channel: "webchat", updatedAt: at(60) });
        for (const t of [closed, merged, solved, otherChannel]) await store.insertTicket(t);
        expect((await store.findOpenTicketByConversation(c.id, "email", "k"))?.id).toBe(solved.id);
        // A solved ticket is still the conversation's open one: a second is refused, naming it.
        await expect(
          store.insertTicket(ticket(c.id, 4, { conversationKey: "k", status: "open", updatedAt: at(20) })),
        ).rejects.toMatchObject({ code: "CONFLICT", details: { openConversation: true, openTicketId: solved.id } });
        expect(await store.findOpenTicketByConversation(c.id, "email", "other")).toBeNull();
      });
    });

    describe("messages", () => {
      it("round-trips a message and keeps insertion order for equal timestamps", async () => {
        const { store } = opened;
        const m1 = message("t1", {
          externalId: "wamid.1",
          html: "<p>hi</p>",
          attachments: [
            {
              filename: "a.jpg",
              contentType: "image/jpeg",
              size: 10,
              url: null,
              providerId: "media-1",
              contentBase64: null,
            },
          ],
          meta: { subject: "Re: 주문" },
        });
        const m2 = message("t1", {
          createdAt: m1.createdAt,
          direction: "outbound",
          authorKind: "agent",
          authorId: "agent-1",
          deliveryStatus: "sent",
        });
        const m0 = message("t1", { createdAt: at(1) });
        await store.insertMessage(m1);
        await store.insertMessage(m2);
        await store.insertMessage(m0);
        expect(await store.listMessages("t1")).toEqual([m0, m1, m2]);
        expect(await store.getMessage(m1.id)).toEqual(m1);
        expect(await store.findMessageByExternalId("email", "wamid.1")).toEqual(m1);
        expect(await store.findMessageByExternalId("whatsapp", "wamid.1")).toBeNull();
      });

      it("refuses a second message with the same channel and external id, writing nothing", async () => {
        const { store } = opened;
        await store.insertMessage(message("t1", { externalId: "ext-1" }));
        const dup = message("t2", { externalId: "ext-1" });
        await expect(store.insertMessage(dup)).rejects.toSatisfy((e) => StoredeskError.is(e, "CONFLICT"));
        expect(await store.getMessage(dup.id)).toBeNull();
        expect(await store.listMessages("t2")).toEqual([]);
        // Same id on another channel, and messages without external id, are fine.
        await store.insertMessage(message("t2", { externalId: "ext-1", channel: "whatsapp" }));
        await store.insertMessage(message("t2"));
        await store.insertMessage(message("t2"));
        expect(await store.listMessages("t2")).toHaveLength(3);
      });

      it("updates delivery status and moves messages between tickets", async () => {
        const { store } = opened;
        const m = message("t1", {
          direction: "outbound",
          authorKind: "agent",
          deliveryStatus: "sent",
          externalId: "out-1",
        });
        await store.insertMessage(m);
        await store.insertMessage(message("t1"));
        await store.updateMessageDelivery(m.id, "failed", { code: "131047", title: "Re-engagement message" });
        expect(await store.getMessage(m.id)).toMatchObject({
          deliveryStatus: "failed",
          deliveryError: { code: "131047", title: "Re-engagement message" },
        });
        await store.updateMessageDelivery(m.id, "read", null);
        expect(await store.getMessage(m.id)).toMatchObject({ deliveryStatus: "read", deliveryError: null });
        await expect(store.updateMessageDelivery("missing", "read", null)).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "NOT_FOUND"),
        );
        expect(await store.moveMessages("t1", "t9")).toBe(2);
        expect(await store.listMessages("t1")).toEqual([]);
        expect((await store.listMessages("t9")).map((x) => x.id)[0]).toBe(m.id);
      });
    });
  });
}
