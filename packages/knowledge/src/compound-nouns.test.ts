import { describe, expect, it } from "vitest";
import { SHOP_NOUNS, splitCompound } from "./compound-nouns.js";

describe("splitCompound: a compound of shop nouns into its words", () => {
  it("splits into the fewest nouns that make up the whole word", () => {
    expect(splitCompound("교환신청")).toEqual(["교환", "신청"]);
    expect(splitCompound("주문취소요청")).toEqual(["주문", "취소", "요청"]);
    // "현금영수증" is a noun itself; "현금영수증발급" is not wholly shop nouns ("발급" is not one).
    expect(splitCompound("현금영수증")).toBeNull();
    expect(splitCompound("환불현금영수증")).toEqual(["환불", "현금영수증"]);
  });

  it("leaves alone words it does not wholly cover, short words and the nouns themselves", () => {
    expect(splitCompound("블라우스")).toBeNull();
    expect(splitCompound("교환신청서")).toBeNull(); // "서" is no noun of the list
    expect(splitCompound("교환")).toBeNull();
    expect(splitCompound("오배송")).toBeNull();
  });

  it("holds Hangul nouns of two to five syllables only, each once", () => {
    for (const noun of SHOP_NOUNS) expect(noun).toMatch(/^[\uac00-\ud7a3]{2,5}$/);
    expect(new Set(SHOP_NOUNS).size).toBe(SHOP_NOUNS.length);
  });
});
