/**
 * postgresStore's own tests (beyond the conformance suite), the rest: events, idempotency and jobs,
 * copies and bad input, transactions.
 */
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

    describe("events, idempotency and jobs", () => {
      it("appends events in seq order and refuses a repeated seq", async () => {
        const { store } = opened;
        const e2 = event("t1", 2, {
          type: "status.changed",
          actor: { kind: "agent", id: "agent-1" },
          data: { from: "new", to: "open" },
        });
        const e1 = event("t1", 1);
        await store.appendEvent(e2);
        await store.appendEvent(e1);
        expect(await store.listEvents("t1")).toEqual([e1, e2]);
        await expect(store.appendEvent(event("t1", 2))).rejects.toSatisfy((e) => StoredeskError.is(e, "CONFLICT"));
        expect(await store.listEvents("t1")).toHaveLength(2);
      });

      it("appends a batch of events with one INSERT, read back like events appended one by one", async () => {
        const statements: string[] = [];
        const own = await backend.open({ onStatement: (text) => statements.push(text) });
        try {
          const { store } = own;
          await store.migrate();
          const batch = [
            event("t1", 1),
            event("t1", 2, {
              type: "message.received",
              actor: { kind: "customer", id: "cus-1" },
              data: { messageId: "m1", externalId: "wamid.1" },
            }),
            event("t2", 1, { type: "sla.applied", at: at(5), data: { policyId: "default", dueAt: null } }),
          ];
          statements.length = 0;
          await store.appendEvents!(batch);
          expect(statements).toHaveLength(1);
          expect(statements[0]).toMatch(/INSERT INTO "\w+"\.ticket_events/);
          await store.transaction((tx) => tx.appendEvents!([event("t1", 3), event("t1", 4)]));
          expect(await store.listEvents("t1")).toEqual([
            batch[0],
            batch[1],
            expect.objectContaining({ seq: 3 }),
            expect.objectContaining({ seq: 4 }),
          ]);
          expect(await store.listEvents("t2")).toEqual([batch[2]]);
          statements.length = 0;
          await store.appendEvents!([]);
          expect(statements).toEqual([]);
        } finally {
          await own.cleanup();
        }
      });

      it("stops a batch of events at the first conflicting one, like appendEvent in a loop, and keeps the transaction usable", async () => {
        const { store } = opened;
        const stored = event("t1", 2);
        await store.appendEvent(stored);
        const before = event("t1", 1);
        const clash = event("t1", 2);
        const after = event("t1", 3);
        const err = await store.appendEvents!([before, clash, after]).catch((e: unknown) => e);
        expect(StoredeskError.is(err, "CONFLICT") && err.details).toEqual({ ticketId: "t1", seq: 2 });
        expect(await store.listEvents("t1")).toEqual([before, stored]);

        // A clash inside the batch itself (same seq twice), inside a transaction that goes on.
        const first = event("t2", 1);
        const written = await store.transaction(async (tx) => {
          const e = await tx.appendEvents!([first, event("t2", 1), event("t2", 2)]).catch((x: unknown) => x);
          expect(StoredeskError.is(e, "CONFLICT") && e.details).toEqual({ ticketId: "t2", seq: 1 });
          await tx.appendEvent(event("t2", 2));
          return tx.listEvents("t2");
        });
        expect(written.map((e) => e.seq)).toEqual([1, 2]);
        expect((await store.listEvents("t2"))[0]).toEqual(first);
        // A repeated event id is a conflict too.
        await expect(store.appendEvents!([event("t3", 1, { id: stored.id })])).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "CONFLICT"),
        );
        expect(await store.listEvents("t3")).toEqual([]);
      });

      it("validates every event of a batch before writing any", async () => {
        const { store } = opened;
        const good = event("t1", 1);
        const bad = event("t1", 2, { seq: 0 });
        await expect(store.appendEvents!([good, bad])).rejects.toSatisfy((e) => StoredeskError.is(e, "INVALID_INPUT"));
        await expect(store.appendEvents!("nope" as never)).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "INVALID_INPUT"),
        );
        expect(await store.listEvents("t1")).toEqual([]);
      });

      it("stores an idempotency record once", async () => {
        const { store } = opened;
        const r = { scope: "webhook:whatsapp", key: "evt-1", result: { ticketId: "t1", n: [1, 2] }, createdAt: at(1) };
        await store.putIdempotency(r);
        expect(await store.getIdempotency("webhook:whatsapp", "evt-1")).toEqual(r);
        await expect(store.putIdempotency({ ...r, result: "other" })).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "CONFLICT"),
        );
        expect(await store.getIdempotency("webhook:whatsapp", "evt-1")).toEqual(r);
        expect(await store.getIdempotency("webhook:whatsapp", "evt-2")).toBeNull();
        await store.putIdempotency({ scope: "s", key: "k", result: null, createdAt: at(2) });
        expect((await store.getIdempotency("s", "k"))?.result).toBeNull();
      });

      it("replaces a job by key with a new id and no lease, and cancels by key", async () => {
        const { store } = opened;
        const first = job({ key: "sla:t1", ticketId: "t1", lockedBy: "w1", lockedUntil: at(99) });
        await store.scheduleJob(first);
        const second = job({ key: "sla:t1", ticketId: "t1", runAt: at(30), payload: { metric: "first_reply" } });
        await store.scheduleJob(second);
        expect(await store.listJobs()).toEqual([second]);
        await store.scheduleJob(job({ key: "other", runAt: at(5) }));
        expect((await store.listJobs()).map((j) => j.key)).toEqual(["other", "sla:t1"]);
        expect(await store.listJobs({ ticketId: "t1" })).toEqual([second]);
        await store.cancelJob("sla:t1");
        await store.cancelJob("never-existed");
        expect((await store.listJobs()).map((j) => j.key)).toEqual(["other"]);
      });
    });

    describe("copies and bad input", () => {
      it("returns fresh copies: mutating a result changes nothing stored", async () => {
        const { store } = opened;
        const c = customer({ attributes: { vip: true } });
        await store.insertCustomer(c);
        const t = ticket(c.id, 1, { tags: ["a"], meta: { x: 1 } });
        await store.insertTicket(t);
        const got = (await store.getTicket(t.id))!;
        got.tags.push("b");
        got.meta.x = 2;
        got.createdAt.setFullYear(2000);
        const gotC = (await store.getCustomer(c.id))!;
        gotC.identities.pop();
        gotC.attributes.vip = false;
        c.name = "changed after insert";
        expect(await store.getTicket(t.id)).toEqual(t);
        expect(await store.getCustomer(c.id)).toEqual({ ...c, name: null });
      });

      it("rejects malformed records with INVALID_INPUT before writing anything", async () => {
        const { store } = opened;
        const c = customer();
        await expect(
          store.insertCustomer({ ...c, identities: [{ kind: "fax" as never, value: "1" }] }),
        ).rejects.toSatisfy((e) => StoredeskError.is(e, "INVALID_INPUT"));
        expect(await store.getCustomer(c.id)).toBeNull();
        const t = ticket("c", 1, { createdAt: "yesterday" as unknown as Date });
        await expect(store.insertTicket(t)).rejects.toSatisfy(
          (e) => StoredeskError.is(e, "INVALID_INPUT") && e.path?.[0] === "createdAt",
        );
        expect(await store.getTicket(t.id)).toBeNull();
        await expect(store.insertMessage(message("t1", { channel: "Not A Channel" }))).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "INVALID_INPUT"),
        );
        await expect(store.appendEvent(event("t1", 0))).rejects.toSatisfy((e) => StoredeskError.is(e, "INVALID_INPUT"));
        await expect(store.scheduleJob(job({ runAt: new Date(Number.NaN) }))).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "INVALID_INPUT"),
        );
        expect(await store.listMessages("t1")).toEqual([]);
        expect(await store.listJobs()).toEqual([]);
      });

      it("refuses to update or delete audit events outside customer erasure", async () => {
        const { store } = opened;
        await store.appendEvent(event("t1", 1));
        // Reach the table directly, as a careless script would.
        const s = `"${store.schema}"`;
        await expect(opened.raw(`DELETE FROM ${s}.ticket_events`)).rejects.toThrow(/append-only/);
        await expect(opened.raw(`UPDATE ${s}.ticket_events SET type = 'x'`)).rejects.toThrow(/append-only/);
        expect(await store.listEvents("t1")).toHaveLength(1);
      });
    });

    describe("transactions", () => {
      it("commits everything fn wrote, or nothing when fn throws", async () => {
        const { store } = opened;
        const c = customer();
        const t = ticket(c.id, 1);
        await store.transaction(async (tx) => {
          await tx.insertCustomer(c);
          await tx.insertTicket(t);
          await tx.insertMessage(message(t.id, { externalId: "m-1" }));
        });
        expect(await store.listMessages(t.id)).toHaveLength(1);

        const c2 = customer();
        const boom = new Error("boom");
        await expect(
          store.transaction(async (tx) => {
            await tx.insertCustomer(c2);
            await tx.insertMessage(message(t.id, { externalId: "m-2" }));
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.getCustomer(c2.id)).toBeNull();
        expect(await store.findMessageByExternalId("email", "m-2")).toBeNull();
      });

      it("keeps the transaction usable after a caught CONFLICT inside it", async () => {
        const { store } = opened;
        const a = customer();
        await store.insertCustomer(a);
        await store.insertMessage(message("t1", { externalId: "dup" }));
        const b = customer();
        const result = await store.transaction(async (tx) => {
          const seen: string[] = [];
          for (const attempt of [
            () => tx.insertMessage(message("t1", { externalId: "dup" })),
            () => tx.insertCustomer(customer({ identities: a.identities })),
          ]) {
            await attempt().catch((e: unknown) => seen.push(StoredeskError.is(e) ? e.code : "other"));
          }
          await tx.insertCustomer(b);
          return seen;
        });
        expect(result).toEqual(["CONFLICT", "CONFLICT"]);
        expect(await store.getCustomer(b.id)).toEqual(b);
      });

      it("runs store calls made inside fn on the transaction, and a nested transaction as a savepoint", async () => {
        const { store } = opened;
        const a = customer();
        const b = customer();
        await expect(
          store.transaction(async (tx) => {
            await tx.insertCustomer(a);
            // The store itself (not tx) sees the uncommitted row: same connection.
            expect(await store.getCustomer(a.id)).not.toBeNull();
            await store
              .transaction(async (inner) => {
                await inner.insertCustomer(b);
                throw new Error("inner fails");
              })
              .catch(() => undefined);
            expect(await store.getCustomer(b.id)).toBeNull();
            throw new Error("outer fails");
          }),
        ).rejects.toThrow("outer fails");
        expect(await store.getCustomer(a.id)).toBeNull();
      });

      it("reads and writes every kind of record inside a transaction exactly as outside one", async () => {
        const { store } = opened;
        const c = customer({
          name: "이서연",
          identities: [
            { kind: "phone", value: "+82 10-5555-1234" },
            { kind: "email", value: "Seo@Example.com" },
          ],
          attributes: { vip: true },
        });
        const t = ticket(c.id, 0, {
          status: "open",
          tags: ["배송"],
          slaDueAt: at(30),
          meta: { n: [1, null] },
          conversationKey: "k1",
          channel: "whatsapp",
        });
        const m = message(t.id, {
          externalId: "wamid.9",
          attachments: [
            {
              filename: "a.png",
              contentType: "image/png",
              size: 12,
              url: "https://example.com/a.png",
              providerId: null,
              contentBase64: null,
            },
          ],
          meta: { subject: "안녕" },
        });
        const e = event(t.id, 1, { data: { nested: { ok: true } } });
        const j = job({ ticketId: t.id });
        const inside = await store.transaction(async (tx) => {
          const number = await tx.nextTicketNumber();
          const withNumber = { ...t, number };
          await tx.insertCustomer(c);
          await tx.insertTicket(withNumber);
          await tx.insertMessage(m);
          await tx.appendEvent(e);
          await tx.scheduleJob(j);
          await tx.updateTicket({ ...withNumber, version: 1, priority: "high" }, 0);
          await tx.putIdempotency({ scope: "s", key: "k", result: { a: 1 }, createdAt: at(1) });
          // Read everything back twice: the second run of each statement uses its cached plan.
          const read = async () => ({
            customer: await tx.findCustomerByIdentity({ kind: "phone", value: "+821055551234" }),
            ticket: await tx.getTicket(t.id),
            byNumber: await tx.getTicketByNumber(number),
            open: await tx.listTickets({
              status: ["open", "pending"],
              customerId: c.id,
              slaDueBefore: at(60),
              limit: 5,
            }),
            conversation: await tx.findOpenTicketByConversation(c.id, "whatsapp", "k1"),
            message: await tx.findMessageByExternalId(m.channel, "wamid.9"),
            messages: await tx.listMessages(t.id),
            events: await tx.listEvents(t.id),
            jobs: await tx.listJobs({ ticketId: t.id }),
            idempotency: await tx.getIdempotency("s", "k"),
          });
          const first = await read();
          expect(await read()).toEqual(first);
          return first;
        });
        const outside = {
          customer: await store.findCustomerByIdentity({ kind: "phone", value: "+821055551234" }),
          ticket: await store.getTicket(t.id),
          byNumber: await store.getTicketByNumber(inside.ticket!.number),
          open: await store.listTickets({
            status: ["open", "pending"],
            customerId: c.id,
            slaDueBefore: at(60),
            limit: 5,
          }),
          conversation: await store.findOpenTicketByConversation(c.id, "whatsapp", "k1"),
          message: await store.findMessageByExternalId(m.channel, "wamid.9"),
          messages: await store.listMessages(t.id),
          events: await store.listEvents(t.id),
          jobs: await store.listJobs({ ticketId: t.id }),
          idempotency: await store.getIdempotency("s", "k"),
        };
        expect(inside).toEqual(outside);
        expect(outside.customer).toEqual(c);
        expect(outside.ticket).toEqual({ ...t, number: inside.ticket!.number, version: 1, priority: "high" });
        expect(outside.open).toEqual([outside.ticket]);
        expect(outside.messages).toEqual([m]);
        expect(outside.events).toEqual([e]);
        expect(outside.jobs).toEqual([j]);
      });

      it("runs concurrent transactions without losing a ticket update", async () => {
        const { store } = opened;
        const c = customer();
        await store.insertCustomer(c);
        const t = ticket(c.id, 1, { tags: [] });
        await store.insertTicket(t);
        // 10 writers each add a tag with optimistic retries.
        await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            for (;;) {
              try {
                await store.transaction(async (tx) => {
                  const cur = (await tx.getTicket(t.id))!;
                  await tx.updateTicket(
                    { ...cur, tags: [...cur.tags, `w${i}`], version: cur.version + 1 },
                    cur.version,
                  );
                });
                return;
              } catch (e) {
                if (!StoredeskError.is(e, "CONFLICT")) throw e;
              }
            }
          }),
        );
        const final = (await store.getTicket(t.id))!;
        expect(final.version).toBe(10);
        expect(final.tags.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `w${i}`).sort());
      });
    });
  });
}
