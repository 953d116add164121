import { describe, expect, it } from "vitest";
import { emphasizeAsk } from "./emphasize-ask.js";

describe("emphasizeAsk", () => {
  it("repeats the sentences that ask, after the text", () => {
    expect(emphasizeAsk("thanks for the refund! when will my other order arrive?")).toBe(
      "thanks for the refund! when will my other order arrive?\nwhen will my other order arrive?",
    );
    expect(emphasizeAsk("환불 잘 받았어요. 다른 주문은 언제 와요?\n감사합니다")).toBe(
      "환불 잘 받았어요. 다른 주문은 언제 와요?\n감사합니다\n다른 주문은 언제 와요?",
    );
    expect(emphasizeAsk("hi,\nmy order 1203 is late.\ncould you check it please")).toContain(
      "\ncould you check it please",
    );
  });

  it("leaves a text of one sentence, of no ask or of nothing but asks alone", () => {
    for (const text of ["where is my parcel?", "the mug arrived. it is lovely.", "is it in stock? in blue?"]) {
      expect(emphasizeAsk(text)).toBe(text);
    }
  });
});
