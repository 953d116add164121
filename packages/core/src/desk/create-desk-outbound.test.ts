/** createDesk, ingest continued: reply windows and templates, failed sends, receipts, proactive messages, atomic updates and timers. */
import { describe, expect, it } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { StoredeskError } from "../errors.js";
import { T0, msg, setup } from "./create-desk-kit.js";

describe("createDesk ingest", () => {
  it("refuses a free-form reply outside the channel's window and sends a template instead", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const desk = createDesk({ store, clock, channels: [wa], autoAcknowledge: false });
    const { ticket } = await desk.ingest(
      msg("hello", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "821012345678" }] } }),
    );
    clock.advance(24 * 3_600_000 + 60_000);
    const err = await desk.reply(ticket!.id, { text: "Sorry for the wait", agentId: "a1" }).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "REPLY_WINDOW_CLOSED")).toBe(true);
    expect((err as StoredeskError).details?.suggestedTemplate).toBe("follow_up");
    expect(wa.sent).toHaveLength(0);
    const sent = await desk.reply(
      ticket!.id,
      { text: "follow_up", agentId: "a1", template: { name: "follow_up", language: "en" } },
      { wait: "sent" },
    );
    expect(sent.deliveryStatus).toBe("sent");
    expect(wa.sent[0]?.template?.name).toBe("follow_up");
  });

  it("sends automatic messages outside the window as the template the shop maps them to", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const purposes: string[] = [];
    const desk = createDesk({
      store,
      clock,
      channels: [wa],
      autoAcknowledge: false,
      complaint: { updateIntervalMinutes: 25 * 60 },
      templateOutsideWindow: ({ purpose, ticket, suggestedTemplate }) => {
        purposes.push(purpose);
        return purpose === "complaint_update"
          ? { name: suggestedTemplate ?? "case_update", language: "ko", parameters: { body: [`SD-${ticket.number}`] } }
          : null;
      },
    });
    const { ticket } = await desk.ingest(
      msg("정말 최악이에요. 화가 납니다!!!", {
        channel: "whatsapp",
        from: { identities: [{ kind: "whatsapp", value: "8210" }] },
      }),
    );
    await desk.advanceComplaint(ticket!.id, { type: "listened", summary: "x" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "apologized" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "resolution_started", resolution: "reship" }, { agentId: "a" });
    clock.advance(25 * 3_600_000 + 1000); // the update is due after the 24 h window closed
    await desk.runDue();
    await desk.settle();
    expect(wa.sent.at(-1)?.template).toEqual({
      name: "follow_up",
      language: "ko",
      parameters: { body: [`SD-${ticket!.number}`] },
    });
    expect(purposes).toEqual(["complaint_update"]);
    // A later update the shop maps to nothing is recorded once for the agents, without a retry loop.
    purposes.length = 0;
    const blocked = createDesk({
      store,
      clock,
      channels: [wa],
      autoAcknowledge: false,
      templateOutsideWindow: () => null,
    });
    await blocked.advanceComplaint(ticket!.id, { type: "update_sent" }, { agentId: "a" });
    clock.advance(25 * 3_600_000 + 1000);
    await blocked.runDue();
    expect((await store.listEvents(ticket!.id)).filter((e) => e.type === "complaint.update_blocked")).toHaveLength(1);
    expect((await store.listJobs({ ticketId: ticket!.id })).filter((j) => j.type === "complaint.update_due")).toEqual(
      [],
    );
    purposes.push("complaint_update");
    // A purpose the shop maps to nothing is refused as before, and no ticket is opened for it.
    await expect(
      desk.sendToCustomer(ticket!.customerId, { text: "your parcel", reason: "shipping" }),
    ).rejects.toMatchObject({ code: "REPLY_WINDOW_CLOSED" });
    expect(purposes).toEqual(["complaint_update", "proactive"]);
    expect(await store.listTickets({ customerId: ticket!.customerId })).toHaveLength(1);
  });

  it("keeps ReplyInput.purpose: an automatic reply outside the window gets the shop's template for that purpose", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const purposes: string[] = [];
    const desk = createDesk({
      store,
      clock,
      channels: [wa],
      autoAcknowledge: false,
      outbox: { wait: "sent" },
      templateOutsideWindow: ({ purpose }) => {
        purposes.push(purpose);
        return purpose === "proactive" ? { name: "order_update", language: "ko" } : null;
      },
    });
    const { ticket } = await desk.ingest(
      msg("hello", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "821099990000" }] } }),
    );
    clock.advance(25 * 3_600_000);
    const sent = await desk.reply(ticket!.id, {
      text: "주문이 출고되었습니다",
      authorKind: "system",
      automatic: true,
      purpose: "proactive",
    });
    expect(purposes).toEqual(["proactive"]);
    expect(sent.deliveryStatus).toBe("sent");
    expect(wa.sent.at(-1)?.template?.name).toBe("order_update");
    await expect(desk.reply(ticket!.id, { text: "x", purpose: "nonsense" as never })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });

  it("records a send the provider refuses for good as a failed message and rethrows the typed error", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    const failed: string[] = [];
    desk.on("message.failed", ({ message }) => failed.push(message.id));
    chat.failNextSend(new StoredeskError({ code: "PROVIDER_ERROR", message: "recipient blocked" }));
    await expect(desk.reply(ticket!.id, { text: "hi", agentId: "a1" }, { wait: "sent" })).rejects.toMatchObject({
      code: "PROVIDER_ERROR",
    });
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.at(-1)).toMatchObject({
      direction: "outbound",
      deliveryStatus: "failed",
      deliveryError: { code: "PROVIDER_ERROR" },
    });
    expect(messages.at(-1)?.meta.outbox).toMatchObject({ attempts: 1 });
    expect(failed).toEqual([messages.at(-1)!.id]);
    expect((await desk.listEvents(ticket!.id)).at(-1)).toMatchObject({ type: "reply.failed", data: { attempts: 1 } });
    expect(await desk.store.listJobs({ ticketId: ticket!.id })).toEqual([]);
  });

  it("updates delivery status from receipts, never backwards", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    const sent = await desk.reply(ticket!.id, { text: "hi", agentId: "a1" }, { wait: "sent" });
    await desk.ingest({
      type: "delivery",
      channel: "webchat",
      externalId: sent.externalId!,
      status: "read",
      occurredAt: T0,
    });
    await desk.ingest({
      type: "delivery",
      channel: "webchat",
      externalId: sent.externalId!,
      status: "delivered",
      occurredAt: T0,
    });
    expect((await desk.store.getMessage(sent.id))?.deliveryStatus).toBe("read");
    expect(
      (
        await desk.ingest({
          type: "delivery",
          channel: "webchat",
          externalId: "unknown",
          status: "read",
          occurredAt: T0,
        })
      ).outcome,
    ).toBe("parked");
  });

  it("applies a receipt that overtook the write of its message", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const late: { desk?: ReturnType<typeof createDesk> } = {};
    const fast = memoryChannel({ id: "webchat", capabilities: { deliveryReceipts: true } });
    const send = fast.send.bind(fast);
    // The provider's "failed" receipt arrives while send() has not returned yet.
    fast.send = async (m) => {
      const receipt = await send(m);
      await late.desk!.ingest({
        type: "delivery",
        channel: "webchat",
        externalId: receipt.externalId,
        status: "failed",
        occurredAt: T0,
        error: { code: "131026", title: "Message undeliverable" },
      });
      return receipt;
    };
    const desk = createDesk({ store, clock, channels: [fast], autoAcknowledge: false });
    late.desk = desk;
    const { ticket } = await desk.ingest(msg("hello"));
    const sent = await desk.reply(ticket!.id, { text: "hi", agentId: "a1" }, { wait: "sent" });
    expect(await store.getMessage(sent.id)).toMatchObject({
      deliveryStatus: "failed",
      deliveryError: { code: "131026" },
    });
  });

  it("never sends a reply whose status change the ticket cannot take", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    await expect(desk.reply(ticket!.id, { text: "bye", agentId: "a1", status: "closed" })).rejects.toMatchObject({
      code: "ILLEGAL_TRANSITION",
    });
    expect(chat.sent).toHaveLength(0);
    expect((await desk.listMessages(ticket!.id)).filter((m) => m.direction === "outbound")).toHaveLength(0);
  });

  it("sends a queued reply even when the ticket closed before it left", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    const send = chat.send.bind(chat);
    chat.send = async (m) => {
      await desk.setStatus(ticket!.id, "solved", { agentId: "a2" });
      await desk.setStatus(ticket!.id, "closed", { agentId: "a2" });
      return send(m);
    };
    const sent = await desk.reply(
      ticket!.id,
      { text: "late answer", agentId: "a1", status: "pending" },
      { wait: "sent" },
    );
    expect(chat.sent).toHaveLength(1);
    expect(await desk.store.getMessage(sent.id)).toMatchObject({ text: "late answer", deliveryStatus: "sent" });
    // The reply and its status change were one decision, before the send: the log says so in order.
    const types = (await desk.listEvents(ticket!.id)).map((e) => e.type);
    expect(types.indexOf("reply.sent")).toBeLessThan(types.lastIndexOf("status.changed"));
    expect((await desk.getTicket(ticket!.id)).status).toBe("closed");
  });

  it("keeps ingesting the other events of a webhook batch when one is refused", async () => {
    const { desk, store } = setup({ autoAcknowledge: false });
    const handler = desk.webhook("webchat");
    const batch = [
      msg("first"),
      { ...msg("bad"), from: { identities: [] } },
      msg("third", { conversationKey: "other" }),
    ];
    const res = await handler(new Request("http://x/webhook", { method: "POST", body: JSON.stringify(batch) }));
    expect(res.status).toBe(200);
    const texts = (await Promise.all((await store.listTickets({})).map((t) => store.listMessages(t.id))))
      .flat()
      .map((m) => m.text);
    expect(texts.sort()).toEqual(["first", "third"]);
    expect((await desk.webhook("nope")(new Request("http://x", { method: "POST", body: "[]" }))).status).toBe(404);
  });

  it("sends proactively only to the customer's own ticket", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const a = await desk.ingest(
      msg("hello", { from: { identities: [{ kind: "webchat", value: "a" }] }, conversationKey: "a" }),
    );
    const b = await desk.ingest(
      msg("hello", { from: { identities: [{ kind: "webchat", value: "b" }] }, conversationKey: "b" }),
    );
    await expect(
      desk.sendToCustomer(a.ticket!.customerId, {
        text: "your order shipped",
        reason: "shipping",
        ticketId: b.ticket!.id,
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(chat.sent).toHaveLength(0);
    const sent = await desk.sendToCustomer(a.ticket!.customerId, { text: "your order shipped", reason: "shipping" });
    expect(sent.ticket).toMatchObject({
      status: "solved",
      customerId: a.ticket!.customerId,
      tags: ["proactive", "shipping"],
    });
  });

  it("refuses a proactive message outside the reply window before opening a ticket", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const desk = createDesk({ store, clock, channels: [wa], autoAcknowledge: false });
    const { ticket } = await desk.ingest(
      msg("hi", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "8210" }] } }),
    );
    clock.advance(30 * 3_600_000);
    await expect(
      desk.sendToCustomer(ticket!.customerId, { text: "shipped", reason: "shipping" }),
    ).rejects.toMatchObject({ code: "REPLY_WINDOW_CLOSED" });
    expect(await store.listTickets({ customerId: ticket!.customerId })).toHaveLength(1);
  });

  it("updates several fields atomically: all land or none", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    await expect(
      desk.update(ticket!.id, { priority: "urgent", tags: ["vip"], status: "closed" }),
    ).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
    expect(await desk.getTicket(ticket!.id)).toMatchObject({ priority: ticket!.priority, tags: [] });
    await expect(desk.update(ticket!.id, { tags: [42] } as never)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.update(ticket!.id, null as never)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const updated = await desk.update(
      ticket!.id,
      { priority: "urgent", tags: ["vip"], status: "pending" },
      { agentId: "a1" },
    );
    expect(updated).toMatchObject({
      priority: "urgent",
      tags: ["vip"],
      status: "pending",
      version: ticket!.version + 1,
    });
  });

  it("cancels every timer of a ticket when it closes", async () => {
    const { desk, store } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("정말 최악이네요. 화가 납니다!!!"));
    await desk.advanceComplaint(ticket!.id, { type: "listened", summary: "x" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "apologized" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "resolution_started", resolution: "refund" }, { agentId: "a" });
    expect((await store.listJobs({ ticketId: ticket!.id })).map((j) => j.type).sort()).toEqual([
      "complaint.update_due",
      "sla.check",
    ]);
    await desk.setStatus(ticket!.id, "solved", { agentId: "a" });
    await desk.setStatus(ticket!.id, "closed", { agentId: "a" });
    expect(await store.listJobs({ ticketId: ticket!.id })).toEqual([]);
  });
});
