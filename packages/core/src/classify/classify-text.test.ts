import { describe, expect, it } from "vitest";
import { classifyText, defaultModel, detectLanguage } from "./classify-text.js";

describe("classifyText", () => {
  const cases: Array<[string, string, string]> = [
    ["주문한 상품이 아직 안 왔어요. 배송 언제 되나요?", "shipping", "ko"],
    ["운송장 번호 좀 알려주세요", "shipping", "ko"],
    ["주문번호 #1001 어디쯤 왔나요?", "shipping", "ko"],
    ["Where is my order? It hasn't arrived yet", "shipping", "en"],
    ["사이즈가 작아서 교환하고 싶어요", "refund_exchange", "ko"],
    ["I'd like a refund for the blue mug", "refund_exchange", "en"],
    ["배송지 주소 변경 가능한가요?", "order_change", "ko"],
    ["Can I change my order to size L?", "order_change", "en"],
    ["카드 결제가 두 번 됐어요. 이중 결제 확인 부탁드려요", "payment", "ko"],
    ["I was charged twice on my card", "payment", "en"],
    ["이 제품 재고 있나요? 색상은 어떤가요", "product", "ko"],
    ["Is the linen shirt in stock in medium?", "product", "en"],
    ["진짜 최악이네요. 파손된 상품 보내놓고 연락도 없고 어이가 없습니다", "complaint", "ko"],
    ["This is unacceptable. Worst service ever, I am furious", "complaint", "en"],
    ["안녕하세요", "other", "ko"],
  ];
  it.each(cases)("%s → %s (%s)", (text, category, language) => {
    const c = classifyText({ text });
    expect(c.category).toBe(category);
    expect(c.language).toBe(language);
  });

  it("keeps the topic behind a complaint and raises priority", () => {
    const c = classifyText({ text: "배송이 2주째 안 왔어요. 정말 최악이고 화가 납니다" });
    expect(c.category).toBe("complaint");
    expect(c.topic).toBe("shipping");
    expect(c.complaint.signal).toBe(true);
    expect(c.sentiment).toBe("negative");
    expect(["high", "urgent"]).toContain(c.suggestedPriority);
  });

  it("marks legal threats urgent and shouting as anger", () => {
    expect(classifyText({ text: "환불 안 해주면 소비자원에 신고하고 고소하겠습니다" }).suggestedPriority).toBe(
      "urgent",
    );
    expect(classifyText({ text: "I WANT MY MONEY BACK NOW, THIS IS A SCAM" }).complaint.signal).toBe(true);
  });

  it("does not read complaints into polite questions", () => {
    for (const text of [
      "배송 언제 되나요? 감사합니다",
      "Thanks! When will my parcel ship?",
      "return policy question",
    ]) {
      expect(classifyText({ text }).complaint.signal).toBe(false);
    }
  });

  it("reads inflections and typos the lexicons missed (cancelling, refunds, shiping)", () => {
    expect(classifyText({ text: "I'm cancelling my purchase" }).category).toBe("order_change");
    expect(classifyText({ text: "where are my refunds" }).category).toBe("refund_exchange");
    expect(classifyText({ text: "how long is shiping to canada" }).category).toBe("shipping");
    expect(classifyText({ text: "배송언제와요" }).category).toBe("shipping");
  });

  it("puts an address change under order_change and a newsletter cancellation under other", () => {
    expect(classifyText({ text: "I need to change the shipping address on my order" }).category).toBe("order_change");
    expect(classifyText({ text: "Please cancel my newsletter subscription" }).category).toBe("other");
  });

  it("reads the customer's words, not the mail they quote", () => {
    const text = "Can I exchange the mug for a blue one?\n\n> Your order #4410 has shipped! Track your parcel with CJ";
    expect(classifyText({ text }).category).toBe("refund_exchange");
  });

  it("goes by the ask when a message opens with thanks for something else", () => {
    for (const text of [
      "Thanks so much for the quick refund last week! Separately, my new order #55120 still hasn't arrived. Where is it?",
      "환불 빨리 해주셔서 감사해요! 그런데 새로 주문한 거 아직 안 왔어요. 언제 와요?",
    ]) {
      expect(classifyText({ text }).category).toBe("shipping");
    }
  });

  it("does not take a cheerful !! for a complaint", () => {
    for (const text of ["Thank you so much!! You've been amazing", "감사합니다!! 덕분에 해결됐어요"]) {
      const c = classifyText({ text });
      expect(c.complaint.signal).toBe(false);
      expect(c.category).toBe("other");
    }
  });

  it("keeps the category of a product question that names an order in passing", () => {
    expect(classifyText({ text: "Does the lamp in order #8812 come with a bulb?" }).category).toBe("product");
  });

  it("is multi-label: a late parcel and anger are shipping and complaint at once", () => {
    const c = classifyText({ text: "My parcel is two weeks late and nobody answers. Worst shop ever" });
    expect(c.labels).toEqual(expect.arrayContaining(["complaint", "shipping"]));
    expect(c.category).toBe("complaint");
    expect(c.topic).toBe("shipping");
  });

  it("scores every category, names the model, and says other when unsure", () => {
    const c = classifyText({ text: "asdf qwer" });
    expect(c.category).toBe("other");
    expect(c.modelId).toBe(defaultModel.id);
    expect(Object.keys(c.scores).sort()).toEqual([
      "complaint",
      "order_change",
      "other",
      "payment",
      "product",
      "refund_exchange",
      "shipping",
    ]);
    const topics = Object.entries(c.scores)
      .filter(([k]) => k !== "complaint")
      .reduce((a, [, v]) => a + v, 0);
    expect(topics).toBeCloseTo(1, 2);
  });

  it("maps complaint intensity to priority: escalation urgent, anger high, a question normal", () => {
    expect(classifyText({ text: "I'm reporting you to the BBB and filing a chargeback" }).suggestedPriority).toBe(
      "urgent",
    );
    expect(classifyText({ text: "진짜 최악이네요. 어이가 없습니다" }).suggestedPriority).toBe("high");
    expect(classifyText({ text: "What sizes does this come in?" }).suggestedPriority).toBe("normal");
    expect(classifyText({ text: "환불 안 해주면 공정위에 신고할게요" }).complaint.intensity).toBe(3);
  });

  it("ships a model under 2 MB trained on both languages", () => {
    expect(JSON.stringify(defaultModel).length).toBeLessThan(2_000_000);
    expect(defaultModel.trainedOn.examples).toBeGreaterThanOrEqual(4200);
  });

  it("detects the language from Hangul share and falls back to a hint on short texts", () => {
    expect(detectLanguage("배송 문의 tracking")).toBe("ko");
    expect(detectLanguage("ok", "ko")).toBe("en");
    expect(detectLanguage("👍", "ko")).toBe("ko");
  });
});
