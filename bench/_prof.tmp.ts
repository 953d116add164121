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
const N = Number(process.env.N ?? 20000);
const desk = createDesk({ store: memoryStore(), clock: manualClock(new Date("2026-03-02T01:00:00Z")), channels: [memoryChannel({ id: "webchat" })] });
const list = events(N, N / 4);
const t = performance.now(); const c0 = process.cpuUsage();
for (const e of list) await desk.ingest(e);
const cu = process.cpuUsage(c0); console.log("full wall", Math.round(N / ((performance.now() - t) / 1000)), "cpu", Math.round(N / ((cu.user + cu.system) / 1e6)));
