import { describe, expect, it } from "vitest";
import { memoryStore } from "../../store-memory/index.js";
import { manualClock } from "../../ports/clock.js";
import { memoryChannel } from "../../testing/memory-channel.js";
import { watchStoreWrites } from "../../testing/hostile-input.js";
import type { InboundEventInput } from "../../domain/inbound.js";
import { createDesk } from "../create-desk.js";

const AT = new Date("2026-03-02T01:00:00Z");
const PHONE = { kind: "phone" as const, value: "+821012345678" };

function setup() {
  const clock = manualClock(AT);
  const watched = watchStoreWrites(memoryStore());
  const chat = memoryChannel({ id: "talktalk" });
  const desk = createDesk({ store: watched.store, clock, channels: [chat], autoAcknowledge: false, ownsStore: true });
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

  it("writes nothing for an unknown customer or a conversation with no open ticket", async () => {
    const { desk, inbound, echo, watched } = setup();
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
