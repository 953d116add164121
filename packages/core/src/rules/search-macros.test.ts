import { describe, expect, it } from "vitest";
import { defineMacro } from "./macro.js";
import { searchMacros } from "./search-macros.js";

const macros = [
  defineMacro({ id: "refund", title: "Refund done", reply: { en: "We refunded your order." } }),
  defineMacro({ id: "exchange", title: "교환 신청 안내", reply: { ko: "교환 신청은 주문 내역에서 하세요." } }),
];
// A stand-in for the knowledge package's analyzer: words, English "-ing/-ed/-s" stemmed.
const analyzer = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.replace(/(ing|ed|s)$/, ""));

describe("searchMacros", () => {
  it("finds by every word without an analyzer, and by the analyzer's terms (ranked) with one", () => {
    expect(searchMacros(macros, "교환 신청").map((m) => m.id)).toEqual(["exchange"]);
    expect(searchMacros(macros, "refunding").map((m) => m.id)).toEqual([]); // a substring test only
    expect(searchMacros(macros, "refunding", analyzer).map((m) => m.id)).toEqual(["refund"]);
    expect(searchMacros(macros, "refunding orders later", analyzer).map((m) => m.id)).toEqual(["refund"]);
    expect(searchMacros(macros, "   ", analyzer)).toEqual([]);
  });
});
