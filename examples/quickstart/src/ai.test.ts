import { describe, expect, it, vi } from "vitest";
import { aiDemo } from "./ai.js";

describe("quickstart AI flow", () => {
  it("classifies by the model, drafts a cited Korean reply, masks the phone number and sends no draft", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const summary = await aiDemo();
      expect(summary.decidedBy).toBe("model");
      expect(summary.category).toBe("shipping");
      expect(summary.draft).toContain("#1001");
      expect(summary.citations).toEqual({ articleIds: ["faq-shipping-time"], orderNames: ["#1001"] });
      expect(summary.promptSent).not.toContain("010-1234-5678");
      expect(summary.promptSent).not.toContain("minsu@example.com");
      expect(summary.draftSent).toBe(false);
      expect(log.mock.calls.flat().join("\n")).toContain("suggested reply for SD-1");
    } finally {
      log.mockRestore();
    }
  });
});
