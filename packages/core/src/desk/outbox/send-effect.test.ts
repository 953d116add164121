/** A plugin's `send` effect in the outbox: its author, its channel options and its id reach the queued message. */
import { describe, expect, it } from "vitest";
import { createDesk } from "../create-desk.js";
import { memoryStore } from "../../store-memory/memory-store.js";
import { memoryChannel } from "../../testing/memory-channel.js";
import { manualClock } from "../../ports/clock.js";
import { defineDeskPlugin } from "../../ports/desk-plugin.js";
import { ticketFacts } from "../../reports/ticket-facts.js";
import { T0, msg } from "../create-desk-kit.js";

const quickReplies = [
  { id: "yes", title: "예" },
  { id: "no", title: "아니요" },
];

/** Answers every new ticket in its ingest transaction, as a bot, with two buttons. */
const answering = defineDeskPlugin({
  specVersion: 1,
  id: "answers",
  hooks: {
    ticketCreated: ({ ticket, message }) =>
      message
        ? {
            ticket: { meta: { firstContact: "answers" } },
            events: [
              {
                type: "plugin.answers.sent",
                data: { messageId: `answer-${message.id}` },
                actor: { kind: "bot", id: "faq" },
              },
            ],
            effects: [
              {
                type: "send",
                ticketId: ticket.id,
                text: "마이페이지에서 교환 신청을 해 주세요.",
                automatic: true,
                reason: "bot_answer",
                authorKind: "bot",
                authorId: "faq",
                options: { quickReplies },
                messageId: `answer-${message.id}`,
              },
            ],
          }
        : undefined,
  },
});

describe("a plugin's send effect", () => {
  it("is queued with the effect's author, options and id, sent with the options, and reported as the bot's", async () => {
    const chat = memoryChannel({ id: "webchat" });
    const desk = createDesk({ store: memoryStore(), clock: manualClock(T0), channels: [chat], plugins: [answering] });
    const { ticket, message, acknowledgement } = await desk.ingest(msg("교환 어떻게 해요?"));
    await desk.settle();
    expect(acknowledgement).toBeNull(); // the first contact is the plugin's
    const [answer, ...rest] = (await desk.listMessages(ticket!.id)).filter((m) => m.direction === "outbound");
    expect(rest).toEqual([]);
    expect(answer).toMatchObject({
      id: `answer-${message!.id}`,
      authorKind: "bot",
      authorId: "faq",
      automatic: true,
      deliveryStatus: "sent",
      meta: { options: { quickReplies }, purpose: "bot_answer" },
    });
    expect(chat.sent).toMatchObject([{ messageId: answer!.id, options: { quickReplies } }]);
    const events = await desk.listEvents(ticket!.id);
    const sent = events.find((e) => e.type === "reply.sent");
    expect(sent).toMatchObject({
      actor: { kind: "bot", id: "faq" },
      data: { messageId: answer!.id, authorKind: "bot", automatic: true, queued: true },
    });
    expect(events.find((e) => e.type === "plugin.answers.sent")?.data.messageId).toBe(answer!.id);
    // Not a human reply: reports leave bot time out, and the ticket has no first reply yet.
    expect(ticketFacts(events)).toMatchObject({ humanReplies: 0, firstHumanReplyAt: null });
    expect((await desk.getTicket(ticket!.id)).firstRepliedAt).toBeNull();
  });
});
