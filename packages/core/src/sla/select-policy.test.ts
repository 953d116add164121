import { describe, expect, it } from "vitest";
import { policyMatches, selectPolicy } from "./select-policy.js";
import type { SlaPolicy } from "./sla-policy.js";
import type { SlaTicketFacts } from "./types.js";

const facts: SlaTicketFacts = {
  category: "shipping",
  priority: "high",
  channel: "whatsapp",
  tags: ["vip", "repeat"],
  customer: { tier: "gold", country: "KR" },
};
const p = (id: string, conditions?: SlaPolicy["conditions"]): SlaPolicy => ({
  id,
  name: id,
  targets: {},
  ...(conditions ? { conditions } : {}),
});

describe("selectPolicy", () => {
  it("returns the first matching policy in order", () => {
    expect(
      selectPolicy([p("a", { categories: ["product"] }), p("b", { categories: ["shipping"] }), p("c")], facts)?.id,
    ).toBe("b");
  });

  it("returns null when nothing matches", () => {
    expect(selectPolicy([p("a", { channels: ["email"] })], facts)).toBeNull();
  });

  it("requires every given condition", () => {
    expect(
      policyMatches(
        p("x", { categories: ["shipping"], priorities: ["high", "urgent"], channels: ["whatsapp"] }),
        facts,
      ),
    ).toBe(true);
    expect(policyMatches(p("x", { categories: ["shipping"], priorities: ["urgent"] }), facts)).toBe(false);
  });

  it("matches tags any-of and all-of", () => {
    expect(policyMatches(p("x", { tagsAny: ["vip", "press"] }), facts)).toBe(true);
    expect(policyMatches(p("x", { tagsAll: ["vip", "press"] }), facts)).toBe(false);
    expect(policyMatches(p("x", { tagsAll: ["vip", "repeat"] }), facts)).toBe(true);
  });

  it("compares customer attributes by equality", () => {
    expect(policyMatches(p("x", { customer: { tier: "gold" } }), facts)).toBe(true);
    expect(policyMatches(p("x", { customer: { tier: "gold", country: "JP" } }), facts)).toBe(false);
    expect(policyMatches(p("x", { customer: { tier: "gold" } }), { ...facts, customer: undefined })).toBe(false);
  });
});
