/**
 * @storedesk/ai: a language model classifies a Korean chat message and drafts the agent's reply,
 * grounded in the customer's order and a help-center article. The models here are the AI SDK's
 * mock models answering fixed JSON, so the demo runs offline; put `openai("gpt-4.1-mini")`,
 * `anthropic(...)` or any other AI SDK model in their place. The draft is only printed: an agent
 * (or an explicit bot policy) sends it.
 */
import { createDesk, manualClock, memoryStore, type CustomerContext, type KnowledgeHit } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { categoryWords, section } from "./print.js";
import { aiClassifier, draftReply } from "@storedesk/ai";
import { MockLanguageModelV3 } from "ai/test";

/** A mock model that answers every call with `answer` as JSON, as a provider with JSON mode would. */
function mockModel(modelId: string, answer: unknown): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: "mock",
    modelId,
    doGenerate: async () => ({
      content: [{ type: "text", text: JSON.stringify(answer) }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 120, noCache: 120, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 60, text: 60, reasoning: undefined },
      },
      warnings: [],
    }),
  });
}

// What the shop's commerce provider (Shopify) would return for this customer; fixed for the demo.
const context: CustomerContext = {
  providerCustomerId: "gid://shopify/Customer/1",
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
      id: "gid://shopify/Order/1001",
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
const articles: KnowledgeHit[] = [
  {
    articleId: "faq-shipping-time",
    title: "배송 기간 안내",
    snippet: "결제 후 평일 기준 2~3일 안에 도착합니다. 도서산간 지역은 1~2일 더 걸릴 수 있어요.",
    score: 4.2,
    url: "https://shop.example/help/shipping",
    locale: "ko",
  },
];

/** What the demo did, for the example's test. */
export interface AiDemoSummary {
  decidedBy: "model" | "fallback";
  category: string;
  draft: string;
  citations: { articleIds: string[]; orderNames: string[] };
  /** Everything the drafting model received, to check that no personal data left. */
  promptSent: string;
  /** Whether the draft went out through the channel (it must not). */
  draftSent: boolean;
}

export async function aiDemo(): Promise<AiDemoSummary> {
  const classifierModel = mockModel("classifier", {
    category: "shipping",
    complaint: false,
    language: "ko",
    confidence: 0.94,
    summary: "주문 #1001 배송 일정과 운송장 번호 문의",
  });
  const classify = aiClassifier({ model: classifierModel, timeoutMs: 3000, maxOutputTokens: 200 });
  const chat = memoryChannel({ id: "webchat" });
  const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
  section("AI: a Korean message classified and a reply drafted by a (mock) model", {
    store: "in memory, a fresh one (its own desk)",
    clock,
    why: "Monday morning, as the chat scenario",
  });
  const desk = createDesk({
    store: memoryStore(),
    clock,
    channels: [chat],
    shop: { name: "모카샵", defaultLocale: "ko" },
    classifier: classify,
  });

  const text = "안녕하세요, 주문번호 #1001 배송이 언제 오나요? 급하면 010-1234-5678 로 연락 주세요.";
  const classification = await classify({ text });
  console.log(
    `classified by the ${classification.decidedBy}: ${categoryWords(classification.category)}, confidence ${classification.confidence}`,
  );
  console.log(`  model's summary: ${classification.summary}`);
  const { ticket } = await desk.ingest({
    type: "message",
    channel: "webchat",
    externalId: "ai-1",
    occurredAt: clock.now(),
    conversationKey: "chat:v-minsu",
    from: { identities: [{ kind: "webchat", value: "v-minsu" }], name: "김민수" },
    text,
  });
  if (!ticket) throw new Error("the message opened no ticket");
  const messages = await desk.listMessages(ticket.id);

  const replyModel = mockModel("drafter", {
    reply:
      "안녕하세요, 김민수 고객님. 모카샵입니다. 주문하신 #1001 린넨 셔츠는 CJ대한통운으로 배송 중이며, " +
      "운송장 번호는 612345678901이에요. 3월 3일에 도착할 예정이에요. 더 궁금한 점이 있으면 말씀해 주세요.",
    articleIds: ["faq-shipping-time"],
    orderNames: ["#1001"],
  });
  const draft = await draftReply({
    ticket,
    messages,
    customer: { name: "김민수", locale: "ko" },
    context,
    knowledge: articles,
    model: replyModel,
    shopName: "모카샵",
    tone: { korean: "haeyo", signature: "모카샵 고객센터 드림" },
  });
  console.log(`suggested reply for SD-${ticket.number} (not sent; an agent reviews it):`);
  console.log(`  ${draft.text}`);
  console.log(
    `  cites: articles ${draft.citations.articleIds.join(", ")}; orders ${draft.citations.orderNames.join(", ")}`,
  );
  const promptSent = replyModel.doGenerateCalls.map((c) => JSON.stringify(c.prompt)).join("\n");
  console.log(
    `  the customer's phone number reached the model as: ${promptSent.includes("[phone]") ? "[phone]" : "(unmasked!)"}`,
  );
  const draftSent = chat.sent.some((m) => m.text === draft.text);
  console.log(
    `  sent to the customer: ${chat.sent.length} message(s), the desk's acknowledgement; the draft: ${draftSent ? "yes (!)" : "no"}`,
  );
  return {
    decidedBy: classification.decidedBy,
    category: classification.category,
    draft: draft.text,
    citations: draft.citations,
    promptSent,
    draftSent,
  };
}
