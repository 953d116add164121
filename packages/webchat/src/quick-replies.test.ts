import { describe, expect, it } from "vitest";
import { chatQuickReplies } from "./quick-replies.js";
import { messageItem } from "./stream-items.js";
import { sendChatMessage } from "./send.js";
import type { OutboundMessage } from "@storedesk/core";

describe("chat quick replies", () => {
  it("keep valid { id, title } buttons in order, at most ten, titles cut to 40 characters", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, title: `답 ${i}` }));
    expect(
      chatQuickReplies({ quickReplies: [{ id: "a", title: "x".repeat(50) }, { id: "", title: "no id" }, ...many] }).map(
        (q) => [q.id, q.title.length],
      ),
    ).toEqual([["a", 40], ...many.slice(0, 9).map((q) => [q.id, q.title.length])]);
    expect(chatQuickReplies(undefined)).toEqual([]);
  });

  it("travel with the sent message (receipt meta) and reach the visitor's stream item", async () => {
    const message = {
      messageId: "m1",
      text: "도움이 되었나요?",
      options: {
        quickReplies: [
          { id: "kb:helpful:yes:a", title: "예" },
          { id: "kb:helpful:no:a", title: "아니요" },
        ],
      },
      ticket: { id: "t1", conversationKey: "v1", subject: null },
      customer: { identities: [] },
    } as unknown as OutboundMessage;
    const receipt = await sendChatMessage(message, { runtime: null, offlineMail: null });
    expect(receipt.meta).toEqual({ quickReplies: message.options!.quickReplies });
    const item = messageItem(
      {
        id: "m1",
        ticketId: "t1",
        direction: "outbound",
        authorKind: "bot",
        authorId: "knowledge-bot",
        channel: "webchat",
        externalId: receipt.externalId,
        text: message.text,
        html: null,
        attachments: [],
        deliveryStatus: "sent",
        deliveryError: null,
        visibility: "private",
        automatic: true,
        createdAt: new Date("2026-12-01T02:00:00Z"),
        meta: receipt.meta ?? {},
      },
      () => null,
    );
    expect(item?.quickReplies).toEqual([
      { id: "kb:helpful:yes:a", title: "예" },
      { id: "kb:helpful:no:a", title: "아니요" },
    ]);
  });
});
