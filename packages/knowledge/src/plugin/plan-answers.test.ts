/** The bot quotes the shop's action plan (return rules, numbered claim procedure) for returns questions. */
import { createDesk, manualClock, memoryStore } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { describe, expect, it } from "vitest";
import { SHOP_FAQ } from "../../test-fixtures/shop-faq.js";
import { knowledgePlugin } from "./knowledge-plugin.js";

const refundPlan = {
  category: "refund_exchange" as const,
  responsibleTeam: "refunds",
  decisionMaker: "lead",
  informationNeeded: [],
  channels: ["webchat"],
  serviceHours: "평일 09:00–18:00",
  returnRules: "상품 수령 후 7일 이내, 사용하지 않은 상품만 반품할 수 있습니다.",
  claimProcedure: ["주문번호를 알려 주세요.", "파손 부위 사진을 보내 주세요.", "회수 기사가 방문합니다."],
  compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
};

async function setup() {
  const clock = manualClock(new Date("2026-12-01T02:00:00Z"));
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store: memoryStore(),
    clock,
    channels: [chat],
    actionPlans: [refundPlan],
    plugins: [knowledgePlugin({ bot: { channels: ["webchat"] } })],
  });
  await desk.knowledge.base.articles.importMany(
    SHOP_FAQ.map((f) => ({
      id: f.id,
      title: f.ko.q,
      body: f.ko.a,
      category: f.category,
      tags: f.tags,
      status: "published" as const,
    })),
  );
  let n = 0;
  const say = async (who: string, text: string) => {
    const r = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `m${++n}`,
      occurredAt: clock.now(),
      conversationKey: `webchat:${who}`,
      from: { identities: [{ kind: "webchat", value: who }], ...(who.startsWith("en") ? { locale: "en" } : {}) },
      text,
    });
    await desk.knowledge.bot!.idle();
    const sent = (await desk.listMessages(r.ticket!.id)).filter((m) => m.direction === "outbound");
    const answered = (await desk.listEvents(r.ticket!.id)).filter((e) => e.type === "bot.answered");
    return { ...r, sent, answered };
  };
  return { desk, say };
}

describe("knowledge bot: answers from the shop's action plan", () => {
  it("appends the plan's return rules and numbered claim procedure to a Korean article answer", async () => {
    const t = await setup();
    const { sent, answered, acknowledgement } = await t.say("minji", "교환신청어떻게해요");
    expect(acknowledgement).toBeNull();
    expect(sent).toHaveLength(1);
    const text = sent[0]!.text;
    expect(text).toContain("교환 신청");
    expect(text).toContain("반품·교환 규정: 상품 수령 후 7일 이내, 사용하지 않은 상품만 반품할 수 있습니다.");
    expect(text).toContain(
      "접수 절차:\n1. 주문번호를 알려 주세요.\n2. 파손 부위 사진을 보내 주세요.\n3. 회수 기사가 방문합니다.",
    );
    expect(answered[0]!.data).toMatchObject({
      trigger: "confident_article",
      articleId: "exchange-how",
      source: "article+action_plan",
      planCategory: "refund_exchange",
    });
  });

  it("answers an English claim question from the plan when no article is confident", async () => {
    const t = await setup();
    const { sent, answered, acknowledgement } = await t.say(
      "en-sam",
      "Can I send back the mug I bought? How does a return work?",
    );
    expect(acknowledgement).toBeNull();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.authorKind).toBe("bot");
    expect(sent[0]!.text).toBe(
      [
        "Return and exchange rules: 상품 수령 후 7일 이내, 사용하지 않은 상품만 반품할 수 있습니다.",
        "",
        "How to file a claim:",
        "1. 주문번호를 알려 주세요.",
        "2. 파손 부위 사진을 보내 주세요.",
        "3. 회수 기사가 방문합니다.",
      ].join("\n"),
    );
    expect(answered[0]!.data).toMatchObject({
      trigger: "action_plan",
      source: "action_plan",
      planCategory: "refund_exchange",
      articleId: null,
    });
  });
});
