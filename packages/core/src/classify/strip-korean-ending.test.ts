import { describe, expect, it } from "vitest";
import { stripKoreanEnding } from "./strip-korean-ending.js";

describe("stripKoreanEnding", () => {
  it.each([
    ["배송이", "배송"],
    ["배송은요", "배송"],
    ["환불해주세요", "환불"],
    ["교환했습니다", "교환"],
    ["취소하고싶어요", "취소"],
    ["주문에서", "주문"],
    ["택배로", "택배"],
    ["결제했어요", "결제"],
  ])("%s → %s", (word, stem) => {
    expect(stripKoreanEnding(word)).toBe(stem);
  });

  it("keeps at least one syllable", () => {
    expect(stripKoreanEnding("요")).toBe("요");
    expect(stripKoreanEnding("가")).toBe("가");
  });
});
