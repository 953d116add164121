import { classifyText } from "@storedesk/core";
import { describe, expect, it, vi } from "vitest";
import { answeringModel, deafModel, failingModel, hangingModel, receivedPrompt } from "../test/mock-models.js";
import { aiClassifier } from "./ai-classifier.js";

const shippingAnswer = {
  category: "shipping",
  complaint: false,
  language: "ko",
  confidence: 0.93,
  summary: "주문 #1001 배송 일정 문의",
};

describe("aiClassifier", () => {
  it("uses a valid structured answer and says the model decided", async () => {
    const model = answeringModel(shippingAnswer);
    const classify = aiClassifier({ model, timeoutMs: 1000, maxOutputTokens: 200 });
    const result = await classify({ text: "주문번호 #1001 언제 와요?" });
    expect(result).toMatchObject({
      decidedBy: "model",
      category: "shipping",
      topic: "shipping",
      language: "ko",
      confidence: 0.93,
      summary: "주문 #1001 배송 일정 문의",
      fallbackReason: null,
      modelId: "mock:answering",
    });
    expect(model.doGenerateCalls[0]?.maxOutputTokens).toBe(200);
    expect(model.doGenerateCalls[0]?.responseFormat?.type).toBe("json");
  });

  it("raises the complaint signal and priority when the model sees a complaint the lexicons missed", async () => {
    const model = answeringModel({
      ...shippingAnswer,
      category: "complaint",
      complaint: true,
      confidence: 0.8,
    });
    const result = await aiClassifier({ model })({ text: "세 번째 문의인데 아직도 답이 없네요" });
    expect(result.complaint.signal).toBe(true);
    expect(result.sentiment).toBe("negative");
    expect(["high", "urgent"]).toContain(result.suggestedPriority);
  });

  it("falls back to the local classifier when the answer is not JSON", async () => {
    const onFallback = vi.fn();
    const classify = aiClassifier({ model: answeringModel("I think it is about shipping!"), onFallback });
    const text = "환불해 주세요. 정말 최악이네요";
    const result = await classify({ text });
    expect(result.decidedBy).toBe("fallback");
    expect(result.fallbackReason).toBe("invalid_output");
    expect(result.category).toBe(classifyText({ text }).category);
    expect(onFallback).toHaveBeenCalledWith("invalid_output", expect.anything());
  });

  it("falls back when the JSON breaks the schema (unknown category, confidence above 1)", async () => {
    const classify = aiClassifier({
      model: answeringModel({ ...shippingAnswer, category: "weather", confidence: 7 }),
    });
    const result = await classify({ text: "Where is my parcel?" });
    expect(result).toMatchObject({ decidedBy: "fallback", fallbackReason: "invalid_output", summary: null });
  });

  it("falls back when the model does not answer within the timeout, aborting the provider call", async () => {
    const model = hangingModel();
    const started = Date.now();
    const result = await aiClassifier({ model, timeoutMs: 50 })({ text: "I want a refund for order 1001" });
    expect(result).toMatchObject({
      decidedBy: "fallback",
      fallbackReason: "timeout",
      category: "refund_exchange",
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(model.doGenerateCalls[0]?.abortSignal?.aborted).toBe(true);
  });

  it("falls back at the deadline even when the provider ignores the abort signal", async () => {
    const result = await aiClassifier({ model: deafModel(), timeoutMs: 50 })({ text: "Where is my parcel?" });
    expect(result).toMatchObject({ decidedBy: "fallback", fallbackReason: "timeout" });
  });

  it("falls back when the provider fails, without retrying by default", async () => {
    const model = failingModel();
    const result = await aiClassifier({ model })({ text: "결제가 두 번 됐어요" });
    expect(result).toMatchObject({ decidedBy: "fallback", fallbackReason: "error", category: "payment" });
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it("uses the given fallback classifier instead of the local one", async () => {
    const fallback = vi.fn(() => ({ ...classifyText({ text: "x" }), category: "product" as const }));
    const result = await aiClassifier({ model: failingModel(), fallback })({ text: "anything" });
    expect(result.category).toBe("product");
    expect(fallback).toHaveBeenCalledOnce();
  });

  it("sends no unredacted email, phone or card number to the model", async () => {
    const model = answeringModel(shippingAnswer);
    await aiClassifier({ model })({
      subject: "문의 minsu@example.com",
      text: "010-1234-5678 로 연락 주세요. 카드 4111-1111-1111-1111 결제 건",
    });
    const prompt = receivedPrompt(model);
    expect(prompt).toContain("[phone]");
    for (const raw of ["minsu@example.com", "010-1234-5678", "4111-1111-1111-1111", "1234-5678"]) {
      expect(prompt).not.toContain(raw);
    }
  });
});
