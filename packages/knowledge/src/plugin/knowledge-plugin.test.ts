/** The knowledge plugin on a real desk: the bot as pipeline hooks, one message instead of two, `desk.knowledge.*`. */
import {
  createDesk,
  defineCalendar,
  manualClock,
  memoryStore,
  StoredeskError,
  type CommerceProvider,
  type CustomerContext,
  type Store,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { describe, expect, it } from "vitest";
import { koreanArticles, SHOP_FAQ } from "../../test-fixtures/shop-faq.js";
import { storeKinds } from "../../test/stores.js";
import { knowledgePlugin, type KnowledgePluginOptions } from "./knowledge-plugin.js";

const weekdays = { start: "09:00", end: "18:00" };
const seoul = defineCalendar({
  id: "seoul",
  timeZone: "Asia/Seoul",
  weekly: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
});
const context = (email: string): CustomerContext => ({
  providerCustomerId: email,
  name: null,
  email,
  phone: null,
  ordersCount: 1,
  totalSpent: 59_000,
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

async function setup(opts: { store?: Store; plugin?: Partial<KnowledgePluginOptions>; faq?: typeof SHOP_FAQ } = {}) {
  const clock = manualClock(new Date("2026-12-01T02:00:00Z")); // Tuesday 11:00 KST
  const chat = memoryChannel({ id: "webchat" });
  const mail = memoryChannel({ id: "email" });
  const errors: unknown[] = [];
  const plugin = knowledgePlugin({
    calendar: seoul,
    articleUrl: (a) => `https://shop.example/help/${a.slug}`,
    onError: (e) => errors.push(e),
    bot: { channels: ["webchat"], humanOnlyCategories: ["payment"] },
    ...opts.plugin,
  });
  const desk = createDesk({
    store: opts.store ?? memoryStore(),
    clock,
    channels: [chat, mail],
    commerce,
    plugins: [plugin],
  });
  await desk.knowledge.articles.create(
    { id: "draft-only", title: "임시 글", body: "초안", status: "draft" },
    "agent:kim",
  );
  await desk.knowledge.base.articles.importMany(koreanArticles(opts.faq ?? SHOP_FAQ));
  const handoffs: Array<Record<string, unknown>> = [];
  desk.on("plugin.knowledge.handoff", (e) => handoffs.push(e));
  let n = 0;
  const say = async (who: string, text: string, meta: Record<string, unknown> = {}, channel = "webchat") => {
    const r = await desk.ingest({
      type: "message",
      channel,
      externalId: `m${++n}`,
      occurredAt: clock.now(),
      conversationKey: `${channel}:${who}`,
      from: { identities: [{ kind: "email", value: `${who}@example.com` }] },
      text,
      meta,
    });
    await desk.knowledge.bot!.idle();
    return r;
  };
  const outbound = async (ticketId: string) =>
    (await desk.listMessages(ticketId)).filter((m) => m.direction === "outbound");
  const botEvents = async (ticketId: string) =>
    (await desk.listEvents(ticketId)).filter((e) => e.type.startsWith("bot."));
  return { desk, clock, chat, say, outbound, botEvents, handoffs, errors };
}

describe("knowledgePlugin: the answer bot as desk hooks", () => {
  it("answers a new ticket's question as the bot with quick replies, and no acknowledgement goes out on top", async () => {
    const t = await setup();
    const { ticket, acknowledgement } = await t.say("minji", "교환신청어떻게해요");
    expect(acknowledgement).toBeNull();
    const sent = await t.outbound(ticket!.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ authorKind: "bot", automatic: true });
    expect(sent[0]!.text).toContain("교환 신청");
    expect(t.chat.sent.at(-1)!.options).toEqual({
      quickReplies: [
        { id: "kb:helpful:yes:exchange-how", title: "예" },
        { id: "kb:helpful:no:exchange-how", title: "아니요" },
      ],
    });
    const saved = await t.desk.getTicket(ticket!.id);
    expect(saved.meta.firstContact).toBe("knowledge");
    expect(saved.firstRepliedAt).toBeNull(); // a bot answer is not the SLA's first reply
    const [answered] = await t.botEvents(ticket!.id);
    expect(answered).toMatchObject({
      type: "bot.answered",
      actor: { kind: "bot" },
      data: { trigger: "confident_article", articleId: "exchange-how" },
    });
    expect(answered!.data.score).toBeGreaterThanOrEqual(0.55);
    expect(t.errors).toEqual([]);
  });

  it("a question the bot cannot answer gets the auto-acknowledgement instead, and the bot stays quiet", async () => {
    const t = await setup();
    const { ticket, acknowledgement } = await t.say("vague", "음 그게요");
    expect(acknowledgement).not.toBeNull();
    const sent = await t.outbound(ticket!.id);
    expect(sent.map((m) => m.authorKind)).toEqual(["system"]);
    expect((await t.desk.getTicket(ticket!.id)).meta.firstContact).toBeUndefined();
  });

  it("on channels the bot is not enabled for, only the acknowledgement goes out", async () => {
    const t = await setup();
    const { ticket, acknowledgement } = await t.say("mailer", "배송 기간은 얼마나 걸리나요", {}, "email");
    expect(acknowledgement).not.toBeNull();
    expect((await t.outbound(ticket!.id)).map((m) => m.authorKind)).toEqual(["system"]);
  });

  it("'아니요' hands off to a person: bot.handoff with the trigger, article and score, the event, the tag", async () => {
    const t = await setup();
    const { ticket } = await t.say("nohelp", "배송비는 얼마인가요");
    await t.say("nohelp", "아니요", { quickReply: { id: "kb:helpful:no:ship-fee" } });
    const handoff = (await t.botEvents(ticket!.id)).find((e) => e.type === "bot.handoff");
    expect(handoff?.data).toMatchObject({ trigger: "not_helpful", articleId: "ship-fee" });
    expect(typeof handoff?.data.score).toBe("number");
    expect(t.handoffs).toEqual([
      expect.objectContaining({ trigger: "not_helpful", articleId: "ship-fee", ticketId: ticket!.id }),
    ]);
    const saved = await t.desk.getTicket(ticket!.id);
    expect(saved.tags).toContain("bot-handoff");
    expect((await t.outbound(ticket!.id)).at(-1)!.text).toContain("상담원");
    expect(await t.desk.knowledge.articles.counters("ship-fee")).toMatchObject({
      answered: 1,
      helpfulNo: 1,
      handoffs: 1,
    });
  });

  it("keys the hand-off's question with the shop's own synonyms when it gives them", async () => {
    const t = await setup({ plugin: { synonyms: [["대량", "도매"]] } });
    const { ticket } = await t.say("wholesale", "도매 구매 견적 받을 수 있나요?");
    const handoff = (await t.botEvents(ticket!.id)).find((e) => e.type === "bot.handoff");
    // The shop's list replaces the defaults: 도매 → 대량, and 구매 stays 구매 (not 주문).
    expect(handoff?.data).toMatchObject({
      question: "도매 구매 견적 받을 수 있나요?",
      questionKey: "견적 구매 대량 받을",
    });
  });

  it("a hand-off after two unanswered questions carries the question, its grouping key and language; a request for a person carries none", async () => {
    const t = await setup();
    const { ticket } = await t.say("bulk", "대량 구매 견적 받을 수 있나요?");
    await t.say("bulk", "대량  구매 견적은   어디서 받나요? 010-1234-5678");
    const handoff = (await t.botEvents(ticket!.id)).find((e) => e.type === "bot.handoff");
    expect(handoff?.data).toMatchObject({
      trigger: "low_confidence",
      question: "대량 구매 견적은 어디서 받나요? [number]",
      questionKey: "견적 대량 받 어디 주문", // 구매 is keyed as 주문, its synonym in the defaults
      language: "ko",
    });
    expect(handoff?.data).toHaveProperty("topArticleId");
    const asks = await t.say("asks2", "상담원 연결해주세요");
    const person = (await t.botEvents(asks.ticket!.id)).find((e) => e.type === "bot.handoff");
    expect(person?.data).toMatchObject({ trigger: "asked_for_person", question: null, questionKey: null });
  });

  it("a new ticket asking for a person gets the bot's hand-off message saying when, not an acknowledgement as well", async () => {
    const t = await setup();
    const { ticket, acknowledgement } = await t.say("asks", "상담원 연결해주세요");
    expect(acknowledgement).toBeNull();
    const sent = await t.outbound(ticket!.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toMatch(/예상 답변/);
    expect((await t.botEvents(ticket!.id)).map((e) => [e.type, e.data.trigger])).toEqual([
      ["bot.handoff", "asked_for_person"],
    ]);
  });

  it("'예' solves the ticket as a deflection (event and tag); writing again soon re-opens it to a person", async () => {
    const t = await setup();
    const { ticket } = await t.say("jiho", "반품비얼마에요");
    await t.say("jiho", "예", { quickReply: { id: "kb:helpful:yes:return-fee" } });
    const solved = await t.desk.getTicket(ticket!.id);
    expect(solved.status).toBe("solved");
    expect(solved.tags).toContain("bot-deflected");
    t.clock.advance(3_600_000);
    await t.say("jiho", "근데 회수 기사님이 아직 안 오셨어요");
    const reopened = await t.desk.getTicket(ticket!.id);
    expect(reopened.status).toBe("open");
    expect(reopened.tags).toContain("bot-handoff");
    expect(reopened.tags).not.toContain("bot-deflected");
    expect((await t.botEvents(ticket!.id)).map((e) => [e.type, e.data.trigger])).toEqual([
      ["bot.answered", "confident_article"],
      ["bot.deflected", "helpful_yes"],
      ["bot.handoff", "reopened_after_deflection"],
    ]);
  });

  it("'where is my order?' on a new ticket is answered with the live status after the commerce context arrives, with no acknowledgement", async () => {
    const t = await setup();
    const { ticket, acknowledgement } = await t.say("buyer", "택배 언제 와요? 주문번호 1001");
    expect(acknowledgement).toBeNull();
    expect((await t.outbound(ticket!.id)).map((m) => m.text)).toEqual([
      "주문 #1001: 배송 중\n택배사: CJ대한통운 (운송장 123456789)\n배송 조회: https://trace.example/123456789",
    ]);
  });

  it("bot.hours outside_business_hours leaves the day to people", async () => {
    const t = await setup({ plugin: { bot: { channels: ["webchat"], hours: "outside_business_hours" } } });
    const { ticket, acknowledgement } = await t.say("day", "배송비는 얼마인가요");
    expect(acknowledgement).not.toBeNull();
    expect((await t.outbound(ticket!.id)).map((m) => m.authorKind)).toEqual(["system"]);
  });
});

describe("desk.knowledge methods", () => {
  it("validates and audits article writes, imports CSV, searches, reports gaps and effectiveness", async () => {
    const t = await setup();
    const changes: Array<Record<string, unknown>> = [];
    t.desk.on("plugin.knowledge.article_changed", (e) => changes.push(e));
    const bad = await t.desk.knowledge.articles.create({ title: "", body: "x" }).catch((e: unknown) => e);
    expect(StoredeskError.is(bad, "INVALID_INPUT")).toBe(true);
    await t.desk.knowledge.articles.publish("draft-only", "agent:kim");
    expect(changes).toEqual([
      expect.objectContaining({ action: "published", articleId: "draft-only", by: "agent:kim", version: 2 }),
    ]);
    expect((await t.desk.knowledge.articles.history("draft-only")).map((r) => r.action)).toEqual([
      "created",
      "published",
    ]);
    const imported = await t.desk.knowledge.importCsv(
      "질문,답변,카테고리\n반려동물 용품도 판매하나요?,네. 펫 카테고리에서 사료와 장난감을 판매해요.,product\n",
      { status: "published" },
    );
    expect(imported.created).toBe(1);
    const [hit] = await t.desk.knowledge.search("반려동물용품 파나요", { locale: "ko" });
    expect(hit?.title).toBe("반려동물 용품도 판매하나요?");
    await t.say("a", "대량 구매 견적 받을 수 있나요");
    await t.say("b", "회사에서 대량 구매하려는데 견적 부탁드려요");
    const gaps = await t.desk.knowledge.gaps({
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2026-12-02T00:00:00Z"),
    });
    expect(gaps[0]).toMatchObject({ count: 2 });
    await t.say("c", "배송비는 얼마인가요");
    const fee = (await t.desk.knowledge.effectiveness()).find((e) => e.articleId === "ship-fee");
    expect(fee).toMatchObject({ answered: 1, views: 1 });
  });
});

describe.each(storeKinds().filter((k) => k.name !== "memory store"))("knowledgePlugin on $name", (kind) => {
  it.skipIf(!kind.available)(
    "answers inside the pipeline without holding the ingest transaction",
    async () => {
      const opened = await kind.open();
      const { store } = opened;
      try {
        const t = await setup({ store, faq: SHOP_FAQ.filter((f) => f.category === "refund_exchange") });
        const { ticket, acknowledgement } = await t.say("pg", "교환신청어떻게해요");
        expect(acknowledgement).toBeNull();
        expect((await t.outbound(ticket!.id)).map((m) => m.authorKind)).toEqual(["bot"]);
      } finally {
        await opened.close();
      }
    },
    60_000,
  );
});
