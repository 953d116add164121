import { describe, expect, it } from "vitest";
import { defineDeskPlugin } from "../../../ports/desk-plugin.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { createDesk } from "../../create-desk.js";

/** A plugin that answers first messages itself, as the knowledge bot does. */
const answersFirst = defineDeskPlugin({
  specVersion: 1,
  id: "answers-first",
  hooks: {
    ticketCreated: ({ message }) =>
      message?.text.includes("FAQ") ? { ticket: { meta: { firstContact: "answers-first" } } } : undefined,
  },
});

describe("auto-acknowledgement and a plugin that takes the first contact", () => {
  it("stays quiet on a new ticket whose first message a plugin answers, and acknowledges the others", async () => {
    const chat = memoryChannel({ id: "webchat" });
    const desk = createDesk({
      store: memoryStore(),
      channels: [chat],
      plugins: [answersFirst],
      outbox: { wait: "sent" },
    });
    const ingest = (externalId: string, text: string) =>
      desk.ingest({
        type: "message",
        channel: "webchat",
        externalId,
        occurredAt: new Date(),
        conversationKey: externalId,
        from: { identities: [{ kind: "webchat", value: externalId }] },
        text,
      });
    const taken = await ingest("v1", "FAQ: 배송은 얼마나 걸리나요?");
    expect(taken.acknowledgement).toBeNull();
    const plain = await ingest("v2", "선물 포장 되나요?");
    expect(plain.acknowledgement).not.toBeNull();
    expect(chat.sent.map((m) => m.ticket.id)).toEqual([plain.ticket!.id]);
  });
});
