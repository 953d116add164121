import { describe, expect, it } from "vitest";
import { featureHashes, foldText, hashFeature, normalizeText, tokenizeText } from "./tokenize-text.js";

const bigrams = (features: string[]): string[] => features.filter((f) => /^[\uac00-\ud7a3]{2}$/.test(f)).sort();

describe("tokenizeText (English)", () => {
  it("stems inflections to one feature: cancel, cancelling, cancellation, canceled", () => {
    for (const word of ["cancel", "cancelling", "cancellation", "canceled", "CANCELS"]) {
      expect(tokenizeText(word)).toContain("cancel");
    }
    expect(tokenizeText("refunds")).toContain("refund");
    expect(tokenizeText("payments")).toContain("payment");
  });

  it("pairs neighbouring stems and keeps a negation as its own feature", () => {
    const f = tokenizeText("It hasn't arrived");
    expect(f).toContain("has_not");
    expect(f).toContain("not_arriv");
  });

  it("gives a misspelt word character trigrams it shares with the right spelling", () => {
    const typo = new Set(tokenizeText("cancle"));
    const shared = tokenizeText("cancel").filter((f) => f.startsWith("~") && typo.has(f));
    expect(shared.length).toBeGreaterThanOrEqual(2);
  });

  it("replaces order ids, dates, amounts and links by placeholders", () => {
    const f = tokenizeText("Order #10293 of 2026-12-01, $45.90, see https://shop.example/x");
    expect(f).toEqual(expect.arrayContaining(["#order", "#date", "#money", "#url"]));
    expect(f.some((x) => x.includes("10293"))).toBe(false);
    expect(normalizeText("주문번호 2024051234567")).toContain("#order");
  });
});

describe("tokenizeText (Korean)", () => {
  it("strips particles and endings so 배송이, 배송은, 배송을 share the stem", () => {
    for (const word of ["배송이", "배송은", "배송을", "배송도"]) expect(tokenizeText(word)).toContain("=배송");
    expect(tokenizeText("환불해주세요")).toContain("=환불");
  });

  it("yields the same syllable bigrams with and without spaces", () => {
    expect(bigrams(tokenizeText("배송언제와요"))).toEqual(bigrams(tokenizeText("배송 언제 와요")));
  });

  it("keeps initial-consonant bigrams, so a vowel typo (배숑) still shares a feature with 배송", () => {
    const typo = new Set(tokenizeText("배숑"));
    expect(tokenizeText("배송").filter((f) => f.startsWith("^") && typo.has(f))).toEqual(["^ㅂㅅ"]);
  });

  it("keeps bare jamo (ㅠㅠ, ㅅㅂ) that NFKC would have turned into conjoining jamo", () => {
    expect(tokenizeText("배송 언제 와요 ㅠㅠㅠㅠ")).toContain("ㅠㅠ");
    expect(foldText("ＲＥＦＵＮＤ ㅅㅂ")).toBe("REFUND ㅅㅂ");
  });

  it("reads mixed Korean and English text with both analyses", () => {
    const f = tokenizeText("tracking number 알려주세요");
    expect(f).toEqual(expect.arrayContaining(["track", "track_number", "=알려", "알려"]));
  });
});

describe("featureHashes", () => {
  it("hashes exactly the features tokenizeText builds, in order", () => {
    for (const text of ["Where's my parcel #1001?", "배송이 2주째 안 와요 ㅠㅠ", "refund 언제 돼요", ""]) {
      expect(featureHashes(text)).toEqual(tokenizeText(text).map(hashFeature));
    }
  });
});

describe("tokenizeText on hostile input", () => {
  it("reads only the start of a huge text and does not stem a 250,000-character word", () => {
    const started = performance.now();
    const f = tokenizeText("x".repeat(250_000));
    expect(f).toEqual(["#long"]);
    expect(tokenizeText(`refund ${"y".repeat(10_000)}`)).toContain("refund");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
