import { StoredeskError, type CustomerContext, type KnowledgeBase, type KnowledgeHit } from "@storedesk/core";
import { describe, expect, it, vi } from "vitest";
import { answeringModel, failingModel, hangingModel, receivedPrompt } from "../test/mock-models.js";
import { draftReply } from "./draft-reply.js";
import type { ThreadMessage } from "./prompt.js";

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 1, minute));
const ticket = { id: "t1", number: 7, subject: "배송 문의", language: "ko", category: "shipping" as const };
const messages: ThreadMessage[] = [
  {
    direction: "inbound",
    authorKind: "customer",
    text: "주문번호 #1001 배송이 언제 오나요? 010-1234-5678 로 연락 주세요",
    createdAt: at(0),
  },
  {
    direction: "note",
    authorKind: "agent",
    text: "VIP 고객, 보상 쿠폰 검토 중 (내부 메모)",
    createdAt: at(1),
    visibility: "internal",
  },
  {
    direction: "inbound",
    authorKind: "customer",
    text: "메일은 minsu@example.com 이에요. 카드 4111 1111 1111 1111 로 결제했어요",
    createdAt: at(2),
  },
];
const context: CustomerContext = {
  providerCustomerId: "c1",
  name: "김민수",
  email: "minsu@example.com",
  phone: "+821012345678",
  ordersCount: 1,
  totalSpent: 39000,
  currency: "KRW",
  lastOrderAt: "2026-02-27T03:00:00Z",
  fetchedAt: "2026-03-02T01:00:00Z",
  recentOrders: [
    {
      id: "o1",
      name: "#1001",
      createdAt: "2026-02-27T03:00:00Z",
      currency: "KRW",
      total: 39000,
      financialStatus: "paid",
      fulfillmentStatus: "fulfilled",
      cancelledAt: null,
      lines: [{ id: "l1", title: "린넨 셔츠", quantity: 1, price: 39000, sku: "LS-1" }],
      shipments: [
        {
          id: "s1",
          status: "in_transit",
          carrier: "CJ대한통운",
          trackingNumber: "612345678901",
          trackingUrl: null,
          estimatedDelivery: "2026-03-03",
          updatedAt: null,
        },
      ],
    },
  ],
};
const hits: KnowledgeHit[] = [
  {
    articleId: "faq-shipping",
    title: "배송 기간",
    snippet: "결제 후 2~3일 안에 도착합니다.",
    score: 3,
    url: null,
    locale: "ko",
  },
];
const answer = {
  reply: "안녕하세요, 고객님. 주문 #1001은 CJ대한통운으로 배송 중이며 3월 3일 도착 예정이에요.",
  articleIds: ["faq-shipping"],
  orderNames: ["#1001"],
};

describe("draftReply", () => {
  it("returns the reply with the article and order it cited, and never sends", async () => {
    const draft = await draftReply({
      ticket,
      messages,
      context,
      knowledge: hits,
      model: answeringModel(answer),
    });
    expect(draft).toEqual({
      text: answer.reply,
      language: "ko",
      citations: { articleIds: ["faq-shipping"], orderNames: ["#1001"] },
      rejectedCitations: [],
      modelId: "mock:answering",
      requiresApproval: true,
    });
  });

  it("drops citations of articles and orders that were not given to the model", async () => {
    const model = answeringModel({
      ...answer,
      articleIds: ["faq-shipping", "faq-invented"],
      orderNames: ["#1001", "#9999"],
    });
    const draft = await draftReply({ ticket, messages, context, knowledge: hits, model });
    expect(draft.citations).toEqual({ articleIds: ["faq-shipping"], orderNames: ["#1001"] });
    expect(draft.rejectedCitations).toEqual(["faq-invented", "#9999"]);
  });

  it("asks for Korean honorific speech (해요체 by default, 합니다체 on request)", async () => {
    const haeyo = answeringModel(answer);
    await draftReply({ ticket, messages, model: haeyo });
    expect(receivedPrompt(haeyo)).toContain("해요체");
    const hamnida = answeringModel(answer);
    await draftReply({
      ticket,
      messages,
      model: hamnida,
      tone: { korean: "hamnida", signature: "모카샵 고객센터 드림" },
    });
    expect(receivedPrompt(hamnida)).toContain("합니다체");
    expect(receivedPrompt(hamnida)).toContain("모카샵 고객센터 드림");
  });

  it("replies in English to an English ticket", async () => {
    const model = answeringModel(answer);
    const draft = await draftReply({
      ticket: { ...ticket, language: "en" },
      messages: [{ direction: "inbound", authorKind: "customer", text: "Where is my order?", createdAt: at(0) }],
      model,
    });
    expect(draft.language).toBe("en");
    expect(receivedPrompt(model)).not.toContain("해요체");
  });

  it("searches a knowledge base with the customer's latest message, in the ticket's language", async () => {
    const search = vi.fn(async () => hits);
    const knowledge: KnowledgeBase = { specVersion: 1, search };
    const model = answeringModel(answer);
    await draftReply({ ticket, messages, knowledge, model });
    expect(search).toHaveBeenCalledWith(messages[2]!.text, { locale: "ko", limit: 3 });
    expect(receivedPrompt(model)).toContain("faq-shipping");
  });

  it("sends no unredacted email, phone, card or internal note to the model", async () => {
    const model = answeringModel(answer);
    await draftReply({ ticket, messages, context, knowledge: hits, model });
    const prompt = receivedPrompt(model);
    expect(prompt).toContain("#1001");
    for (const raw of ["minsu@example.com", "010-1234-5678", "+821012345678", "4111 1111 1111 1111", "내부 메모"]) {
      expect(prompt).not.toContain(raw);
    }
  });

  it("throws a retryable PROVIDER_UNAVAILABLE on timeout and PROVIDER_ERROR on a provider failure", async () => {
    const timedOut = draftReply({ ticket, messages, model: hangingModel(), timeoutMs: 50 });
    await expect(timedOut).rejects.toSatisfy((e) => StoredeskError.is(e, "PROVIDER_UNAVAILABLE") && e.retryable);
    const failed = draftReply({ ticket, messages, model: failingModel() });
    await expect(failed).rejects.toSatisfy((e) => StoredeskError.is(e, "PROVIDER_ERROR"));
  });

  it("throws PROVIDER_ERROR, not retryable, when the answer breaks the schema", async () => {
    const failed = draftReply({ ticket, messages, model: answeringModel({ reply: "", articleIds: "x" }) });
    await expect(failed).rejects.toSatisfy((e) => StoredeskError.is(e, "PROVIDER_ERROR") && !e.retryable);
  });
});
