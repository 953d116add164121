import { createDesk, memoryStore, manualClock, type InboundEventInput } from "../packages/core/src/index.js";
import { memoryChannel } from "../packages/core/src/testing/memory-channel.js";
const TEXTS = ["주문한 상품 배송이 언제 오나요? 운송장 번호 알려주세요", "Where is my order #1042? It hasn't arrived yet", "사이즈가 작아서 교환하고 싶어요", "I was charged twice on my card, please check", "정말 최악이네요. 파손된 상품이 왔는데 연락도 없어요!!!", "Is the linen shirt in stock in medium?"];
function events(count: number, customers: number): InboundEventInput[] {
  const t0 = Date.parse("2026-03-02T01:00:00Z");
  return Array.from({ length: count }, (_, i) => ({
    type: "message" as const, channel: "webchat", externalId: `bench-${i}`, occurredAt: new Date(t0 + i * 1000),
    from: { identities: [{ kind: "webchat" as const, value: `visitor-${i % customers}` }], name: `Customer ${i % customers}` },
    text: TEXTS[i % TEXTS.length]!, conversationKey: `chat-${i % customers}`,
  }));
}
const variants: Record<string, object> = {
  full: {},
  noAck: { autoAcknowledge: false },
  noSla: { builtins: { sla: false } },
  noAckNoSla: { autoAcknowledge: false, builtins: { sla: false } },
  fixedClassifier: { autoAcknowledge: false, builtins: { sla: false }, classifier: () => ({ category: "shipping", topic: null, language: "ko", sentiment: "neutral", complaint: { detected: false, score: 0, reasons: [] }, confidence: 1, matched: [], suggestedPriority: "normal", modelId: null, scores: {} }) },
};
const N = 10000;
for (const [name, opts] of Object.entries(variants)) {
  const desk = createDesk({ store: memoryStore(), clock: manualClock(new Date("2026-03-02T01:00:00Z")), channels: [memoryChannel({ id: "webchat" })], ...opts } as never);
  const list = events(N, N / 4);
  const t = performance.now();
  for (const e of list) await desk.ingest(e);
  console.log(name, Math.round(N / ((performance.now() - t) / 1000)));
}
