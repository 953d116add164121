import { describe, expect, it } from "vitest";
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { naverTalkTalkChannel, talkTalkIdentity } from "../src/index.js";

describe("one customer across TalkTalk and e-mail", () => {
  it("lands a TalkTalk chat on the e-mail customer once an agent linked the TalkTalk user", async () => {
    const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
    const talk = naverTalkTalkChannel({ authorization: "k", webhookToken: "t", clock });
    const desk = createDesk({ store: memoryStore(), channels: [talk], clock, autoAcknowledge: false });
    const mail = await desk.ingest({
      type: "message",
      channel: "email",
      externalId: "<order-1042@example.com>",
      occurredAt: clock.now(),
      from: { identities: [{ kind: "email", value: "minsu@example.com" }] },
      text: "주문 1042 문의",
    });
    // The agent recognised the TalkTalk user (same order number) and linked the two.
    await desk.linkIdentities(mail.ticket!.customerId, [talkTalkIdentity("al-2eGuGr5WQOnco1_V-FQ")]);
    const request = new Request("https://shop.example/webhooks/talktalk?token=t", {
      method: "POST",
      body: JSON.stringify({
        event: "send",
        user: "al-2eGuGr5WQOnco1_V-FQ",
        textContent: { text: "1042 배송 언제 되나요?" },
      }),
    });
    expect((await desk.webhook("naver_talk")(request)).status).toBe(200);
    const tickets = await desk.listTickets({});
    expect(tickets).toHaveLength(2);
    expect(new Set(tickets.map((t) => t.customerId))).toEqual(new Set([mail.ticket!.customerId]));
  });
});
