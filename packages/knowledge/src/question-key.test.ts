import { describe, expect, it } from "vitest";
import { cleanQuestion, handoffQuestion, questionKey, QUESTION_MAX_CHARS } from "./question-key.js";
import { canonicalTerms } from "./synonyms.js";

describe("questionKey: one key for one question worded differently", () => {
  it("groups Korean questions with other particles and endings", () => {
    expect(questionKey("배송 언제 와요?")).toBe("배송 언제");
    expect(questionKey("배송은 언제 오나요")).toBe("배송 언제");
    expect(questionKey("배송이 언제 되나요")).toBe("배송 언제");
  });

  it("keeps question words, so 'when' and 'how much' stay apart", () => {
    expect(questionKey("배송비 얼마예요")).not.toBe(questionKey("배송 언제 와요"));
  });

  it("groups English questions by stems and drops stop words and numbers", () => {
    expect(questionKey("When will my order arrive?")).toBe("arriv order when");
    expect(questionKey("when does my order 12345 arrive")).toBe("arriv order when");
  });

  it("keys a compound of shop nouns by its words, so both spellings are one question", () => {
    expect(questionKey("교환신청 어케 해요?")).toBe("교환 신청");
    expect(questionKey("교환 신청 어케 해요?")).toBe("교환 신청");
    expect(questionKey("배송조회가 안 돼요")).toBe(questionKey("배송 조회가 안 돼요"));
    expect(questionKey("주문취소요청 했는데요")).toBe(questionKey("주문 취소 요청 했는데요"));
    expect(questionKey("적립금사용은 어떻게 하나요")).toBe(questionKey("적립금 사용은 어떻게 하나요"));
  });

  it("keeps a word not made of shop nouns whole and leaves out its bigrams", () => {
    expect(questionKey("블라우스 세탁 방법")).toBe("방법 블라우스 세탁");
  });

  it("keys synonyms of equal weight alike, within one script, and keeps related-only terms apart", () => {
    expect(questionKey("택배 언제 와요")).toBe(questionKey("배송 언제 와요"));
    expect(questionKey("택배 언제 와요")).toBe("배송 언제");
    expect(questionKey("배달은 언제 오나요?")).toBe("배송 언제");
    // "parcel" and "shipping" meet through "delivery" in two groups of the defaults.
    expect(questionKey("where is my parcel")).toBe(questionKey("where is my shipping"));
    expect(questionKey("where is my parcel")).toBe(questionKey("where is my delivery"));
    // A Korean question keeps a Korean key: "배송" does not become "deliveri".
    expect(questionKey("배송 언제")).not.toMatch(/[a-z]/);
    // 반품 ≈ 환불 only for retrieval (weight 0.6): two questions in the report.
    expect(questionKey("반품 하고 싶어요")).not.toBe(questionKey("환불 하고 싶어요"));
  });

  it("keys longer Korean words of a set alike, and no phrase's remains stand for the set", () => {
    // 포인트 and 마일리지 analyze to a stem plus bigrams; the stem is their key.
    expect(questionKey("포인트 언제 들어와요")).toBe(questionKey("적립금 언제 들어와요"));
    expect(questionKey("마일리지 언제 들어와요")).toBe(questionKey("적립금 언제 들어와요"));
    expect(questionKey("비번 바꾸는 법")).toBe(questionKey("비밀번호 바꾸는 법"));
    // "sign in" is a phrase: "sign" alone is not the account set.
    const keys = canonicalTerms([["account", "sign in", "log in"]]);
    expect(keys.get("sign")).toBeUndefined();
    expect(keys.get("log")).toBeUndefined();
  });

  it("takes the synonyms it is given instead of the defaults", () => {
    const shop = canonicalTerms([["탁송", "배송"]]);
    expect(questionKey("탁송 언제 와요", shop)).toBe("언제 탁송");
    expect(questionKey("배송 언제 와요", shop)).toBe("언제 탁송");
    expect(questionKey("택배 언제 와요", shop)).toBe("언제 택배"); // not in the shop's list
    expect(questionKey("택배 언제 와요", new Map())).toBe("언제 택배");
  });

  it("has no key for a text without a content word", () => {
    expect(questionKey("아니요")).toBeNull();
    expect(questionKey("??? !!")).toBeNull();
  });
});

describe("cleanQuestion: safe for a report", () => {
  it("collapses whitespace, removes invisible characters, masks e-mail addresses and long numbers", () => {
    expect(cleanQuestion("  배송\u200b  언제\n와요?  010-1234-5678 kim@example.com ")).toBe(
      "배송 언제 와요? [number] [email]",
    );
  });

  it("cuts long questions with an ellipsis, never inside a surrogate pair", () => {
    const long = "😀".repeat(300);
    const cut = cleanQuestion(long)!;
    expect([...cut]).toHaveLength(QUESTION_MAX_CHARS);
    expect(cut.endsWith("😀…")).toBe(true);
    expect(cleanQuestion(" \n\t ")).toBeNull();
  });

  it("gives no question fields for a message the bot did not search, and keys without masked numbers", () => {
    expect(handoffQuestion("상담원 연결해주세요", "ko", false)).toEqual({
      question: null,
      questionKey: null,
      language: "ko",
    });
    expect(handoffQuestion("주문 12345678 배송 언제 와요", "ko", true)).toEqual({
      question: "주문 [number] 배송 언제 와요",
      questionKey: "배송 언제 주문",
      language: "ko",
    });
  });
});
