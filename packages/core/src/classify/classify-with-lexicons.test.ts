import { describe, expect, it } from "vitest";
import { classifyWithLexicons, lexiconClassifier, LEXICON_MODEL_ID } from "./classify-with-lexicons.js";

describe("classifyWithLexicons (the former default, kept as the baseline)", () => {
  it("matches English words on boundaries only", () => {
    expect(classifyWithLexicons({ text: "my return-address label" }).matched).toContain("return");
    expect(classifyWithLexicons({ text: "suede boots" }).matched).not.toContain("sue");
  });

  it("reports its model id and each category's share of the matched weight", () => {
    const c = classifyWithLexicons({ text: "I'd like a refund for the blue mug" });
    expect(c.modelId).toBe(LEXICON_MODEL_ID);
    expect(c.category).toBe("refund_exchange");
    expect(c.scores.refund_exchange).toBe(1);
  });

  it("is the same function as lexiconClassifier", () => {
    expect(lexiconClassifier).toBe(classifyWithLexicons);
  });
});
