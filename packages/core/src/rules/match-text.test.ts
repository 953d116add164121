import { describe, expect, it } from "vitest";
import { matchesText } from "./match-text.js";

describe("matchesText", () => {
  it("ignores spacing, case and full-width forms", () => {
    expect(matchesText("주문한 상품 환불 해주세요", "환불해주세요")).toBe(true);
    expect(matchesText("I want a ＲＥＦＵＮＤ please", "refund")).toBe(true);
    expect(matchesText("배송이늦어요", "배송이 늦어요")).toBe(true);
  });

  it("matches Korean words by stem when the particles differ", () => {
    expect(matchesText("배송은 언제 오나요?", "배송이")).toBe(true);
    expect(matchesText("환불을 받고 싶어요", "환불이")).toBe(true);
  });

  it("does not match unrelated text or an empty phrase", () => {
    expect(matchesText("교환 문의드립니다", "환불")).toBe(false);
    expect(matchesText("where is my parcel", "refund")).toBe(false);
    expect(matchesText("anything", "  ")).toBe(false);
  });
});
