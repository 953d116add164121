/**
 * The core flow: Korean and English customer messages arrive on an in-process
 * chat channel; the desk classifies them, threads follow-ups, drops a duplicate
 * delivery, starts SLA clocks, opens the complaint workflow and acknowledges
 * each new ticket with the expected handling time.
 */
import { createDesk, manualClock, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { outcomeWords, printInbox, section } from "./print.js";

const monday10am = new Date("2026-03-02T01:00:00Z"); // 10:00 in Seoul

/** What the chat flow did, for the example's test. */
export interface InboxDemoSummary {
  outcomes: string[];
  acknowledgements: number;
  categories: string[];
  complaintStep: string | null;
}

export async function inboxDemo(store: Store): Promise<InboxDemoSummary> {
  const clock = manualClock(monday10am);
  section("Chat: classification, threading, a duplicate delivery, one inbox", {
    store,
    clock,
    why: "Monday morning, as the email and WhatsApp scenarios",
  });
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store,
    clock,
    channels: [chat],
    shop: { name: "모카샵", defaultLocale: "ko", timeZone: "Asia/Seoul" },
    actionPlans: [
      {
        category: "complaint",
        responsibleTeam: "cs-leads",
        decisionMaker: "cs-manager",
        informationNeeded: ["order number", "photos"],
        channels: ["webchat", "email"],
        serviceHours: "Mon–Fri 09:00–18:00 KST",
        compensation: {
          currency: "KRW",
          kinds: ["discount_code", "refund"],
          limits: [{ role: "agent", maxAmount: 10000, maxPercent: 10 }],
          approverRole: "cs-manager",
        },
      },
      {
        category: "shipping",
        responsibleTeam: "logistics",
        decisionMaker: "logistics-lead",
        informationNeeded: ["order number"],
        channels: ["webchat"],
        serviceHours: "Mon–Fri 09:00–18:00 KST",
        compensation: { currency: "KRW", kinds: [], limits: [], approverRole: "cs-manager" },
      },
    ],
  });
  const say = (visitor: string, name: string, text: string, externalId: string) =>
    desk.ingest({
      type: "message",
      channel: "webchat",
      externalId,
      occurredAt: clock.now(),
      conversationKey: `chat:${visitor}`,
      from: { identities: [{ kind: "webchat", value: visitor }], name },
      text,
    });

  const results = [
    await say("v-minsu", "김민수", "주문번호 #1001 배송이 언제 오나요? 운송장 번호 알려주세요", "wc-1"),
    await say("v-emma", "Emma Stone", "Hi, I'd like a refund for the linen shirt, it doesn't fit.", "wc-2"),
    await say("v-jiyoung", "박지영", "정말 최악이네요. 파손된 상품이 왔는데 연락도 없고 너무 화가 납니다!!!", "wc-3"),
  ];
  clock.advance(20 * 60_000);
  results.push(await say("v-minsu", "김민수", "그리고 주소를 바꿔야 할 수도 있어요", "wc-4")); // same conversation → same ticket
  results.push(await say("v-emma", "Emma Stone", "Hi, I'd like a refund for the linen shirt, it doesn't fit.", "wc-2")); // redelivered

  console.log(
    "what each delivery did:",
    results.map((r) => `${outcomeWords(r.outcome)}${r.ticket ? ` (SD-${r.ticket.number})` : ""}`).join(", "),
  );
  console.log(`auto-acknowledgements sent: ${chat.sent.length}`);
  await printInbox(desk, "Inbox: every channel, one list");
  const created = results.filter((r) => r.ticket).map((r) => r.ticket!);
  return {
    outcomes: results.map((r) => r.outcome),
    acknowledgements: chat.sent.length,
    categories: [...new Set(created.map((t) => t.category))],
    complaintStep: created.find((t) => t.category === "complaint")?.complaint?.step ?? null,
  };
}
