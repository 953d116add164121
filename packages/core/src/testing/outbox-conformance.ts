/**
 * The outbox's guarantees, held on every store: a message is written `queued` with the
 * decision that makes it, sent after commit, retried on transient errors with backoff and the
 * provider's Retry-After, `failed` with the provider's reason after the last attempt, sent once
 * when several desks share the store, and at most twice when a provider does not answer.
 * `runStoreConformance` runs it; a store's own tests need nothing more.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Store } from "../ports/store.js";
import type { ChannelAdapter, OutboundMessage, SendReceipt } from "../ports/channel.js";
import { StoredeskError } from "../errors.js";
import { createDesk } from "../desk/create-desk.js";
import type { DeskOptions } from "../desk/types.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "./memory-channel.js";
import type { StoreConformanceOptions } from "./store-conformance.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
let counter = 0;

/** A channel whose provider is scripted call by call: answer, fail, or never answer. */
function scriptedChannel(
  script: Array<"ok" | "unavailable" | "refused" | "rate-limited" | "hang" | "processed-but-hang">,
) {
  const inner = memoryChannel({ id: "webchat" });
  const calls: OutboundMessage[] = [];
  const delivered: OutboundMessage[] = [];
  const adapter: ChannelAdapter = {
    ...inner,
    async send(message): Promise<SendReceipt> {
      calls.push(message);
      const step = script.shift() ?? "ok";
      if (step === "unavailable")
        throw new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "503 from the provider", retryable: true });
      if (step === "rate-limited")
        throw new StoredeskError({
          code: "RATE_LIMITED",
          message: "429",
          retryable: true,
          details: { retryAfterSeconds: 600 },
        });
      if (step === "refused")
        throw new StoredeskError({ code: "PROVIDER_ERROR", message: "recipient blocked the business" });
      if (step === "processed-but-hang") delivered.push(message);
      if (step === "hang" || step === "processed-but-hang") return new Promise<SendReceipt>(() => undefined);
      delivered.push(message);
      return { externalId: `wc-${message.messageId}`, status: "sent" };
    },
  };
  return { adapter, calls, delivered };
}

function inbound(text: string): Extract<InboundEventInput, { type: "message" }> {
  const n = counter++;
  return {
    type: "message",
    channel: "webchat",
    externalId: `in-${Date.now().toString(36)}-${n}`,
    occurredAt: T0,
    from: { identities: [{ kind: "webchat", value: `visitor-${Date.now().toString(36)}-${n}` }] },
    text,
    conversationKey: `c-${n}`,
  };
}

/**
 * Registers the outbox cases for a store (called by `runStoreConformance`).
 *
 * @example
 * runOutboxConformance({ name: "memory", makeStore: () => memoryStore() });
 */
export function runOutboxConformance(options: StoreConformanceOptions): void {
  describe(`outbox conformance: ${options.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await options.makeStore();
    });
    afterEach(async () => {
      await options.cleanup?.(store);
    });

    const setup = (script: Parameters<typeof scriptedChannel>[0], extra: Partial<DeskOptions> = {}) => {
      const clock = manualClock(T0);
      const channel = scriptedChannel(script);
      const desk = createDesk({
        store,
        clock,
        channels: [channel.adapter],
        autoAcknowledge: false,
        outbox: { backoffMs: 1_000, sendTimeoutMs: 200 },
        ...extra,
      });
      return { clock, desk, ...channel };
    };

    it("writes a reply queued with its ticket change, then sends it once and drops its job", async () => {
      const { desk, calls } = setup(["ok"]);
      const { ticket } = await desk.ingest(inbound("배송 언제 와요?"));
      const queued: string[] = [];
      desk.on("message.queued", ({ message }) => queued.push(message.deliveryStatus));
      const reply = await desk.reply(ticket!.id, { text: "오늘 출고됩니다", agentId: "kim" });
      expect(reply.deliveryStatus).toBe("queued");
      expect(queued).toEqual(["queued"]);
      expect((await desk.getTicket(ticket!.id)).firstRepliedAt).not.toBeNull();
      expect(
        (await desk.listEvents(ticket!.id)).some((e) => e.type === "reply.sent" && e.data.messageId === reply.id),
      ).toBe(true);
      await desk.settle();
      expect(calls).toHaveLength(1);
      expect(await store.getMessage(reply.id)).toMatchObject({
        deliveryStatus: "sent",
        externalId: `wc-${reply.id}`,
        meta: { outbox: { attempts: 1 } },
      });
      expect((await store.listJobs({ ticketId: ticket!.id })).filter((j) => j.type === "outbox.send")).toEqual([]);
      await desk.runDue(new Date(T0.getTime() + 3_600_000));
      expect(calls).toHaveLength(1);
    });

    it("queues the acknowledgement in the ingest's own transaction and sends it after commit", async () => {
      const { desk, calls } = setup(["ok"], { autoAcknowledge: true });
      const { ticket, acknowledgement } = await desk.ingest(inbound("환불 요청합니다"));
      expect(acknowledgement).toMatchObject({ deliveryStatus: "queued", automatic: true, authorKind: "system" });
      expect((await desk.listEvents(ticket!.id)).map((e) => e.type)).toContain("ack.sent");
      await desk.settle();
      expect(calls).toHaveLength(1);
      expect((await store.getMessage(acknowledgement!.id))?.deliveryStatus).toBe("sent");
    });

    it("retries a provider 5xx with backoff: one message, two attempts recorded", async () => {
      const { desk, calls } = setup(["unavailable", "ok"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      const first = await desk.reply(ticket!.id, { text: "답변", agentId: "kim" }, { wait: "sent" });
      expect(first).toMatchObject({
        deliveryStatus: "queued",
        meta: { outbox: { attempts: 1, lastError: { code: "PROVIDER_UNAVAILABLE" } } },
      });
      await desk.runDue(new Date(T0.getTime() + 60_000));
      expect(calls).toHaveLength(2);
      const outbound = (await desk.listMessages(ticket!.id)).filter((m) => m.direction === "outbound");
      expect(outbound).toHaveLength(1);
      expect(outbound[0]).toMatchObject({ deliveryStatus: "sent", meta: { outbox: { attempts: 2, lastError: null } } });
    });

    it("waits at least the provider's Retry-After before the next attempt", async () => {
      const { desk, calls } = setup(["rate-limited", "ok"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      const reply = await desk.reply(ticket!.id, { text: "답변", agentId: "kim" }, { wait: "sent" });
      await desk.runDue(new Date(T0.getTime() + 300_000));
      expect(calls).toHaveLength(1);
      await desk.runDue(new Date(T0.getTime() + 601_000));
      expect(calls).toHaveLength(2);
      expect((await store.getMessage(reply.id))?.deliveryStatus).toBe("sent");
    });

    it("marks a message failed with the provider's reason after the last attempt; retryMessage sends it again", async () => {
      const { desk, calls } = setup(["unavailable", "unavailable", "ok"], {
        outbox: { maxAttempts: 2, backoffMs: 1_000, sendTimeoutMs: 200 },
      });
      const { ticket } = await desk.ingest(inbound("문의"));
      const failed: string[] = [];
      desk.on("message.failed", ({ message }) => failed.push(message.id));
      const reply = await desk.reply(ticket!.id, { text: "답변", agentId: "kim" });
      await desk.settle();
      await desk.runDue(new Date(T0.getTime() + 60_000));
      expect(await store.getMessage(reply.id)).toMatchObject({
        deliveryStatus: "failed",
        deliveryError: { code: "PROVIDER_UNAVAILABLE" },
      });
      expect(failed).toEqual([reply.id]);
      expect((await desk.listEvents(ticket!.id)).filter((e) => e.type === "reply.failed")).toHaveLength(1);
      await expect(desk.retryMessage(ticket!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      const again = await desk.retryMessage(reply.id, { actor: { agentId: "kim" }, wait: "sent" });
      expect(again).toMatchObject({ id: reply.id, deliveryStatus: "sent" });
      expect(calls).toHaveLength(3);
      expect((await desk.listEvents(ticket!.id)).filter((e) => e.type === "reply.retried")).toHaveLength(1);
      await expect(desk.retryMessage(reply.id)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    });

    it("refuses for good at once what the provider will refuse again", async () => {
      const { desk, calls } = setup(["refused"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      await expect(desk.reply(ticket!.id, { text: "답변", agentId: "kim" }, { wait: "sent" })).rejects.toMatchObject({
        code: "PROVIDER_ERROR",
      });
      await desk.runDue(new Date(T0.getTime() + 3_600_000));
      expect(calls).toHaveLength(1);
    });

    it("sends a message at most twice when the provider processes calls it never answers", async () => {
      const { desk, calls, delivered } = setup(["processed-but-hang", "processed-but-hang", "ok"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      const reply = await desk.reply(ticket!.id, { text: "답변", agentId: "kim" }, { wait: "sent" });
      expect(reply.meta.outbox).toMatchObject({ attempts: 1, unanswered: 1 });
      await desk.runDue(new Date(T0.getTime() + 60_000));
      await desk.runDue(new Date(T0.getTime() + 3_600_000));
      expect(calls).toHaveLength(2);
      expect(delivered).toHaveLength(2);
      expect(await store.getMessage(reply.id)).toMatchObject({
        deliveryStatus: "failed",
        meta: { outbox: { unanswered: 2 } },
      });
    });

    it("takes a receipt that echoes our message id as the answer a timed-out send never got: not sent again", async () => {
      const { desk, calls } = setup(["processed-but-hang", "ok"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      const reply = await desk.reply(ticket!.id, { text: "답변", agentId: "kim" }, { wait: "sent" });
      expect(reply.deliveryStatus).toBe("queued");
      const result = await desk.ingest({
        type: "delivery",
        channel: "webchat",
        externalId: "wamid.ECHOED",
        status: "delivered",
        occurredAt: T0,
        messageId: reply.id,
      });
      expect(result.outcome).toBe("delivery");
      expect(await store.getMessage(reply.id)).toMatchObject({
        externalId: "wamid.ECHOED",
        deliveryStatus: "delivered",
      });
      await desk.runDue(new Date(T0.getTime() + 3_600_000));
      expect(calls).toHaveLength(1);
      // An id the receipt names for another channel's message, or one already answered, changes nothing.
      const other = await desk.ingest({
        type: "delivery",
        channel: "whatsapp",
        externalId: "wamid.OTHER",
        status: "read",
        occurredAt: T0,
        messageId: reply.id,
      });
      expect(other.outcome).toBe("parked");
    });

    it("sends a message exactly once when two desks run the scheduler on one store", async () => {
      const clock = manualClock(T0);
      const a = scriptedChannel(["hang"]);
      const b = scriptedChannel([]);
      const c = scriptedChannel([]);
      // Desk A queues and its send never comes back (as if its process died): its lease runs out.
      const deskA = createDesk({
        store,
        clock,
        channels: [a.adapter],
        autoAcknowledge: false,
        outbox: { sendTimeoutMs: 60_000, leaseMs: 120_000 },
        workerId: "a",
      });
      const { ticket } = await deskA.ingest(inbound("문의"));
      const reply = await deskA.reply(ticket!.id, { text: "답변", agentId: "kim" });
      const deskB = createDesk({ store, clock, channels: [b.adapter], autoAcknowledge: false, workerId: "b" });
      const deskC = createDesk({ store, clock, channels: [c.adapter], autoAcknowledge: false, workerId: "c" });
      const early = new Date(T0.getTime() + 60_000);
      await Promise.all([deskB.runDue(early), deskC.runDue(early)]);
      expect(b.calls.length + c.calls.length).toBe(0); // A's lease still holds it
      const later = new Date(T0.getTime() + 121_000);
      await Promise.all([deskB.runDue(later), deskC.runDue(later), deskB.runDue(later), deskC.runDue(later)]);
      expect(b.calls.length + c.calls.length).toBe(1);
      expect((await store.getMessage(reply.id))?.deliveryStatus).toBe("sent");
    });

    it("checks the reply window again before sending: a retry after it closed fails with REPLY_WINDOW_CLOSED", async () => {
      const clock = manualClock(T0);
      const wa = memoryChannel({
        id: "whatsapp",
        windowMs: 24 * 3_600_000,
        failures: [new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "503", retryable: true })],
      });
      const desk = createDesk({
        store,
        clock,
        channels: [wa],
        autoAcknowledge: false,
        outbox: { backoffMs: 1_000, sendTimeoutMs: 200 },
      });
      const { ticket } = await desk.ingest({
        ...inbound("문의"),
        channel: "whatsapp",
        from: { identities: [{ kind: "whatsapp", value: `8210${Date.now() % 100_000_000}` }] },
      });
      clock.advance(23 * 3_600_000);
      const reply = await desk.reply(ticket!.id, { text: "답변", agentId: "kim" }, { wait: "sent" });
      expect(reply.deliveryStatus).toBe("queued");
      clock.advance(2 * 3_600_000);
      await desk.runDue();
      expect(await store.getMessage(reply.id)).toMatchObject({
        deliveryStatus: "failed",
        deliveryError: { code: "REPLY_WINDOW_CLOSED" },
      });
      expect(wa.sent).toHaveLength(0);
    });

    it("store: updateMessage merges meta, sets the provider id and refuses one held by another message", async () => {
      const { desk } = setup(["ok", "ok"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      const one = await desk.reply(ticket!.id, { text: "1", agentId: "kim" }, { wait: "sent" });
      const two = await desk.reply(ticket!.id, { text: "2", agentId: "kim" }, { wait: "sent" });
      await store.scheduleJob({
        id: `j-${counter++}`,
        key: `outbox:${two.id}`,
        type: "outbox.send",
        ticketId: ticket!.id,
        runAt: T0,
        payload: {},
        attempts: 0,
        lockedBy: null,
        lockedUntil: null,
      });
      await store.updateMessage(two.id, { meta: { extra: { 한글: true } } }, { cancelJob: `outbox:${two.id}` });
      expect((await store.listJobs({ ticketId: ticket!.id })).map((j) => j.key)).not.toContain(`outbox:${two.id}`);
      expect((await store.getMessage(two.id))?.meta).toMatchObject({ extra: { 한글: true }, outbox: { attempts: 1 } });
      await expect(store.updateMessage(two.id, { externalId: one.externalId })).rejects.toMatchObject({
        code: "CONFLICT",
        details: { duplicate: true },
      });
      expect((await store.getMessage(two.id))?.externalId).toBe(two.externalId);
      await expect(store.updateMessage("no-such-message", { deliveryStatus: "sent" })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });

    it("store: insertMessage with scheduleJob writes the message and its job together, or neither", async () => {
      const { desk } = setup(["ok"]);
      const { ticket } = await desk.ingest(inbound("문의"));
      const sent = await desk.reply(ticket!.id, { text: "1", agentId: "kim" }, { wait: "sent" });
      const job = (id: string) => ({
        id: `j-${counter++}`,
        key: `outbox:${id}`,
        type: "outbox.send",
        ticketId: ticket!.id,
        runAt: T0,
        payload: { messageId: id },
        attempts: 0,
        lockedBy: "w1",
        lockedUntil: new Date(T0.getTime() + 60_000),
      });
      const fresh = { ...sent, id: `m-${counter++}`, externalId: null, deliveryStatus: "queued" as const };
      await store.insertMessage(fresh, { scheduleJob: job(fresh.id) });
      expect((await store.getMessage(fresh.id))?.deliveryStatus).toBe("queued");
      const written = (await store.listJobs({ ticketId: ticket!.id })).find((j) => j.key === `outbox:${fresh.id}`);
      expect(written).toMatchObject({ payload: { messageId: fresh.id }, lockedBy: "w1" });
      // A conflicting message (the provider id is on record): neither the message nor its job.
      const dup = { ...sent, id: `m-${counter++}` };
      await expect(store.insertMessage(dup, { scheduleJob: job(dup.id) })).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await store.getMessage(dup.id)).toBeNull();
      expect((await store.listJobs({ ticketId: ticket!.id })).map((j) => j.key)).not.toContain(`outbox:${dup.id}`);
    });

    it("store: a job scheduled with a lease is not claimable before the lease ends", async () => {
      const job = {
        id: `job-${counter++}`,
        key: `lease-${Date.now()}-${counter}`,
        type: "test.leased",
        ticketId: null,
        runAt: T0,
        payload: {},
        attempts: 0,
        lockedBy: "writer",
        lockedUntil: new Date(T0.getTime() + 60_000),
      };
      await store.scheduleJob(job);
      const scheduler = store.scheduler!;
      expect(
        (
          await scheduler.claimDue(new Date(T0.getTime() + 1_000), { workerId: "other", limit: 10, leaseMs: 1_000 })
        ).map((j) => j.key),
      ).not.toContain(job.key);
      const later = await scheduler.claimDue(new Date(T0.getTime() + 61_000), {
        workerId: "other",
        limit: 10,
        leaseMs: 1_000,
      });
      expect(later.map((j) => j.key)).toContain(job.key);
    });
  });
}
