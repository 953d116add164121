import { describe, expect, it } from "vitest";
import { memoryStore } from "../../store-memory/index.js";
import { manualClock } from "../../ports/clock.js";
import { memoryChannel } from "../../testing/memory-channel.js";
import { watchStoreWrites } from "../../testing/hostile-input.js";
import type { InboundEventInput } from "../../domain/inbound.js";
import { createDesk } from "../create-desk.js";
import type { DeskOptions } from "../types.js";
import { computeReport } from "../../reports/compute-report.js";

const AT = new Date("2026-03-02T01:00:00Z");
const PHONE = { kind: "phone" as const, value: "+821012345678" };

function setup(options: Partial<DeskOptions> = {}) {
  const clock = manualClock(AT);
  const watched = watchStoreWrites(memoryStore());
  const chat = memoryChannel({ id: "talktalk" });
  const desk = createDesk({
    store: watched.store,
    clock,
    channels: [chat],
    autoAcknowledge: false,
    ownsStore: true,
    ...options,
  });
  const inbound = (externalId: string, conversationKey = "talk:u1") =>
    desk.ingest({
      type: "message",
      channel: "talktalk",
      externalId,
      occurredAt: clock.now(),
      text: "배송 언제 와요?",
      from: { identities: [PHONE] },
      conversationKey,
    });
  const echo = (externalId: string, extra: Partial<Extract<InboundEventInput, { type: "echo" }>> = {}) =>
    desk.ingest({
      type: "echo",
      channel: "talktalk",
      externalId,
      occurredAt: clock.now(),
      to: { identities: [PHONE] },
      conversationKey: "talk:u1",
      text: "내일 출고됩니다",
      author: { name: "상담원 김" },
      ...extra,
    });
  return { desk, clock, chat, watched, inbound, echo };
}

describe("echoes: the shop's replies from the provider's own inbox", () => {
  it("records the reply on the conversation's open ticket as the agent's: status, first reply, SLA, audit", async () => {
    const { desk, clock, chat, inbound, echo } = setup();
    const { ticket } = await inbound("in-1");
    clock.advance(30 * 60_000);
    const result = await echo("out-1");
    expect(result.outcome).toBe("external_reply");
    expect(result.ticket!.id).toBe(ticket!.id);
    expect(result.ticket!.status).toBe("open");
    expect(result.ticket!.firstRepliedAt).toEqual(clock.now());
    const firstReply = result.ticket!.sla!.metrics.find((m) => m.metric === "first_reply");
    expect(firstReply?.status).toBe("fulfilled");
    const messages = await desk.listMessages(ticket!.id);
    expect(messages.map((m) => [m.direction, m.authorKind, m.deliveryStatus, m.externalId])).toEqual([
      ["inbound", "customer", "received", "in-1"],
      ["outbound", "agent", "sent", "out-1"],
    ]);
    expect(messages[1]!.meta.external).toEqual({ source: "provider_inbox", authorName: "상담원 김", authorId: null });
    const replies = (await desk.listEvents(ticket!.id)).filter((e) => e.type === "reply.sent");
    expect(replies).toEqual([
      expect.objectContaining({
        actor: { kind: "agent", id: "external:talktalk" },
        data: expect.objectContaining({ external: true, authorName: "상담원 김", authorKind: "agent" }),
      }),
    ]);
    expect(chat.sent).toEqual([]); // recorded, never sent again
  });

  it("is a no-op when redelivered, and for an echo of the desk's own message", async () => {
    const { desk, inbound, echo, watched } = setup();
    const { ticket } = await inbound("in-1");
    const own = await desk.reply(ticket!.id, { text: "확인 중입니다", agentId: "kim" }, { wait: "sent" });
    await echo("out-1");
    watched.reset();
    expect((await echo("out-1")).outcome).toBe("duplicate");
    const ownEcho = await echo(own.externalId!, { text: "확인 중입니다" });
    expect(ownEcho.outcome).toBe("duplicate");
    expect(ownEcho.message!.id).toBe(own.id);
    expect(watched.writes()).toEqual([]);
    expect(await desk.listMessages(ticket!.id)).toHaveLength(3);
  });

  it("with openTicketsFromEchoes off, writes nothing for an unknown customer or a conversation with no open ticket", async () => {
    const { desk, inbound, echo, watched } = setup({ openTicketsFromEchoes: false });
    const { ticket } = await inbound("in-1");
    watched.reset();
    const stranger = await echo("out-1", { to: { identities: [{ kind: "phone", value: "+821099998888" }] } });
    expect(stranger).toEqual({ outcome: "unmatched", ticket: null, message: null });
    expect((await echo("out-2", { conversationKey: "talk:other" })).outcome).toBe("unmatched");
    await desk.setStatus(ticket!.id, "solved", { agentId: "kim" });
    await desk.setStatus(ticket!.id, "closed", { agentId: "kim" });
    watched.reset();
    expect((await echo("out-3")).outcome).toBe("unmatched");
    expect(watched.writes()).toEqual([]);
    // Limited to other channels: still off here.
    const limited = setup({ openTicketsFromEchoes: { channels: ["messenger"] } });
    expect((await limited.echo("out-1")).outcome).toBe("unmatched");
  });

  it("opens a pending ticket when the shop starts a conversation there; the customer's answer threads onto it", async () => {
    const { desk, clock, chat, echo } = setup({ autoAcknowledge: true });
    const opened: string[] = [];
    desk.on("ticket.created", ({ ticket, message }) => opened.push(`${ticket.number}:${message?.externalId}`));
    const stranger = { kind: "phone" as const, value: "+821099998888" };
    const result = await echo("out-1", {
      to: { identities: [stranger] },
      conversationKey: "talk:u2",
      text: "안녕하세요, 주문하신 린넨 셔츠 M 사이즈가 품절되어 연락드립니다.\n다른 색상으로 보내드릴까요?",
    });
    expect(result.outcome).toBe("external_reply");
    const ticket = result.ticket!;
    expect(ticket).toMatchObject({
      status: "pending",
      channel: "talktalk",
      conversationKey: "talk:u2",
      tags: ["provider-inbox"],
      subject: "안녕하세요, 주문하신 린넨 셔츠 M 사이즈가 품절되어 연락드립니다.",
      language: "ko",
      lastCustomerMessageAt: null,
      firstRepliedAt: clock.now(),
      meta: { origin: "provider_inbox" },
    });
    expect(opened).toEqual([`${ticket.number}:out-1`]);
    const customer = (await desk.findCustomer(stranger))!;
    expect(ticket.customerId).toBe(customer.id);
    expect((await desk.listEvents(ticket.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(["ticket.created", "reply.sent", "status.changed"]),
    );
    // No SLA clock runs on the shop's own message, and nothing is sent: no acknowledgement.
    expect(ticket.sla?.metrics.filter((m) => m.status === "active") ?? []).toEqual([]);
    expect(chat.sent).toEqual([]);

    clock.advance(60 * 60_000);
    const answer = await desk.ingest({
      type: "message",
      channel: "talktalk",
      externalId: "in-9",
      occurredAt: clock.now(),
      text: "네 검정색으로 보내주세요",
      from: { identities: [stranger] },
      conversationKey: "talk:u2",
    });
    expect(answer.outcome).toBe("threaded");
    expect(answer.ticket!.id).toBe(ticket.id);
    expect(answer.ticket!.status).toBe("open");
    expect((await desk.listMessages(ticket.id)).map((m) => m.externalId)).toEqual(["out-1", "in-9"]);
    expect(chat.sent).toEqual([]); // threaded: no acknowledgement either
    expect(await desk.listTickets({})).toHaveLength(1);

    // Reports: no first reply time on a ticket the shop opened; the agent's next reply is timed.
    clock.advance(10 * 60_000);
    await desk.reply(ticket.id, { text: "검정색으로 보내드리겠습니다", agentId: "kim" }, { wait: "sent" });
    const report = computeReport(await desk.listEvents(ticket.id));
    expect(report.tickets).toBe(1);
    expect(report.firstReply.count).toBe(0);
    expect(report.nextReply).toMatchObject({ count: 1, medianMs: 10 * 60_000 });
  });

  it("opens a new ticket after the conversation's ticket closed, for the known customer; a redelivery is a no-op", async () => {
    const { desk, inbound, echo, watched } = setup();
    const { ticket: first } = await inbound("in-1");
    await desk.setStatus(first!.id, "solved", { agentId: "kim" });
    await desk.setStatus(first!.id, "closed", { agentId: "kim" });
    const result = await echo("out-3");
    expect(result.ticket!.id).not.toBe(first!.id);
    expect(result.ticket!.customerId).toBe(first!.customerId);
    watched.reset();
    expect((await echo("out-3")).outcome).toBe("duplicate");
    expect(watched.writes()).toEqual([]);
    expect(await desk.listTickets({})).toHaveLength(2);
  });

  it("opens one ticket when the same echo arrives twice at once", async () => {
    const { desk, echo } = setup();
    const to = { identities: [{ kind: "phone" as const, value: "+821077776666" }] };
    const results = await Promise.all([echo("out-7", { to }), echo("out-7", { to })]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["duplicate", "external_reply"]);
    expect(await desk.listTickets({})).toHaveLength(1);
    expect(results[0].ticket!.id).toBe(results[1].ticket!.id);
  });

  it("finds the ticket by a reply id when the provider names the message answered", async () => {
    const { inbound, echo } = setup();
    const { ticket } = await inbound("in-1", "conversation-a");
    const result = await echo("out-1", { conversationKey: null, replyTo: ["in-1"] });
    expect(result.outcome).toBe("external_reply");
    expect(result.ticket!.id).toBe(ticket!.id);
  });

  it("keeps input order in a webhook batch: the customer's message, then the echo answering it", async () => {
    const { desk, chat } = setup();
    const body = [
      {
        type: "message",
        channel: "talktalk",
        externalId: "in-1",
        occurredAt: AT.toISOString(),
        text: "문의",
        from: { identities: [PHONE] },
        conversationKey: "talk:u1",
      },
      {
        type: "echo",
        channel: "talktalk",
        externalId: "out-1",
        occurredAt: AT.toISOString(),
        to: { identities: [PHONE] },
        conversationKey: "talk:u1",
        text: "답변",
      },
    ];
    const handler = desk.webhook("talktalk");
    const response = await handler(
      new Request("http://x/hooks/talktalk", { method: "POST", body: JSON.stringify(body) }),
    );
    expect(response.status).toBe(200);
    const [ticket] = await desk.listTickets({});
    expect((await desk.listMessages(ticket!.id)).map((m) => m.direction)).toEqual(["inbound", "outbound"]);
    expect(chat.sent).toEqual([]);
  });

  it("refuses a malformed echo with INVALID_INPUT and writes nothing", async () => {
    const { desk, inbound, watched } = setup();
    await inbound("in-1");
    watched.reset();
    const bad = {
      type: "echo",
      channel: "talktalk",
      externalId: "out-1",
      occurredAt: AT,
      text: "x",
      to: { identities: [] },
    };
    await expect(desk.ingest(bad as never)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(watched.writes()).toEqual([]);
  });
});
