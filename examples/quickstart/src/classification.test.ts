import { describe, expect, it, vi } from "vitest";
import { classificationDemo } from "./classification.js";

describe("quickstart classification demo", () => {
  it("reads shipping, an order change, an angry shipping complaint, an escalation, a newsletter", () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { results, custom } = classificationDemo();
    expect(results.map((c) => c.category)).toEqual(["shipping", "order_change", "complaint", "complaint", "other"]);
    expect(results[2]!.topic).toBe("shipping");
    expect(results[3]!.suggestedPriority).toBe("urgent");
    expect(custom).toMatchObject({ label: "wholesale", category: "product", modelId: "mocha-shop-1" });
  });
});
