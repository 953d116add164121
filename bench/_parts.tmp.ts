import { classifyText } from "../packages/core/src/classify/classify-text.js";
import { InboundEventSchema } from "../packages/core/src/domain/inbound.js";
import { parseInput } from "../packages/core/src/validate.js";
const TEXTS = [
  "주문한 상품 배송이 언제 오나요? 운송장 번호 알려주세요",
  "Where is my order #1042? It hasn't arrived yet",
  "사이즈가 작아서 교환하고 싶어요",
  "I was charged twice on my card, please check",
  "정말 최악이네요. 파손된 상품이 왔는데 연락도 없어요!!!",
  "Is the linen shirt in stock in medium?",
];
const N = 20000;
for (let w = 0; w < 2; w++) {
let t = performance.now();
for (let i = 0; i < N; i++) await classifyText({ text: TEXTS[i % 6]!, subject: null, channel: "webchat", localeHint: null });
console.log("classify/s", Math.round(N / ((performance.now() - t) / 1000)));
t = performance.now();
for (let i = 0; i < N; i++) parseInput(InboundEventSchema, { type: "message", channel: "webchat", externalId: `b-${i}`, occurredAt: new Date(), from: { identities: [{ kind: "webchat", value: `v-${i}` }], name: "C" }, text: TEXTS[i % 6]!, conversationKey: `c-${i}` }, "x");
console.log("parse/s", Math.round(N / ((performance.now() - t) / 1000)));
}
