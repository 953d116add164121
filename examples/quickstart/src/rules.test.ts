import { memoryStore } from "@storedesk/core";
import { describe, expect, it, vi } from "vitest";
import { rulesDemo } from "./rules.js";

describe("quickstart rules and routing", () => {
  it("routes Korean refund requests to the least-loaded Korean-speaking refunds agent, serves the queue when one frees up, and reminds after 48 h", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      const s = await rulesDemo(memoryStore());
      expect(s.first).toEqual({ team: "refunds", assignee: "hana" });
      expect(s.assignees).toEqual(["hana", "minji", "minji", null]);
      expect(s.queuedThenAssignedTo).toBe("hana");
      expect(s.reminder).toContain("다시 연락드립니다");
      expect(s.approval).toEqual({ requested: "pending_approval", approvedBy: "park", tags: ["refund-approved"] });
      expect(s.macrosFound).toEqual(["exchange-guide"]);
      expect(lines.some((l) => l.includes("(Asia/Seoul)"))).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});
