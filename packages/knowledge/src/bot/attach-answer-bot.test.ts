/** The answer bot on a real desk (memory store, in-memory chat channel, a fake commerce provider). */
import {
  createDesk,
  defineCalendar,
  manualClock,
  memoryStore,
  type CommerceProvider,
  type CustomerContext,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { describe, expect, it } from "vitest";
import { koreanArticles, SHOP_FAQ } from "../../test-fixtures/shop-faq.js";
import { createKnowledge } from "../create-knowledge.js";
import { attachAnswerBot } from "./attach-answer-bot.js";

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
const context = (email: string): CustomerContext => ({
  providerCustomerId: email,
  name: null,
  email,
  phone: null,
  ordersCount: 1,
  totalSpent: email.startsWith("vip") ? 3_000_000 : 59_000,
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
          estimatedDelivery: null,
          updatedAt: null,
        },
      ],
    },
  ],
});
const commerce: CommerceProvider = {
  specVersion: 1,
  id: "fake",
  customerContext: async ({ email }) => (email ? context(email) : null),
  getOrder: async () => null,
  performAction: async () => {
    throw new Error("not in this test");
  },
};

async function setup() {
  const clock = manualClock(new Date("2026-12-01T02:00:00Z")); // Tuesday 11:00 KST
  const store = memoryStore();
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({ store, clock, channels: [chat], commerce, autoAcknowledge: false });
  const knowledge = createKnowledge({ store, clock, articleUrl: (a) => `https://shop.example/help/${a.slug}` });
  await knowledge.articles.importMany(koreanArticles(SHOP_FAQ));
  const errors: unknown[] = [];
  const bot = attachAnswerBot(desk, {
    knowledge,
    clock,
    calendar: seoul,
    bot: { humanOnlyCategories: ["payment"], vip: { totalSpentAtLeast: 1_000_000 } },
    onError: (e) => errors.push(e),
  });
  let n = 0;
  const say = async (who: string, text: string, meta: Record<string, unknown> = {}) => {
    const r = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `m${++n}`,
      occurredAt: clock.now(),
      conversationKey: `chat:${who}`,
      from: { identities: [{ kind: "email", value: `${who}@example.com` }] },
      text,
      meta,
    });
    await bot.idle();
    return r.ticket!;
  };
  const last = () => chat.sent[chat.sent.length - 1]!;
  const events = async (ticketId: string) => (await desk.listEvents(ticketId)).filter((e) => e.type.startsWith("bot."));
  return { desk, knowledge, bot, clock, say, last, events, chat, errors };
}

describe("attachAnswerBot on a desk", () => {
  it("answers a confident question as the bot with quick replies, and a 'yes' solves the ticket as a deflection", async () => {
    const t = await setup();
    const ticket = await t.say("minji", "교환신청어떻게해요");
    expect(t.last().text).toContain("마이페이지 > 주문내역 > 교환 신청");
    expect(t.last().options).toEqual({
      quickReplies: [
        { id: "kb:helpful:yes:exchange-how", title: "예" },
        { id: "kb:helpful:no:exchange-how", title: "아니요" },
      ],
    });
    const messages = await t.desk.listMessages(ticket.id);
    expect(messages.at(-1)).toMatchObject({ authorKind: "bot", direction: "outbound" });
    expect((await t.desk.getTicket(ticket.id)).firstRepliedAt).toBeNull(); // not the SLA's first reply
    await t.say("minji", "예", { quickReply: { id: "kb:helpful:yes:exchange-how" } });
    const solved = await t.desk.getTicket(ticket.id);
    expect(solved.status).toBe("solved");
    expect((await t.events(ticket.id)).map((e) => [e.type, e.actor.kind])).toEqual([
      ["bot.answered", "bot"],
      ["bot.deflected", "bot"],
    ]);
    expect(await t.knowledge.articles.counters("exchange-how")).toMatchObject({ answered: 1, helpfulYes: 1 });
    expect(t.errors).toEqual([]);
  });

  it("a deflected ticket re-opens to a person when the customer writes again within the set time", async () => {
    const t = await setup();
    const ticket = await t.say("jiho", "반품비얼마에요");
    await t.say("jiho", "네");
    t.clock.advance(3_600_000);
    await t.say("jiho", "근데 회수 기사님이 아직 안 오셨어요");
    const reopened = await t.desk.getTicket(ticket.id);
    expect(reopened.status).toBe("open");
    expect(reopened.tags).toContain("bot-handoff");
    expect((await t.events(ticket.id)).at(-1)).toMatchObject({
      type: "bot.handoff",
      data: { trigger: "reopened_after_deflection" },
    });
    expect(t.last().text).toContain("상담원에게 연결해 드렸어요");
  });

  it("answers 'where is my order?' with the live status from the commerce provider", async () => {
    const t = await setup();
    const ticket = await t.say("minji", "택배 언제 와요? 주문번호 1001");
    expect(t.last().text).toBe(
      "주문 #1001: 배송 중\n택배사: CJ대한통운 (운송장 123456789)\n배송 조회: https://trace.example/123456789",
    );
    expect((await t.events(ticket.id)).map((e) => [e.type, e.data.trigger])).toEqual([
      ["bot.answered", "order_status"],
    ]);
  });

  it("hands off on each trigger and then stays quiet", async () => {
    const t = await setup();
    const cases: Array<[string, string[], string]> = [
      ["asks", ["상담원 연결해주세요"], "asked_for_person"],
      ["nohelp", ["배송비는 얼마인가요", "아니요"], "not_helpful"],
      ["vague", ["음 그게요", "그러니까 저번에 그거요"], "low_confidence"],
      ["angry", ["배송이 너무 늦고 직원도 불친절해서 정말 화가 납니다. 최악이에요"], "complaint"],
      ["vip-kim", ["배송 기간은 얼마나 걸리나요"], "vip"],
      ["payer", ["결제가 두 번 됐어요 카드 결제 취소해주세요"], "human_only_category"],
    ];
    for (const [who, texts, reason] of cases) {
      let ticketId = "";
      for (const text of texts) ticketId = (await t.say(who, text)).id;
      const handed = (await t.events(ticketId)).filter((e) => e.type === "bot.handoff");
      expect(
        handed.map((e) => e.data.trigger),
        who,
      ).toEqual([reason]);
      const sent = t.chat.sent.length;
      await t.say(who, "배송 기간은 얼마나 걸리나요");
      expect(t.chat.sent.length, `${who}: quiet after the hand-off`).toBe(sent);
    }
    expect(await t.knowledge.articles.counters("ship-fee")).toMatchObject({ answered: 1, helpfulNo: 1, handoffs: 1 });
  });

  it("questions without a confident answer show up in the gap report", async () => {
    const t = await setup();
    await t.say("a", "대량 구매 견적 받을 수 있나요");
    await t.say("b", "회사에서 대량 구매하려는데 견적 부탁드려요");
    await t.say("c", "배송비는 얼마인가요");
    const gaps = await t.knowledge.gaps({
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2026-12-02T00:00:00Z"),
    });
    expect(gaps[0]).toMatchObject({ count: 2 });
    expect(gaps[0]!.terms).toEqual(expect.arrayContaining(["대량", "견적"]));
    expect(gaps.flatMap((g) => g.examples)).not.toContain("배송비는 얼마인가요");
  });
});
