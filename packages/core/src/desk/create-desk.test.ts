import { describe, expect, it, vi } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { StoredeskError } from "../errors.js";
import { defineSlaPolicy } from "../sla/index.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Store } from "../ports/store.js";
import type { CommerceProvider } from "../ports/commerce.js";

const T0 = new Date("2026-03-02T01:00:00.000Z"); // Monday 10:00 in Seoul
let n = 0;

function msg(text: string, overrides: Partial<Extract<InboundEventInput, { type: "message" }>> = {}): InboundEventInput {
  return {
    type: "message", channel: "webchat", externalId: `ext-${++n}`, occurredAt: T0,
    from: { identities: [{ kind: "webchat", value: "visitor-1" }], name: "김민수" }, text, conversationKey: "chat-1", ...overrides,
  };
}

function setup(opts: Partial<Parameters<typeof createDesk>[0]> = {}) {
  const store = opts.store ?? memoryStore();
  const clock = manualClock(T0);
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({ store, clock, channels: [chat], ...opts });
  return { store, clock, chat, desk };
}

async function snapshot(store: Store) {
  const tickets = await store.listTickets({});
  const messages = (await Promise.all(tickets.map((t) => store.listMessages(t.id)))).flat();
  const events = (await Promise.all(tickets.map((t) => store.listEvents(t.id)))).flat();
  return { tickets, messages, events, jobs: await store.listJobs() };
}

describe("createDesk ingest", () => {
  it("opens a classified ticket with SLA targets and an auto-acknowledgement naming the expected time", async () => {
    const { desk, chat } = setup();
    const created: number[] = [];
    desk.on("ticket.created", ({ ticket }) => created.push(ticket.number));
    const r = await desk.ingest(msg("주문한 상품 배송이 언제 오나요? 운송장 번호 알려주세요"));
    expect(r.outcome).toBe("created");
    expect(r.ticket?.category).toBe("shipping");
    expect(r.ticket?.language).toBe("ko");
    expect(created).toEqual([r.ticket!.number]);
    // Shipping: first reply within 12 h of calendar time by default.
    expect(r.ticket?.sla?.metrics.find((m) => m.metric === "first_reply")?.dueAt).toBe("2026-03-02T13:00:00.000Z");
    expect(r.acknowledgement?.automatic).toBe(true);
    expect(chat.sent).toHaveLength(1);
    expect(chat.sent[0]!.text).toContain(`SD-${r.ticket!.number}`);
    expect(chat.sent[0]!.text).toContain("2026년 3월 2일");
    expect(chat.sent[0]!.text).toContain("22:00까지");
    // The acknowledgement is not a reply: the first-reply clock keeps running.
    const ticket = await desk.getTicket(r.ticket!.id);
    expect(ticket.firstRepliedAt).toBeNull();
    expect(ticket.sla?.metrics.find((m) => m.metric === "first_reply")?.status).toBe("active");
  });

  it("threads a follow-up in the same conversation onto the open ticket", async () => {
    const { desk } = setup();
    const first = await desk.ingest(msg("Where is my order #1001?"));
    const second = await desk.ingest(msg("Also, can I get the tracking number?"));
    expect(second.outcome).toBe("threaded");
    expect(second.ticket?.id).toBe(first.ticket?.id);
    expect(await desk.listMessages(first.ticket!.id)).toHaveLength(3); // 2 inbound + ack
    expect(first.ticket?.meta.orderName).toBe("#1001");
  });

  it("treats a redelivered event as a no-op", async () => {
    const { desk, store, chat } = setup();
    const event = msg("환불 요청합니다");
    const a = await desk.ingest(event);
    const before = await snapshot(store);
    const b = await desk.ingest(event);
    expect(b.outcome).toBe("duplicate");
    expect(b.message?.id).toBe(a.message?.id);
    expect(await snapshot(store)).toEqual(before);
    expect(chat.sent).toHaveLength(1);
  });

  it("takes a reused external id from another sender as a new message, not a redelivery", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const first = await desk.ingest(msg("hello", { externalId: "fixed-id@buggy-mailer" }));
    const other = await desk.ingest(msg("a different person", { externalId: "fixed-id@buggy-mailer", from: { identities: [{ kind: "webchat", value: "someone-else" }] }, conversationKey: "x" }));
    expect(other.outcome).toBe("created");
    expect(other.ticket?.customerId).not.toBe(first.ticket?.customerId);
    expect(other.message?.externalId).toBe("fixed-id@buggy-mailer#from:webchat:someone-else");
    expect((await desk.ingest(msg("a different person", { externalId: "fixed-id@buggy-mailer", from: { identities: [{ kind: "webchat", value: "someone-else" }] }, conversationKey: "x" }))).outcome).toBe("duplicate");
    // …while the first sender's redelivery stays a no-op.
    expect((await desk.ingest(msg("hello", { externalId: "fixed-id@buggy-mailer" }))).outcome).toBe("duplicate");
  });

  it("reopens a solved ticket when the customer replies, and opens a linked follow-up after close", async () => {
    const { desk } = setup();
    const { ticket } = await desk.ingest(msg("교환하고 싶어요"));
    await desk.reply(ticket!.id, { text: "교환 접수했습니다", agentId: "agent-1", status: "solved" });
    const reopened = await desk.ingest(msg("아직 교환 상품을 못 받았어요"));
    expect(reopened.outcome).toBe("reopened");
    expect(reopened.ticket?.status).toBe("open");
    await desk.setStatus(ticket!.id, "solved", { agentId: "agent-1" });
    await desk.setStatus(ticket!.id, "closed", { agentId: "agent-1" });
    await expect(desk.setPriority(ticket!.id, "high", { agentId: "agent-1" })).rejects.toMatchObject({ code: "TICKET_CLOSED" });
    const follow = await desk.ingest(msg("한 가지 더 문의드려요"));
    expect(follow.outcome).toBe("follow_up");
    expect(follow.ticket?.followUpOf).toBe(ticket!.id);
    expect(follow.ticket?.id).not.toBe(ticket!.id);
    const closedEvents = await desk.listEvents(ticket!.id);
    expect(closedEvents.at(-1)?.type).toBe("ticket.follow_up_created");
  });

  it("never attaches a stranger's message to a ticket by its number alone", async () => {
    const { desk } = setup();
    const { ticket } = await desk.ingest(msg("product question: is this in stock?"));
    const stranger = await desk.ingest(msg(`About SD-${ticket!.number}`, { from: { identities: [{ kind: "webchat", value: "intruder" }] }, ticketNumber: ticket!.number, conversationKey: "x" }));
    expect(stranger.outcome).toBe("created");
    expect(stranger.ticket?.id).not.toBe(ticket!.id);
    const owner = await desk.ingest(msg(`About SD-${ticket!.number}`, { ticketNumber: ticket!.number, conversationKey: "y" }));
    expect(owner.ticket?.id).toBe(ticket!.id);
  });

  it("links identities across channels: one customer, found by any handle", async () => {
    const { desk } = setup();
    const a = await desk.ingest(msg("hello", { from: { identities: [{ kind: "webchat", value: "visitor-9" }, { kind: "email", value: "Lee@Example.com" }] } }));
    const b = await desk.ingest(msg("payment question: charged twice", { channel: "webchat", conversationKey: "other", from: { identities: [{ kind: "email", value: "lee@example.com" }, { kind: "phone", value: "+82 10-1111-2222" }] } }));
    expect(b.ticket?.customerId).toBe(a.ticket?.customerId);
    const customer = await desk.findCustomer({ kind: "phone", value: "+821011112222" });
    expect(customer?.id).toBe(a.ticket?.customerId);
    expect(customer?.identities.map((i) => i.kind).sort()).toEqual(["email", "phone", "webchat"]);
  });

  it("merges two customers who are one person: identities, tickets and threading follow", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const desk = createDesk({ store, clock, channels: [memoryChannel({ id: "webchat" }), memoryChannel({ id: "whatsapp" })], autoAcknowledge: false });
    const mail = await desk.ingest(msg("환불 문의", { from: { identities: [{ kind: "email", value: "kim@example.com" }], name: "김민수" }, conversationKey: "m" }));
    const wa = await desk.ingest(msg("환불 어떻게 됐나요?", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "821012345678" }] }, conversationKey: "wa" }));
    expect(wa.ticket?.customerId).not.toBe(mail.ticket?.customerId);
    const merged = await desk.mergeCustomers(wa.ticket!.customerId, mail.ticket!.customerId, { agentId: "kim" });
    expect(merged.identities.map((i) => i.kind).sort()).toEqual(["email", "whatsapp"]);
    expect((await desk.findCustomer({ kind: "whatsapp", value: "821012345678" }))?.id).toBe(merged.id);
    expect((await desk.listTickets({ customerId: merged.id })).map((t) => t.id).sort()).toEqual([mail.ticket!.id, wa.ticket!.id].sort());
    expect((await desk.listEvents(wa.ticket!.id)).at(-1)).toMatchObject({ type: "customer.merged", actor: { kind: "agent", id: "kim" } });
    // The next WhatsApp message continues the moved conversation.
    expect((await desk.ingest(msg("아직인가요?", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "821012345678" }] }, conversationKey: "wa" }))).ticket?.id).toBe(wa.ticket!.id);
    await expect(desk.mergeCustomers(wa.ticket!.customerId, merged.id)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    // A redelivery of a message from before the merge is still a redelivery.
    expect((await desk.ingest(msg("환불 어떻게 됐나요?", { channel: "whatsapp", externalId: wa.message!.externalId!, from: { identities: [{ kind: "whatsapp", value: "821012345678" }] }, conversationKey: "wa" }))).outcome).toBe("duplicate");
    // The merged-away record keeps no personal data: erasing the person erases it all.
    expect(await desk.getCustomer(wa.ticket!.customerId)).toMatchObject({ name: null, identities: [], attributes: {}, mergedInto: merged.id });
  });

  it("never moves the reply window backwards for a late message dated earlier", async () => {
    const { desk, clock } = setup({ autoAcknowledge: false });
    await desk.ingest(msg("first"));
    clock.advance(3_600_000);
    const { ticket } = await desk.ingest(msg("second"));
    const late = await desk.ingest(msg("written long ago", { occurredAt: new Date(T0.getTime() - 3 * 86_400_000) }));
    expect(late.ticket?.lastCustomerMessageAt).toEqual(ticket?.lastCustomerMessageAt);
  });

  it("rejects bad input with INVALID_INPUT and changes nothing", async () => {
    const { desk, store } = setup();
    await desk.ingest(msg("hello there"));
    const before = await snapshot(store);
    const bad: unknown[] = [
      null,
      { type: "message" },
      { ...msg("x"), channel: "Not A Channel" },
      { ...msg("x"), from: { identities: [] } },
      { ...msg("x"), from: { identities: [{ kind: "fax", value: "1" }] } },
      { ...msg("x"), occurredAt: "not a date" },
      { ...msg("x"), text: 42 },
    ];
    for (const input of bad) {
      await expect(desk.ingest(input as InboundEventInput)).rejects.toSatisfy((e: unknown) => StoredeskError.is(e, "INVALID_INPUT"));
    }
    const ticketId = before.tickets[0]!.id;
    await expect(desk.setStatus(ticketId, "bogus")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.reply(ticketId, { text: "" })).rejects.toMatchObject({ code: "INVALID_INPUT", path: ["text"] });
    await expect(desk.setTags(ticketId, [""])).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.assign(ticketId, { agentId: 5 as unknown as string })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.setStatus(ticketId, "closed")).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
    await expect(desk.merge(ticketId, ticketId)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.merge("", ticketId)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.listTickets({ limit: -1 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.recordEvent(ticketId, "Bad Type!", {})).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.advanceComplaint(ticketId, { type: "nope" } as never, { agentId: "a" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.sendToCustomer("missing", { text: "", reason: "x" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await snapshot(store)).toEqual(before);
  });

  it("records every agent action in the append-only audit log", async () => {
    const { desk } = setup();
    const { ticket } = await desk.ingest(msg("사이즈 문의드립니다. 재고 있나요?"));
    const id = ticket!.id;
    await desk.assign(id, { agentId: "agent-1", team: "cs" }, { agentId: "lead" });
    await desk.note(id, { text: "VIP 고객", agentId: "agent-1" });
    await desk.setPriority(id, "high", { agentId: "agent-1" });
    await desk.setTags(id, ["size", "vip"], { agentId: "agent-1" });
    await desk.reply(id, { text: "M 사이즈 재고 있습니다", agentId: "agent-1", status: "pending" });
    const types = (await desk.listEvents(id)).map((e) => e.type);
    for (const t of ["ticket.created", "message.received", "ack.sent", "assigned", "note.added", "priority.changed", "tags.changed", "reply.sent", "status.changed"]) {
      expect(types).toContain(t);
    }
    const seqs = (await desk.listEvents(id)).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const t = await desk.getTicket(id);
    expect(t.status).toBe("pending");
    expect(t.firstRepliedAt).not.toBeNull();
    expect(t.sla?.metrics.find((m) => m.metric === "first_reply")?.status).toBe("fulfilled");
  });

  it("merges two tickets of one customer and threads later messages to the survivor", async () => {
    const { desk } = setup();
    const a = await desk.ingest(msg("refund please", { conversationKey: "a" }));
    const b = await desk.ingest(msg("also refund the other item", { conversationKey: "b" }));
    const merged = await desk.merge(a.ticket!.id, b.ticket!.id, { agentId: "agent-1" });
    expect(merged.id).toBe(b.ticket!.id);
    const source = await desk.store.getTicket(a.ticket!.id);
    expect(source?.status).toBe("closed");
    expect(source?.mergedInto).toBe(b.ticket!.id);
    expect((await desk.listMessages(b.ticket!.id)).filter((m) => m.direction === "inbound")).toHaveLength(2);
    const c = await desk.ingest(msg("any news?", { conversationKey: "z", replyTo: [a.message!.externalId!] }));
    expect(c.ticket?.id).toBe(b.ticket!.id);
    const other = await desk.ingest(msg("hi", { from: { identities: [{ kind: "webchat", value: "someone-else" }] }, conversationKey: "q" }));
    await expect(desk.merge(other.ticket!.id, b.ticket!.id)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("refuses a free-form reply outside the channel's window and sends a template instead", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const desk = createDesk({ store, clock, channels: [wa], autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "821012345678" }] } }));
    clock.advance(24 * 3_600_000 + 60_000);
    const err = await desk.reply(ticket!.id, { text: "Sorry for the wait", agentId: "a1" }).catch((e: unknown) => e);
    expect(StoredeskError.is(err, "REPLY_WINDOW_CLOSED")).toBe(true);
    expect((err as StoredeskError).details?.suggestedTemplate).toBe("follow_up");
    expect(wa.sent).toHaveLength(0);
    const sent = await desk.reply(ticket!.id, { text: "follow_up", agentId: "a1", template: { name: "follow_up", language: "en" } }, { wait: "sent" });
    expect(sent.deliveryStatus).toBe("sent");
    expect(wa.sent[0]?.template?.name).toBe("follow_up");
  });

  it("sends automatic messages outside the window as the template the shop maps them to", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const purposes: string[] = [];
    const desk = createDesk({
      store, clock, channels: [wa], autoAcknowledge: false, complaint: { updateIntervalMinutes: 25 * 60 },
      templateOutsideWindow: ({ purpose, ticket, suggestedTemplate }) => {
        purposes.push(purpose);
        return purpose === "complaint_update" ? { name: suggestedTemplate ?? "case_update", language: "ko", parameters: { body: [`SD-${ticket.number}`] } } : null;
      },
    });
    const { ticket } = await desk.ingest(msg("정말 최악이에요. 화가 납니다!!!", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "8210" }] } }));
    await desk.advanceComplaint(ticket!.id, { type: "listened", summary: "x" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "apologized" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "resolution_started", resolution: "reship" }, { agentId: "a" });
    clock.advance(25 * 3_600_000 + 1000); // the update is due after the 24 h window closed
    await desk.runDue();
    await desk.settle();
    expect(wa.sent.at(-1)?.template).toEqual({ name: "follow_up", language: "ko", parameters: { body: [`SD-${ticket!.number}`] } });
    expect(purposes).toEqual(["complaint_update"]);
    // A later update the shop maps to nothing is recorded once for the agents, without a retry loop.
    purposes.length = 0;
    const blocked = createDesk({ store, clock, channels: [wa], autoAcknowledge: false, templateOutsideWindow: () => null });
    await blocked.advanceComplaint(ticket!.id, { type: "update_sent" }, { agentId: "a" });
    clock.advance(25 * 3_600_000 + 1000);
    await blocked.runDue();
    expect((await store.listEvents(ticket!.id)).filter((e) => e.type === "complaint.update_blocked")).toHaveLength(1);
    expect((await store.listJobs({ ticketId: ticket!.id })).filter((j) => j.type === "complaint.update_due")).toEqual([]);
    purposes.push("complaint_update");
    // A purpose the shop maps to nothing is refused as before, and no ticket is opened for it.
    await expect(desk.sendToCustomer(ticket!.customerId, { text: "your parcel", reason: "shipping" })).rejects.toMatchObject({ code: "REPLY_WINDOW_CLOSED" });
    expect(purposes).toEqual(["complaint_update", "proactive"]);
    expect(await store.listTickets({ customerId: ticket!.customerId })).toHaveLength(1);
  });

  it("keeps ReplyInput.purpose: an automatic reply outside the window gets the shop's template for that purpose", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const purposes: string[] = [];
    const desk = createDesk({
      store, clock, channels: [wa], autoAcknowledge: false, outbox: { wait: "sent" },
      templateOutsideWindow: ({ purpose }) => { purposes.push(purpose); return purpose === "proactive" ? { name: "order_update", language: "ko" } : null; },
    });
    const { ticket } = await desk.ingest(msg("hello", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "821099990000" }] } }));
    clock.advance(25 * 3_600_000);
    const sent = await desk.reply(ticket!.id, { text: "주문이 출고되었습니다", authorKind: "system", automatic: true, purpose: "proactive" });
    expect(purposes).toEqual(["proactive"]);
    expect(sent.deliveryStatus).toBe("sent");
    expect(wa.sent.at(-1)?.template?.name).toBe("order_update");
    await expect(desk.reply(ticket!.id, { text: "x", purpose: "nonsense" as never })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("records a send the provider refuses for good as a failed message and rethrows the typed error", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    const failed: string[] = [];
    desk.on("message.failed", ({ message }) => failed.push(message.id));
    chat.failNextSend(new StoredeskError({ code: "PROVIDER_ERROR", message: "recipient blocked" }));
    await expect(desk.reply(ticket!.id, { text: "hi", agentId: "a1" }, { wait: "sent" })).rejects.toMatchObject({ code: "PROVIDER_ERROR" });
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.at(-1)).toMatchObject({ direction: "outbound", deliveryStatus: "failed", deliveryError: { code: "PROVIDER_ERROR" } });
    expect(messages.at(-1)?.meta.outbox).toMatchObject({ attempts: 1 });
    expect(failed).toEqual([messages.at(-1)!.id]);
    expect((await desk.listEvents(ticket!.id)).at(-1)).toMatchObject({ type: "reply.failed", data: { attempts: 1 } });
    expect(await desk.store.listJobs({ ticketId: ticket!.id })).toEqual([]);
  });

  it("updates delivery status from receipts, never backwards", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    const sent = await desk.reply(ticket!.id, { text: "hi", agentId: "a1" }, { wait: "sent" });
    await desk.ingest({ type: "delivery", channel: "webchat", externalId: sent.externalId!, status: "read", occurredAt: T0 });
    await desk.ingest({ type: "delivery", channel: "webchat", externalId: sent.externalId!, status: "delivered", occurredAt: T0 });
    expect((await desk.store.getMessage(sent.id))?.deliveryStatus).toBe("read");
    expect((await desk.ingest({ type: "delivery", channel: "webchat", externalId: "unknown", status: "read", occurredAt: T0 })).outcome).toBe("parked");
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
      await late.desk!.ingest({ type: "delivery", channel: "webchat", externalId: receipt.externalId, status: "failed", occurredAt: T0, error: { code: "131026", title: "Message undeliverable" } });
      return receipt;
    };
    const desk = createDesk({ store, clock, channels: [fast], autoAcknowledge: false });
    late.desk = desk;
    const { ticket } = await desk.ingest(msg("hello"));
    const sent = await desk.reply(ticket!.id, { text: "hi", agentId: "a1" }, { wait: "sent" });
    expect(await store.getMessage(sent.id)).toMatchObject({ deliveryStatus: "failed", deliveryError: { code: "131026" } });
  });

  it("never sends a reply whose status change the ticket cannot take", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    await expect(desk.reply(ticket!.id, { text: "bye", agentId: "a1", status: "closed" })).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
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
    const sent = await desk.reply(ticket!.id, { text: "late answer", agentId: "a1", status: "pending" }, { wait: "sent" });
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
    const batch = [msg("first"), { ...msg("bad"), from: { identities: [] } }, msg("third", { conversationKey: "other" })];
    const res = await handler(new Request("http://x/webhook", { method: "POST", body: JSON.stringify(batch) }));
    expect(res.status).toBe(200);
    const texts = (await Promise.all((await store.listTickets({})).map((t) => store.listMessages(t.id)))).flat().map((m) => m.text);
    expect(texts.sort()).toEqual(["first", "third"]);
    expect((await desk.webhook("nope")(new Request("http://x", { method: "POST", body: "[]" }))).status).toBe(404);
  });

  it("sends proactively only to the customer's own ticket", async () => {
    const { desk, chat } = setup({ autoAcknowledge: false });
    const a = await desk.ingest(msg("hello", { from: { identities: [{ kind: "webchat", value: "a" }] }, conversationKey: "a" }));
    const b = await desk.ingest(msg("hello", { from: { identities: [{ kind: "webchat", value: "b" }] }, conversationKey: "b" }));
    await expect(desk.sendToCustomer(a.ticket!.customerId, { text: "your order shipped", reason: "shipping", ticketId: b.ticket!.id })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(chat.sent).toHaveLength(0);
    const sent = await desk.sendToCustomer(a.ticket!.customerId, { text: "your order shipped", reason: "shipping" });
    expect(sent.ticket).toMatchObject({ status: "solved", customerId: a.ticket!.customerId, tags: ["proactive", "shipping"] });
  });

  it("refuses a proactive message outside the reply window before opening a ticket", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const wa = memoryChannel({ id: "whatsapp", windowMs: 24 * 3_600_000 });
    const desk = createDesk({ store, clock, channels: [wa], autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hi", { channel: "whatsapp", from: { identities: [{ kind: "whatsapp", value: "8210" }] } }));
    clock.advance(30 * 3_600_000);
    await expect(desk.sendToCustomer(ticket!.customerId, { text: "shipped", reason: "shipping" })).rejects.toMatchObject({ code: "REPLY_WINDOW_CLOSED" });
    expect(await store.listTickets({ customerId: ticket!.customerId })).toHaveLength(1);
  });

  it("updates several fields atomically: all land or none", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("hello"));
    await expect(desk.update(ticket!.id, { priority: "urgent", tags: ["vip"], status: "closed" })).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
    expect(await desk.getTicket(ticket!.id)).toMatchObject({ priority: ticket!.priority, tags: [] });
    await expect(desk.update(ticket!.id, { tags: [42] } as never)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.update(ticket!.id, null as never)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const updated = await desk.update(ticket!.id, { priority: "urgent", tags: ["vip"], status: "pending" }, { agentId: "a1" });
    expect(updated).toMatchObject({ priority: "urgent", tags: ["vip"], status: "pending", version: ticket!.version + 1 });
  });

  it("cancels every timer of a ticket when it closes", async () => {
    const { desk, store } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("정말 최악이네요. 화가 납니다!!!"));
    await desk.advanceComplaint(ticket!.id, { type: "listened", summary: "x" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "apologized" }, { agentId: "a" });
    await desk.advanceComplaint(ticket!.id, { type: "resolution_started", resolution: "refund" }, { agentId: "a" });
    expect((await store.listJobs({ ticketId: ticket!.id })).map((j) => j.type).sort()).toEqual(["complaint.update_due", "sla.check"]);
    await desk.setStatus(ticket!.id, "solved", { agentId: "a" });
    await desk.setStatus(ticket!.id, "closed", { agentId: "a" });
    expect(await store.listJobs({ ticketId: ticket!.id })).toEqual([]);
  });
});

describe("createDesk complaints", () => {
  it("turns an ongoing conversation into a complaint when the customer gets angry", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const { ticket } = await desk.ingest(msg("배송 언제 오나요?"));
    expect(ticket?.category).toBe("shipping");
    const angry = await desk.ingest(msg("벌써 2주째입니다. 정말 최악이고 너무 화가 납니다. 연락도 없고요!!!"));
    expect(angry.outcome).toBe("threaded");
    expect(angry.ticket).toMatchObject({ id: ticket!.id, category: "complaint", complaint: { step: "listen" }, meta: { topicBeforeComplaint: "shipping" } });
    expect(["high", "urgent"]).toContain(angry.ticket?.priority);
    const types = (await desk.listEvents(ticket!.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["category.changed", "priority.changed", "complaint.opened"]));
    // The complaint policy's faster first reply now applies (4 h instead of shipping's 12 h, from creation).
    expect(angry.ticket?.sla?.policyId).toBe("complaint");
    const calm = await desk.ingest(msg("그럼 기다릴게요"));
    expect(calm.ticket?.category).toBe("complaint");
  });

  it("runs an angry complaint through listen → apologize → resolve → inform → confirm → closed", async () => {
    const { desk, clock, chat } = setup({ complaint: { updateIntervalMinutes: 60 } });
    const { ticket } = await desk.ingest(msg("정말 최악이네요. 상품이 파손돼서 왔는데 연락도 없고 너무 화가 납니다!!!"));
    expect(ticket?.category).toBe("complaint");
    expect(ticket?.priority === "high" || ticket?.priority === "urgent").toBe(true);
    expect(ticket?.complaint?.step).toBe("listen");
    const id = ticket!.id;
    await expect(desk.advanceComplaint(id, { type: "apologized" }, { agentId: "a1" })).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
    await desk.advanceComplaint(id, { type: "listened", summary: "상품 파손, 연락 없음" }, { agentId: "a1" });
    await desk.advanceComplaint(id, { type: "apologized" }, { agentId: "a1" });
    await desk.advanceComplaint(id, { type: "resolution_started", resolution: "새 상품 재발송" }, { agentId: "a1" });
    const sentBefore = chat.sent.length;
    clock.advance(61 * 60_000);
    await desk.runDue();
    expect(chat.sent.length).toBe(sentBefore + 1); // an automatic progress update
    expect((await desk.getTicket(id)).complaint?.step).toBe("inform");
    await desk.advanceComplaint(id, { type: "resolution_done" }, { agentId: "a1" });
    expect(chat.sent.at(-1)?.text).toContain("새 상품 재발송");
    await desk.advanceComplaint(id, { type: "customer_confirmed", satisfied: false, note: "아직 불량" }, { agentId: "a1" });
    expect((await desk.getTicket(id)).complaint?.step).toBe("resolve");
    await desk.advanceComplaint(id, { type: "resolution_done", resolution: "전액 환불" }, { agentId: "a1" });
    await expect(desk.advanceComplaint(id, { type: "customer_confirmed", satisfied: true }, { agentId: "a1" })).rejects.toMatchObject({ code: "INVALID_INPUT", path: ["rootCause"] });
    const closed = await desk.advanceComplaint(id, { type: "customer_confirmed", satisfied: true, rootCause: "damaged_in_transit" }, { agentId: "a1" });
    expect(closed.complaint).toMatchObject({ step: "closed", rootCause: "damaged_in_transit", reopenCount: 1 });
    expect(closed.complaint?.history.map((h) => h.step)).toEqual(["listen", "apologize", "resolve", "inform", "inform", "confirm", "resolve", "confirm", "closed"]);
    expect((await desk.store.listJobs({ ticketId: id })).filter((j) => j.type === "complaint.update_due")).toEqual([]);
  });
});

describe("createDesk SLA timers", () => {
  const policy = defineSlaPolicy({
    id: "fast", name: "Fast", warnBeforeMinutes: 30,
    targets: { default: { first_reply: { minutes: 120, time: "calendar" } } },
    escalations: [{ on: "breach", metrics: ["first_reply"], raisePriority: "urgent", assignTeam: "leads", notify: ["lead@shop.example"] }],
  });

  it("fires warning and breach on time through runDue, escalates, and survives a restart", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const seen: string[] = [];
    const desk1 = createDesk({ store, clock, sla: { policies: [policy] }, autoAcknowledge: false });
    const { ticket } = await desk1.ingest(msg("hello, question"));
    expect((await store.listJobs({ ticketId: ticket!.id })).map((j) => j.runAt.toISOString())).toEqual(["2026-03-02T02:30:00.000Z"]);
    // The process dies; a new desk on the same store picks the timers up.
    const desk2 = createDesk({ store, clock, sla: { policies: [policy] }, autoAcknowledge: false });
    desk2.on("sla.warning", ({ metric }) => seen.push(`warn:${metric}`));
    desk2.on("sla.breached", ({ metric }) => seen.push(`breach:${metric}`));
    desk2.on("sla.escalated", ({ notify }) => seen.push(`notify:${notify.join(",")}`));
    clock.set(new Date("2026-03-02T02:29:00.000Z"));
    expect((await desk2.runDue()).ran).toBe(0);
    clock.set(new Date("2026-03-02T02:30:00.000Z"));
    await desk2.runDue();
    expect(seen).toEqual(["warn:first_reply"]);
    clock.set(new Date("2026-03-02T03:00:00.000Z"));
    await desk2.runDue();
    expect(seen).toEqual(["warn:first_reply", "breach:first_reply", "notify:lead@shop.example"]);
    const t = await desk2.getTicket(ticket!.id);
    expect(t.priority).toBe("urgent");
    expect(t.team).toBe("leads");
    await desk2.runDue(new Date("2026-03-02T05:00:00.000Z"));
    expect(seen).toHaveLength(3); // each fires once
  });
});

describe("createDesk text hygiene", () => {
  it("cuts an over-long text instead of refusing it, and bounds over-long keys by hashing them", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const longId = "메".repeat(900); // 2,700 UTF-8 bytes: beyond any btree index
    const r = await desk.ingest(msg("x".repeat(250_000), { externalId: longId, conversationKey: "제목".repeat(400) }));
    expect(r.message?.text).toHaveLength(200_000);
    expect(r.message?.meta.truncated).toEqual({ textChars: 250_000, htmlChars: 0 });
    expect(r.message?.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.ticket?.conversationKey).toMatch(/^sha256:/);
    // The same long id delivered again maps to the same key: a no-op.
    expect((await desk.ingest(msg("again", { externalId: longId }))).outcome).toBe("duplicate");
  });

  it("replaces half an emoji (an unpaired surrogate) instead of losing the message", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const r = await desk.ingest(msg("교환 \ud83d 언제", { meta: { title: "\udc00x" } }));
    expect(r.message).toMatchObject({ text: "교환 \ufffd 언제", meta: { title: "\ufffdx" } });
  });

  it("keeps a message that carries NUL characters, without them (no store can hold them)", async () => {
    const { desk } = setup({ autoAcknowledge: false });
    const r = await desk.ingest(msg("broken\u0000 mail", { subject: "re\u0000: hi", meta: { header: "x\u0000y", list: ["a\u0000"] } }));
    expect(r.message).toMatchObject({ text: "broken mail", meta: { header: "xy", list: ["a"], subject: "re: hi" } });
  });
});

describe("createDesk commerce context", () => {
  const order = {
    id: "gid://shopify/Order/1001", name: "#1001", createdAt: "2026-02-27T03:00:00Z", currency: "KRW", total: 89000,
    financialStatus: "PAID", fulfillmentStatus: "FULFILLED", cancelledAt: null, lines: [{ id: "l1", title: "린넨 셔츠", quantity: 1, price: 89000, sku: "LS-M" }],
    shipments: [{ id: "f1", status: "IN_TRANSIT", carrier: "CJ대한통운", trackingNumber: "6543210987", trackingUrl: "https://trace.example/6543210987", estimatedDelivery: "2026-03-04", updatedAt: null }],
  };
  const lookups: unknown[] = [];
  const commerce: CommerceProvider = {
    specVersion: 1, id: "fake-shop",
    async customerContext(lookup) {
      lookups.push(lookup);
      return { providerCustomerId: "gid://shopify/Customer/7", name: "김민수", email: "minsu@example.com", phone: "+821012345678", ordersCount: 12, totalSpent: 1_250_000, currency: "KRW", lastOrderAt: order.createdAt, recentOrders: [order], fetchedAt: T0.toISOString() };
    },
    async getOrder() { return order; },
    async performAction() { throw new Error("not in this test"); },
  };

  it("puts the customer's orders on a new ticket, links the shop's identities, raises a high-value customer, and fills order templates", async () => {
    lookups.length = 0;
    const { desk } = setup({
      commerce, autoAcknowledge: false, commerceContext: { highValueTotalSpent: 1_000_000 },
      templates: [{ id: "wismo", name: "Where is my order", locales: { ko: { subject: null, body: "{{customer.name}}님, 주문 {{order.name}}은 {{tracking.carrier}}로 배송 중이며 {{order.estimatedDelivery}} 도착 예정입니다: {{tracking.url}}" } } }],
    });
    const { ticket } = await desk.ingest(msg("주문번호 #1001 어디쯤 왔나요?", { from: { identities: [{ kind: "email", value: "minsu@example.com" }], name: "김민수" } }));
    expect(ticket).toMatchObject({ category: "shipping", priority: "high", meta: { orderId: order.id, orderName: "#1001", commerce: { ordersCount: 12 } } });
    const customer = await desk.getCustomer(ticket!.customerId);
    expect(customer?.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(["email:minsu@example.com", "phone:+821012345678", "shopify:gid://shopify/Customer/7"]);
    const { body } = await desk.renderForTicket("wismo", ticket!.id);
    expect(body).toBe("김민수님, 주문 #1001은 CJ대한통운로 배송 중이며 2026-03-04 도착 예정입니다: https://trace.example/6543210987");
    // Cached: a second ticket of the same customer within the TTL does not ask the shop again.
    await desk.ingest(msg("another question about a size", { from: { identities: [{ kind: "email", value: "minsu@example.com" }] }, conversationKey: "second" }));
    expect(lookups).toHaveLength(1);
    expect((await desk.listEvents(ticket!.id)).map((e) => e.type)).toEqual(expect.arrayContaining(["commerce.context", "priority.changed"]));
  });
});

describe("createDesk scheduler loop", () => {
  it("startScheduler polls runDue on a timer until stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const policy = defineSlaPolicy({ id: "p", name: "p", warnBeforeMinutes: 0, targets: { default: { first_reply: { minutes: 1, time: "calendar" } } } });
      const { desk, clock } = setup({ autoAcknowledge: false, sla: { policies: [policy] } });
      const breached: string[] = [];
      desk.on("sla.breached", ({ metric }) => breached.push(metric));
      await desk.ingest(msg("hello"));
      const stop = desk.startScheduler(1000);
      clock.advance(2 * 60_000);
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(breached).toEqual(["first_reply"]));
      stop();
      await desk.ingest(msg("again", { conversationKey: "second" }));
      clock.advance(2 * 60_000);
      await vi.advanceTimersByTimeAsync(5000);
      expect(breached).toEqual(["first_reply"]); // stopped: nothing more fires
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("classification on record", () => {
  it("records the deciding model and its per-category scores on the ticket.created event and the message", async () => {
    const desk = createDesk({ store: memoryStore(), autoAcknowledge: false });
    const result = await desk.ingest({
      type: "message", channel: "email", externalId: "cls-1", occurredAt: new Date("2026-03-02T01:00:00Z"),
      from: { identities: [{ kind: "email", value: "lee@example.com" }] }, text: "주문한 운동화 배송이 아직 안 왔어요. 언제 오나요?",
    });
    const created = (await desk.listEvents(result.ticket!.id)).find((e) => e.type === "ticket.created")!;
    const recorded = created.data.classification as { modelId: string; scores: Record<string, number> };
    expect(recorded.modelId).toMatch(/\S/);
    expect(recorded.scores.shipping).toBeGreaterThan(recorded.scores.payment ?? 0);
    expect((result.message!.meta.classification as { modelId: string }).modelId).toBe(recorded.modelId);
  });
});
