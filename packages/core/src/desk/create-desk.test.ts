/** createDesk, ingest: tickets, threading, redeliveries, customers across channels, merges, bad input and the audit log. */
import { describe, expect, it } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { StoredeskError } from "../errors.js";
import type { InboundEventInput } from "../domain/inbound.js";
import { T0, msg, setup, snapshot } from "./create-desk-kit.js";

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
    const other = await desk.ingest(
      msg("a different person", {
        externalId: "fixed-id@buggy-mailer",
        from: { identities: [{ kind: "webchat", value: "someone-else" }] },
        conversationKey: "x",
      }),
    );
    expect(other.outcome).toBe("created");
    expect(other.ticket?.customerId).not.toBe(first.ticket?.customerId);
    expect(other.message?.externalId).toBe("fixed-id@buggy-mailer#from:webchat:someone-else");
    expect(
      (
        await desk.ingest(
          msg("a different person", {
            externalId: "fixed-id@buggy-mailer",
            from: { identities: [{ kind: "webchat", value: "someone-else" }] },
            conversationKey: "x",
          }),
        )
      ).outcome,
    ).toBe("duplicate");
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
    await expect(desk.setPriority(ticket!.id, "high", { agentId: "agent-1" })).rejects.toMatchObject({
      code: "TICKET_CLOSED",
    });
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
    const stranger = await desk.ingest(
      msg(`About SD-${ticket!.number}`, {
        from: { identities: [{ kind: "webchat", value: "intruder" }] },
        ticketNumber: ticket!.number,
        conversationKey: "x",
      }),
    );
    expect(stranger.outcome).toBe("created");
    expect(stranger.ticket?.id).not.toBe(ticket!.id);
    const owner = await desk.ingest(
      msg(`About SD-${ticket!.number}`, { ticketNumber: ticket!.number, conversationKey: "y" }),
    );
    expect(owner.ticket?.id).toBe(ticket!.id);
  });

  it("links identities across channels: one customer, found by any handle", async () => {
    const { desk } = setup();
    const a = await desk.ingest(
      msg("hello", {
        from: {
          identities: [
            { kind: "webchat", value: "visitor-9" },
            { kind: "email", value: "Lee@Example.com" },
          ],
        },
      }),
    );
    const b = await desk.ingest(
      msg("payment question: charged twice", {
        channel: "webchat",
        conversationKey: "other",
        from: {
          identities: [
            { kind: "email", value: "lee@example.com" },
            { kind: "phone", value: "+82 10-1111-2222" },
          ],
        },
      }),
    );
    expect(b.ticket?.customerId).toBe(a.ticket?.customerId);
    const customer = await desk.findCustomer({ kind: "phone", value: "+821011112222" });
    expect(customer?.id).toBe(a.ticket?.customerId);
    expect(customer?.identities.map((i) => i.kind).sort()).toEqual(["email", "phone", "webchat"]);
  });

  it("merges two customers who are one person: identities, tickets and threading follow", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const desk = createDesk({
      store,
      clock,
      channels: [memoryChannel({ id: "webchat" }), memoryChannel({ id: "whatsapp" })],
      autoAcknowledge: false,
    });
    const mail = await desk.ingest(
      msg("환불 문의", {
        from: { identities: [{ kind: "email", value: "kim@example.com" }], name: "김민수" },
        conversationKey: "m",
      }),
    );
    const wa = await desk.ingest(
      msg("환불 어떻게 됐나요?", {
        channel: "whatsapp",
        from: { identities: [{ kind: "whatsapp", value: "821012345678" }] },
        conversationKey: "wa",
      }),
    );
    expect(wa.ticket?.customerId).not.toBe(mail.ticket?.customerId);
    const merged = await desk.mergeCustomers(wa.ticket!.customerId, mail.ticket!.customerId, { agentId: "kim" });
    expect(merged.identities.map((i) => i.kind).sort()).toEqual(["email", "whatsapp"]);
    expect((await desk.findCustomer({ kind: "whatsapp", value: "821012345678" }))?.id).toBe(merged.id);
    expect((await desk.listTickets({ customerId: merged.id })).map((t) => t.id).sort()).toEqual(
      [mail.ticket!.id, wa.ticket!.id].sort(),
    );
    expect((await desk.listEvents(wa.ticket!.id)).at(-1)).toMatchObject({
      type: "customer.merged",
      actor: { kind: "agent", id: "kim" },
    });
    // The next WhatsApp message continues the moved conversation.
    expect(
      (
        await desk.ingest(
          msg("아직인가요?", {
            channel: "whatsapp",
            from: { identities: [{ kind: "whatsapp", value: "821012345678" }] },
            conversationKey: "wa",
          }),
        )
      ).ticket?.id,
    ).toBe(wa.ticket!.id);
    await expect(desk.mergeCustomers(wa.ticket!.customerId, merged.id)).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    // A redelivery of a message from before the merge is still a redelivery.
    expect(
      (
        await desk.ingest(
          msg("환불 어떻게 됐나요?", {
            channel: "whatsapp",
            externalId: wa.message!.externalId!,
            from: { identities: [{ kind: "whatsapp", value: "821012345678" }] },
            conversationKey: "wa",
          }),
        )
      ).outcome,
    ).toBe("duplicate");
    // The merged-away record keeps no personal data: erasing the person erases it all.
    expect(await desk.getCustomer(wa.ticket!.customerId)).toMatchObject({
      name: null,
      identities: [],
      attributes: {},
      mergedInto: merged.id,
    });
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
      await expect(desk.ingest(input as InboundEventInput)).rejects.toSatisfy((e: unknown) =>
        StoredeskError.is(e, "INVALID_INPUT"),
      );
    }
    const ticketId = before.tickets[0]!.id;
    await expect(desk.setStatus(ticketId, "bogus")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.reply(ticketId, { text: "" })).rejects.toMatchObject({ code: "INVALID_INPUT", path: ["text"] });
    await expect(desk.setTags(ticketId, [""])).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.assign(ticketId, { agentId: 5 as unknown as string })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(desk.setStatus(ticketId, "closed")).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
    await expect(desk.merge(ticketId, ticketId)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.merge("", ticketId)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.listTickets({ limit: -1 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.recordEvent(ticketId, "Bad Type!", {})).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(desk.advanceComplaint(ticketId, { type: "nope" } as never, { agentId: "a" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(desk.sendToCustomer("missing", { text: "", reason: "x" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
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
    for (const t of [
      "ticket.created",
      "message.received",
      "ack.sent",
      "assigned",
      "note.added",
      "priority.changed",
      "tags.changed",
      "reply.sent",
      "status.changed",
    ]) {
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
    const other = await desk.ingest(
      msg("hi", { from: { identities: [{ kind: "webchat", value: "someone-else" }] }, conversationKey: "q" }),
    );
    await expect(desk.merge(other.ticket!.id, b.ticket!.id)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
