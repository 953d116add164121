/**
 * The call-back plugin end to end on the memory store and on PGlite: due times in calling hours,
 * the due timer, attempts and retries, giving up, a reached call as the ticket's human reply, the
 * queue, and the confirmation by SMS.
 */
import { PGlite } from "@electric-sql/pglite";
import { memoryStore, StoredeskError, type Store } from "@storedesk/core";
import { postgresStore } from "@storedesk/store-postgres";
import { afterAll, describe, expect, it } from "vitest";
import type { SmsSender } from "../src/index.js";
import { MONDAY_10_KST, phoneDesk, requestPost } from "./helpers.js";

// One PGlite for the file (starting one takes seconds), a schema per test.
let pglite: PGlite | null = null;
let schemas = 0;
afterAll(async () => {
  await pglite?.close();
});

const stores: Record<string, () => Promise<Store | undefined>> = {
  memory: async () => undefined,
  PGlite: async () => {
    pglite ??= await PGlite.create();
    return postgresStore({ pglite }, { schema: `callbacks_${++schemas}` });
  },
};

const HOUR = 3_600_000;

for (const [storeName, makeStore] of Object.entries(stores)) {
  describe(`call-backs on the ${storeName} store`, () => {
    async function setup(sms?: SmsSender) {
      const store = await makeStore();
      return phoneDesk({ ...(store ? { store } : {}), ...(sms ? { sms } : {}) });
    }
    async function request(kit: Awaited<ReturnType<typeof setup>>, body: Record<string, unknown>) {
      const res = await kit.desk.webhook("phone")(requestPost(body, { at: kit.clock.now() }));
      expect(res.status).toBe(200);
      const tickets = await kit.desk.listTickets({ channel: "phone", newestFirst: true });
      return tickets[0]!;
    }

    it("falls due at the customer's time moved into calling hours, and the timer marks it due", async () => {
      const kit = await setup();
      const due: unknown[] = [];
      kit.desk.on("plugin.callbacks.due", (e) => due.push(e));
      // Saturday 11:00 in Seoul: outside weekday hours, so Monday 09:00.
      const ticket = await request(kit, {
        requestId: "r1",
        phone: "010-1111-2222",
        preferredAt: "2026-03-07T11:00:00+09:00",
      });
      expect(ticket.meta.callback).toMatchObject({
        status: "scheduled",
        dueAt: "2026-03-09T00:00:00.000Z",
        attempts: 0,
      });
      expect(ticket.meta.firstContact).toBe("callbacks");
      kit.clock.set(new Date("2026-03-08T23:59:00Z"));
      await kit.desk.runDue();
      expect(due).toEqual([]);
      kit.clock.set(new Date("2026-03-09T00:00:30Z"));
      await kit.desk.runDue();
      expect(due).toEqual([expect.objectContaining({ ticketId: ticket.id, number: "+821011112222", attempt: 1 })]);
      expect((await kit.desk.callbacks.state(ticket.id))?.status).toBe("due");
      const log = await kit.desk.listEvents(ticket.id);
      expect(log.map((e) => e.type)).toContain("plugin.callbacks.due");
    });

    it("retries after failed attempts in calling hours and gives up after the last", async () => {
      const kit = await setup();
      const gaveUp: unknown[] = [];
      kit.desk.on("plugin.callbacks.gave_up", (e) => gaveUp.push(e));
      const ticket = await request(kit, { requestId: "r2", phone: "01033334444" });
      // Monday 17:30 in Seoul: one hour of calling time later is Tuesday 09:30.
      kit.clock.set(new Date("2026-03-02T08:30:00Z"));
      const first = await kit.desk.callbacks.logCall(ticket.id, { outcome: "no_answer", agentId: "agent-1" });
      expect(first.state).toMatchObject({ status: "scheduled", attempts: 1, dueAt: "2026-03-03T00:30:00.000Z" });
      await kit.desk.callbacks.logCall(ticket.id, { outcome: "busy", agentId: "agent-1" });
      const last = await kit.desk.callbacks.logCall(ticket.id, {
        outcome: "voicemail",
        agentId: "agent-2",
        notes: "left a message",
      });
      expect(last.state).toMatchObject({ status: "gave_up", attempts: 3, dueAt: null, lastOutcome: "voicemail" });
      expect(gaveUp).toEqual([expect.objectContaining({ ticketId: ticket.id, number: "+821033334444", attempts: 3 })]);
      expect(await kit.desk.callbacks.queue()).toEqual([]);
      const types = (await kit.desk.listEvents(ticket.id)).map((e) => e.type);
      expect(types.filter((t) => t === "plugin.callbacks.call_logged")).toHaveLength(3);
      expect(types).not.toContain("reply.sent"); // nobody talked to the customer
      // No timer is left to mark it due again.
      kit.clock.set(new Date("2026-03-10T01:00:00Z"));
      await kit.desk.runDue();
      expect((await kit.desk.callbacks.state(ticket.id))?.status).toBe("gave_up");
    });

    it("counts a reached call as the ticket's first human reply and completes the call-back", async () => {
      const kit = await setup();
      const ticket = await request(kit, { requestId: "r3", phone: "01055556666", reason: "배송이 안 와요" });
      expect(ticket.sla?.metrics.find((m) => m.metric === "first_reply")?.status).toBe("active");
      kit.clock.set(new Date(MONDAY_10_KST.getTime() + HOUR));
      const { ticket: after, state } = await kit.desk.callbacks.logCall(ticket.id, {
        outcome: "reached",
        agentId: "agent-7",
        durationSeconds: 180,
        notes: "송장 번호 안내",
        status: "solved",
      });
      expect(state.status).toBe("completed");
      expect(after.status).toBe("solved");
      expect(after.sla?.metrics.find((m) => m.metric === "first_reply")?.status).toBe("fulfilled");
      const log = await kit.desk.listEvents(ticket.id);
      expect(log.find((e) => e.type === "reply.sent")).toMatchObject({
        actor: { kind: "agent", id: "agent-7" },
        data: { channel: "phone", authorKind: "agent", automatic: false, call: true },
      });
      expect(log.find((e) => e.type === "plugin.callbacks.call_logged")?.data).toMatchObject({
        outcome: "reached",
        durationSeconds: 180,
        notes: "송장 번호 안내",
      });
    });

    it("lists open call-backs soonest first, and an agent can reschedule or cancel one", async () => {
      const kit = await setup();
      const later = await request(kit, {
        requestId: "a",
        phone: "01010000001",
        preferredAt: "2026-03-02T15:00:00+09:00",
      });
      const sooner = await request(kit, { requestId: "b", phone: "01010000002" });
      const cancelled = await request(kit, { requestId: "c", phone: "01010000003" });
      await kit.desk.callbacks.cancel(cancelled.id, "customer wrote on chat", { agentId: "agent-1" });
      const queue = await kit.desk.callbacks.queue();
      expect(queue.map((q) => [q.ticket.id, q.due])).toEqual([
        [sooner.id, true],
        [later.id, false],
      ]);
      await kit.desk.callbacks.reschedule(sooner.id, new Date("2026-03-02T16:00:00+09:00"), { agentId: "agent-1" });
      expect((await kit.desk.callbacks.queue()).map((q) => q.ticket.id)).toEqual([later.id, sooner.id]);
    });

    it("starts a new call-back when the customer asks again after the last one ended, and keeps an owed one", async () => {
      const kit = await setup();
      const ticket = await request(kit, { requestId: "x1", phone: "01020000000" });
      const owed = ticket.meta.callback;
      await request(kit, { requestId: "x2", phone: "01020000000", preferredAt: "2026-03-03T15:00:00+09:00" });
      expect((await kit.desk.getTicket(ticket.id))?.meta.callback).toEqual(owed);
      await kit.desk.callbacks.logCall(ticket.id, { outcome: "wrong_number", agentId: "agent-1" });
      await request(kit, { requestId: "x3", phone: "01020000000" });
      expect(await kit.desk.callbacks.state(ticket.id)).toMatchObject({ status: "scheduled", attempts: 0 });
    });

    it("refuses a call log on a ticket that is no call-back and a malformed one, changing nothing", async () => {
      const kit = await setup();
      const chat = await kit.desk.ingest({
        type: "message",
        channel: "webchat",
        externalId: "c-1",
        occurredAt: MONDAY_10_KST,
        from: { identities: [{ kind: "webchat", value: "v1" }] },
        text: "hello",
        conversationKey: "chat-1",
      });
      const before = await kit.desk.listEvents(chat.ticket!.id);
      await expect(kit.desk.callbacks.logCall(chat.ticket!.id, { outcome: "reached", agentId: "a" })).rejects.toSatisfy(
        (e) => StoredeskError.is(e, "INVALID_INPUT"),
      );
      const phone = await request(kit, { requestId: "p", phone: "01030000000" });
      await expect(
        kit.desk.callbacks.logCall(phone.id, { outcome: "shouted" as never, agentId: "a" }),
      ).rejects.toSatisfy((e) => StoredeskError.is(e, "INVALID_INPUT"));
      expect(await kit.desk.listEvents(chat.ticket!.id)).toEqual(before);
      expect((await kit.desk.callbacks.state(phone.id))?.attempts).toBe(0);
    });

    it("confirms by SMS with the time of the call instead of the desk's acknowledgement", async () => {
      const sent: Array<{ to: string; text: string }> = [];
      const kit = await setup({
        send: async ({ to, text }) => (sent.push({ to, text }), { id: `sms-${sent.length}` }),
      });
      await request(kit, {
        requestId: "s1",
        phone: "01040000000",
        locale: "ko",
        preferredAt: "2026-03-02T15:00:00+09:00",
      });
      await kit.desk.settle();
      expect(sent).toEqual([{ to: "+821040000000", text: expect.stringContaining("15:00쯤 전화드리겠습니다") }]);
    });

    it("sends nothing without an SMS sender, and refuses an agent's text reply at once", async () => {
      const kit = await setup();
      const ticket = await request(kit, { requestId: "n1", phone: "01050000000" });
      await kit.desk.settle();
      expect((await kit.desk.listMessages(ticket.id)).map((m) => m.direction)).toEqual(["inbound"]);
      await expect(kit.desk.reply(ticket.id, { text: "안녕하세요", agentId: "agent-1" })).rejects.toSatisfy((e) =>
        StoredeskError.is(e, "REPLY_WINDOW_CLOSED"),
      );
      expect(await kit.desk.listMessages(ticket.id)).toHaveLength(1);
    });

    it("refuses to log or cancel a call-back that has ended, even two agents at once, and changes nothing", async () => {
      const kit = await setup();
      const ticket = await request(kit, { requestId: "r9", phone: "01077778888" });
      kit.clock.set(new Date(MONDAY_10_KST.getTime() + HOUR));
      // Two agents log the same call at the same instant: one counts, the other hears ILLEGAL_TRANSITION.
      const both = await Promise.allSettled([
        kit.desk.callbacks.logCall(ticket.id, { outcome: "reached", agentId: "agent-1" }),
        kit.desk.callbacks.logCall(ticket.id, { outcome: "reached", agentId: "agent-2" }),
      ]);
      expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(StoredeskError.is(refused.reason, "ILLEGAL_TRANSITION")).toBe(true);
      const before = await kit.desk.listEvents(ticket.id);
      await expect(kit.desk.callbacks.cancel(ticket.id, "dup", { agentId: "agent-1" })).rejects.toMatchObject({
        code: "ILLEGAL_TRANSITION",
      });
      expect(await kit.desk.listEvents(ticket.id)).toHaveLength(before.length);
      const calls = before.filter((e) => e.type === "plugin.callbacks.call_logged");
      expect(calls).toHaveLength(1);
      expect(before.filter((e) => e.type === "reply.sent")).toHaveLength(1);
    });

    it("cancels an owed call-back with its timer when the ticket is solved another way", async () => {
      const store = (await makeStore()) ?? memoryStore();
      const kit = phoneDesk({ store });
      const ticket = await request(kit, { requestId: "r10", phone: "01012120000" });
      expect((await store.listJobs({ ticketId: ticket.id })).map((j) => j.type)).toContain("callbacks.due");
      await kit.desk.setStatus(ticket.id, "open", { agentId: "agent-1" });
      await kit.desk.setStatus(ticket.id, "solved", { agentId: "agent-1" });
      expect(await kit.desk.callbacks.state(ticket.id)).toMatchObject({ status: "cancelled", dueAt: null });
      const cancelled = (await kit.desk.listEvents(ticket.id)).find((e) => e.type === "plugin.callbacks.cancelled");
      expect(cancelled?.data).toEqual({ reason: "ticket_solved" });
      expect((await store.listJobs({ ticketId: ticket.id })).map((j) => j.type)).not.toContain("callbacks.due");
      expect(await kit.desk.callbacks.queue()).toEqual([]);
    });
  });
}
