/** Which turns the bot takes in the ingest transaction, and what it decides there, as data. */
import { memoryStore, type Customer, type Message, type Ticket } from "@storedesk/core";
import { sampleCustomer, sampleMessage, sampleTicket } from "@storedesk/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { koreanArticles, SHOP_FAQ } from "../../test-fixtures/shop-faq.js";
import { createKnowledge, type Knowledge } from "../create-knowledge.js";
import { BotConfigSchema, NEW_BOT_STATE, type BotConfigInput, type BotState } from "./bot-config.js";
import { decideTurnInTransaction } from "./bot-turn-in-transaction.js";

const NOW = new Date("2026-12-01T02:00:00Z"); // Tuesday 11:00 KST
let knowledge: Knowledge;

beforeAll(async () => {
  knowledge = createKnowledge({ store: memoryStore() });
  await knowledge.articles.importMany(koreanArticles(SHOP_FAQ));
  await knowledge.ready();
});

function turn(
  text: string,
  opts: { bot?: BotConfigInput; generate?: boolean; state?: BotState; customer?: Customer; meta?: object } = {},
) {
  const ticket: Ticket = sampleTicket({ id: "t1", status: "open", channel: "webchat", customerId: "c1" });
  const message: Message = sampleMessage({
    ticketId: "t1",
    channel: "webchat",
    text,
    meta: { classification: { category: "other", language: "ko" }, ...opts.meta },
  });
  return decideTurnInTransaction({
    ticket,
    customer: opts.customer ?? sampleCustomer({ id: "c1" }),
    message,
    state: opts.state ?? NEW_BOT_STATE,
    knowledge,
    config: BotConfigSchema.parse(opts.bot ?? {}),
    calendar: null,
    timeZone: "Asia/Seoul",
    now: NOW,
    generate: opts.generate ?? false,
    messageId: "bot-1",
  });
}

describe("decideTurnInTransaction", () => {
  it("answers a confident question with a bot send effect, its buttons and bot.answered naming the message", () => {
    const t = turn("교환신청어떻게해요");
    expect(t.kind).toBe("decided");
    if (t.kind !== "decided") return;
    expect(t.hook.effects).toEqual([
      expect.objectContaining({
        type: "send",
        ticketId: "t1",
        authorKind: "bot",
        authorId: "knowledge-bot",
        automatic: true,
        messageId: "bot-1",
        options: {
          quickReplies: [
            { id: "kb:helpful:yes:exchange-how", title: "예" },
            { id: "kb:helpful:no:exchange-how", title: "아니요" },
          ],
        },
      }),
    ]);
    expect(t.hook.events).toEqual([
      expect.objectContaining({
        type: "bot.answered",
        actor: { kind: "bot", id: "knowledge-bot" },
        data: expect.objectContaining({ trigger: "confident_article", articleId: "exchange-how", messageId: "bot-1" }),
      }),
    ]);
    expect(t.state.awaitingFeedback?.articleId).toBe("exchange-how");
    expect(t.after.counts).toEqual([{ articleId: "exchange-how", delta: { answered: 1, views: 1 } }]);
  });

  it("hands off with the event, the tag and the desk event as effects", () => {
    const t = turn("아니요", {
      state: { ...NEW_BOT_STATE, awaitingFeedback: { articleId: "ship-fee", score: 0.9 } },
      meta: { quickReply: { id: "kb:helpful:no:ship-fee" } },
    });
    if (t.kind !== "decided") throw new Error(`deferred: ${t.reason}`);
    expect(t.hook.ticket?.tags).toContain("bot-handoff");
    expect(t.hook.events?.map((e) => e.type)).toEqual(["bot.handoff", "tags.changed"]);
    expect(t.hook.events?.[0]?.data).toEqual({
      trigger: "not_helpful",
      articleId: "ship-fee",
      score: 0.9,
      messageId: "bot-1",
      // A "아니요" is no question: the gap report leaves it out.
      topArticleId: null,
      question: null,
      questionKey: null,
      language: "ko",
    });
    expect(t.hook.effects?.map((e) => e.type)).toEqual(["send", "emit"]);
    expect(t.after.vote).toEqual({ articleId: "ship-fee", helpful: false });
  });

  it("leaves to after the commit what needs the commerce context or a model", () => {
    expect(turn("택배 언제 와요? 주문번호 1001")).toMatchObject({ kind: "deferred", reason: "commerce" });
    expect(turn("교환신청어떻게해요", { bot: { vip: { totalSpentAtLeast: 1_000_000 } } })).toMatchObject({
      kind: "deferred",
      reason: "commerce",
    });
    expect(turn("교환신청어떻게해요", { generate: true })).toMatchObject({ kind: "deferred", reason: "generate" });
    expect(turn("x".repeat(5001))).toMatchObject({ kind: "deferred", reason: "too_long" });
  });

  it("takes in the transaction what the commerce context cannot change", () => {
    const vip = sampleCustomer({ id: "c1", attributes: { vip: true } });
    expect(turn("교환신청어떻게해요", { customer: vip, bot: { vip: { totalSpentAtLeast: 1_000_000 } } })).toMatchObject(
      {
        kind: "decided",
        turn: { kind: "hand_off", reason: "vip" },
      },
    );
    expect(turn("상담원 연결해주세요", { generate: true })).toMatchObject({
      kind: "decided",
      turn: { kind: "hand_off", reason: "asked_for_person" },
    });
  });
});
