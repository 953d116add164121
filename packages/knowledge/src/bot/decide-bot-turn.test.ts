import { defineCalendar, type Customer, type CustomerContext, type Ticket } from "@storedesk/core";
import { describe, expect, it } from "vitest";
import { BotConfigSchema, NEW_BOT_STATE, type BotState } from "./bot-config.js";
import { decideBotTurn, helpfulAnswer, type BotHit, type BotTurnInput } from "./decide-bot-turn.js";
import { sampleCustomer, sampleTicket } from "@storedesk/core/testing";

const seoul = defineCalendar({
  id: "seoul",
  timeZone: "Asia/Seoul",
  weekly: {
    mon: [{ start: "09:00", end: "18:00" }],
    tue: [{ start: "09:00", end: "18:00" }],
    wed: [{ start: "09:00", end: "18:00" }],
    thu: [{ start: "09:00", end: "18:00" }],
    fri: [{ start: "09:00", end: "18:00" }],
  },
});
const SATURDAY = new Date("2026-12-05T03:00:00Z"); // 12:00 KST, closed
const TUESDAY = new Date("2026-12-01T02:00:00Z"); // 11:00 KST, open

const ticket = (over: Partial<Ticket> = {}): Ticket =>
  sampleTicket({
    id: "t1",
    status: "new",
    channel: "webchat",
    customerId: "c1",
    createdAt: TUESDAY,
    updatedAt: TUESDAY,
    lastCustomerMessageAt: TUESDAY,
    ...over,
  });
const customer = (attributes: Record<string, unknown> = {}): Customer =>
  sampleCustomer({ id: "c1", attributes, createdAt: TUESDAY, updatedAt: TUESDAY });
const commerce: CustomerContext = {
  providerCustomerId: "p1",
  name: "김민지",
  email: "minji@example.com",
  phone: null,
  ordersCount: 1,
  totalSpent: 59000,
  currency: "KRW",
  lastOrderAt: "2026-11-29T00:00:00Z",
  fetchedAt: "2026-12-01T00:00:00Z",
  recentOrders: [
    {
      id: "o1",
      name: "#1001",
      createdAt: "2026-11-29T00:00:00Z",
      currency: "KRW",
      total: 59000,
      financialStatus: "PAID",
      fulfillmentStatus: "FULFILLED",
      cancelledAt: null,
      lines: [],
      shipments: [
        {
          id: "s1",
          status: "IN_TRANSIT",
          carrier: "CJ대한통운",
          trackingNumber: "123456789",
          trackingUrl: "https://trace.example/123456789",
          estimatedDelivery: "2026-12-02T09:00:00Z",
          updatedAt: null,
        },
      ],
    },
  ],
};
const hit = (score: number, over: Partial<BotHit> = {}): BotHit => ({
  articleId: "ship-time",
  title: "배송 기간은 얼마나 걸리나요?",
  snippet: "1~2일",
  score,
  url: "https://shop.example/help/ship-time",
  locale: "ko",
  category: "shipping",
  article: { body: "출고 후 1~2일(영업일) 안에 도착합니다." },
  ...over,
});

function turn(
  over: Partial<Omit<BotTurnInput, "state">> & {
    text?: string;
    channel?: string;
    state?: Partial<BotState> | null;
  } = {},
) {
  const { text, channel, state, ...rest } = over;
  return decideBotTurn({
    message: { text: text ?? "배송이 언제 되나요", channel: channel ?? "webchat" },
    classification: { category: "shipping", language: "ko", complaint: { signal: false } },
    ticket: ticket(),
    customer: customer(),
    commerce: null,
    hits: [hit(0.9)],
    config: BotConfigSchema.parse({}),
    calendar: seoul,
    timeZone: "Asia/Seoul",
    now: TUESDAY,
    ...rest,
    state: state === null ? null : { ...NEW_BOT_STATE, ...state },
  });
}

describe("decideBotTurn", () => {
  it("answers a confident hit with the article's answer, quick-reply buttons and 도움이 되었나요?", () => {
    const d = turn();
    expect(d.kind).toBe("answer");
    if (d.kind !== "answer") return;
    expect(d.text).toContain("출고 후 1~2일");
    expect(d.text).toContain("도움이 되었나요?");
    expect(d.buttons.map((b) => b.title)).toEqual(["예", "아니요"]);
    expect(d.state.awaitingFeedback).toEqual({ articleId: "ship-time", score: 0.9 });
  });

  it("on a channel without buttons, answers with a link to the article and asks for 예/아니요 in words", () => {
    const d = turn({ message: { text: "배송 기간", channel: "email" } });
    expect(d.kind === "answer" && d.buttons).toEqual([]);
    expect(d.kind === "answer" && d.text).toContain("자세히 보기: https://shop.example/help/ship-time");
    expect(d.kind === "answer" && d.text).toContain("'예' 또는 '아니요'");
  });

  it("answers in the conversation's language: English for an English ticket", () => {
    const d = turn({
      text: "how long is delivery",
      ticket: ticket({ language: "en" }),
      classification: { category: "shipping", language: "en" },
      hits: [hit(0.9, { articleId: "ship-time-en", locale: "en", article: { body: "Arrives in 1–2 business days." } })],
    });
    expect(d.kind === "answer" && d.text).toContain("Did this help?");
  });

  it("answers 'where is my order?' with the live status, carrier and tracking link when an order is in context", () => {
    const d = turn({ text: "택배 언제 와요?", commerce });
    expect(d).toMatchObject({ kind: "order_status", orderName: "#1001" });
    expect(d.kind === "order_status" && d.text).toContain("배송 중");
    expect(d.kind === "order_status" && d.text).toContain("CJ대한통운");
    expect(d.kind === "order_status" && d.text).toContain("https://trace.example/123456789");
  });

  it("answers an order number in the text with that order's status, in English for an English customer", () => {
    const d = turn({
      text: "where is order #1001",
      ticket: ticket({ language: "en" }),
      classification: { category: "other", language: "en" },
      commerce,
    });
    expect(d.kind === "order_status" && d.text).toMatch(/^Order #1001: in transit/);
  });

  it("hands off an order number the customer does not own instead of guessing", () => {
    expect(turn({ text: "주문번호 9999 어디쯤이에요", commerce })).toMatchObject({
      kind: "hand_off",
      reason: "order_not_found",
    });
  });

  it.each([
    "상담원 연결해주세요",
    "사람이랑 얘기하고 싶어요",
    "직원 연결 부탁드려요",
    "I want a human",
    "can I talk to an agent",
  ])("hands off when the customer asks for a person: %s", (text) => {
    expect(turn({ text })).toMatchObject({ kind: "hand_off", reason: "asked_for_person" });
  });

  it("hands off on 'no, that did not help' and remembers which article failed", () => {
    const d = turn({ text: "아니요", state: { awaitingFeedback: { articleId: "ship-time" } } });
    expect(d).toMatchObject({ kind: "hand_off", reason: "not_helpful", articleId: "ship-time" });
    expect(d.state.handedOff).toBe(true);
  });

  it("takes 'yes' (text or button payload) as resolved: a deflection", () => {
    const byText = turn({ text: "네 감사합니다", state: { awaitingFeedback: { articleId: "ship-time" } } });
    expect(byText).toMatchObject({ kind: "resolved", articleId: "ship-time" });
    expect(byText.state.deflectedAt).toBe(TUESDAY.toISOString());
    const byButton = turn({
      text: "예",
      message: { text: "예", channel: "whatsapp", meta: { interactive: { id: "kb:helpful:yes:ship-time" } } },
      state: { awaitingFeedback: { articleId: "ship-time" } },
    });
    expect(byButton.kind).toBe("resolved");
  });

  it("hands off after two low-confidence turns, not after one", () => {
    const first = turn({ hits: [hit(0.3)] });
    expect(first).toMatchObject({ kind: "nothing", reason: "low_confidence" });
    const second = turn({ hits: [hit(0.2)], state: first.state });
    expect(second).toMatchObject({ kind: "hand_off", reason: "low_confidence" });
  });

  it("hands off on a complaint signal", () => {
    expect(
      turn({
        text: "배송이 너무 늦어서 화가 나요",
        classification: { category: "shipping", language: "ko", complaint: { signal: true } },
      }),
    ).toMatchObject({ kind: "hand_off", reason: "complaint" });
  });

  it("hands off VIP customers, by attribute or by total spent", () => {
    expect(turn({ customer: customer({ vip: true }) })).toMatchObject({ kind: "hand_off", reason: "vip" });
    const config = BotConfigSchema.parse({ vip: { totalSpentAtLeast: 50000 } });
    expect(turn({ config, commerce: { ...commerce, recentOrders: [] } })).toMatchObject({
      kind: "hand_off",
      reason: "vip",
    });
  });

  it("hands off categories the shop marks human-only, by ticket category or by the article's", () => {
    const config = BotConfigSchema.parse({ humanOnlyCategories: ["refund_exchange"] });
    expect(turn({ config, classification: { category: "refund_exchange", language: "ko" } })).toMatchObject({
      kind: "hand_off",
      reason: "human_only_category",
    });
    expect(turn({ config, hits: [hit(0.9, { category: "refund_exchange" })] })).toMatchObject({
      kind: "hand_off",
      reason: "human_only_category",
    });
  });

  it("the hand-off message says when a person answers: the calendar's next opening when closed", () => {
    const d = turn({ text: "상담원", now: SATURDAY });
    expect(d.kind === "hand_off" && d.text).toBe(
      "지금은 상담 시간이 아니라 상담원에게 문의를 남겨 두었어요. 영업시간(평일 09:00–18:00)에 순서대로 답변드립니다. 예상 답변: 2026년 12월 7일 (월) 09:00 전",
    );
  });

  it("the hand-off message uses the ticket's first-reply SLA due time when there is one, in English too", () => {
    const sla = {
      policyId: "p",
      evaluatedAt: TUESDAY.toISOString(),
      metrics: [{ metric: "first_reply", dueAt: "2026-12-01T05:00:00.000Z", status: "active" }],
    } as unknown as Ticket["sla"];
    const d = turn({
      text: "agent please",
      classification: { category: "other", language: "en" },
      ticket: ticket({ sla, language: "en" }),
    });
    expect(d.kind === "hand_off" && d.text).toMatch(
      /^I have passed you to a member of our team\. We answer in order during our hours \(weekdays 09:00–18:00\)\. Expected reply: by Tue, Dec 1, 2026, 2:00 PM\.$/,
    );
  });

  it("a customer who writes again soon after a bot-resolved ticket goes to a person; much later the bot answers afresh", () => {
    const deflectedAt = new Date(TUESDAY.getTime() - 3_600_000).toISOString();
    expect(turn({ state: { deflectedAt, handedOff: false } })).toMatchObject({
      kind: "hand_off",
      reason: "reopened_after_deflection",
    });
    const longAgo = new Date(TUESDAY.getTime() - 30 * 86_400_000).toISOString();
    expect(turn({ state: { deflectedAt: longAgo } }).kind).toBe("answer");
  });

  it("stays quiet once a person has the ticket, and on channels the bot is not enabled for", () => {
    expect(turn({ state: { handedOff: true } })).toMatchObject({ kind: "nothing", reason: "handed_off" });
    expect(turn({ ticket: ticket({ assigneeId: "kim" }) })).toMatchObject({
      kind: "nothing",
      reason: "assigned_to_person",
    });
    expect(turn({ config: BotConfigSchema.parse({ channels: ["whatsapp"] }) })).toMatchObject({
      kind: "nothing",
      reason: "channel_not_enabled",
    });
  });

  it("uses a generative answer only when it cites the retrieved articles", () => {
    const generated = { text: "보통 1~2일이면 도착해요.", citedArticleIds: ["ship-time"] };
    const d = turn({ hits: [hit(0.4)], generated });
    expect(d).toMatchObject({ kind: "answer", generated: true, citedArticleIds: ["ship-time"] });
    expect(d.kind === "answer" && d.text).toContain("보통 1~2일이면 도착해요.");
    const uncited = turn({ hits: [hit(0.4)], generated: { text: "아마 내일?", citedArticleIds: ["made-up"] } });
    expect(uncited.kind).toBe("nothing");
  });
});

describe("helpfulAnswer", () => {
  it("reads yes and no in Korean and English, and leaves a question alone", () => {
    expect(["예", "네!", "yes", "도움이 됐어요"].map((t) => helpfulAnswer(t))).toEqual([true, true, true, true]);
    expect(["아니요", "아뇨", "no", "도움이 안 됐어요", "that did not help"].map((t) => helpfulAnswer(t))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(helpfulAnswer("반품은 어떻게 해요?")).toBeNull();
  });
});

describe("the hand-off promise", () => {
  it("never promises a time when the shop is closed: a calendar-time SLA due at night becomes the next opening", () => {
    const sla = {
      policyId: "p",
      evaluatedAt: TUESDAY.toISOString(),
      metrics: [{ metric: "first_reply", dueAt: "2026-12-01T16:39:00.000Z", status: "active" }],
    } as unknown as Ticket["sla"];
    const d = turn({ text: "상담원", ticket: ticket({ sla }) });
    expect(d.kind === "hand_off" && d.text).toContain("예상 답변: 2026년 12월 2일 (수) 09:00 전");
  });
});

describe("per-channel settings", () => {
  it("a channel's own hours and threshold hold over the bot's defaults", () => {
    const config = BotConfigSchema.parse({
      perChannel: { whatsapp: { hours: "outside_business_hours" }, email: { threshold: 0.95 } },
    });
    expect(turn({ config, channel: "whatsapp" })).toMatchObject({ kind: "nothing", reason: "outside_bot_hours" });
    expect(turn({ config, channel: "webchat" }).kind).toBe("answer");
    expect(turn({ config, channel: "email", hits: [hit(0.9)] }).kind).toBe("nothing");
  });
});

describe("a forced hand-off (`handOff`)", () => {
  it("hands off for the given reason over an answer, keeping the article asked about, unless the bot stays quiet anyway", () => {
    expect(turn({ handOff: "too_long" })).toMatchObject({
      kind: "hand_off",
      reason: "too_long",
      state: { handedOff: true, awaitingFeedback: null },
    });
    const asked = turn({ handOff: "bot_unavailable", state: { awaitingFeedback: { articleId: "ship-time" } } });
    expect(asked).toMatchObject({ kind: "hand_off", reason: "bot_unavailable", articleId: "ship-time" });
    expect(turn({ handOff: "too_long", ticket: ticket({ assigneeId: "kim" }) })).toMatchObject({
      kind: "nothing",
      reason: "assigned_to_person",
    });
    expect(turn({ handOff: "too_long", state: { handedOff: true } })).toMatchObject({
      kind: "nothing",
      reason: "handed_off",
    });
  });
});
