import { describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { inboxDemo } from "./inbox.js";

describe("quickstart chat flow", () => {
  it("classifies, threads the follow-up, drops the redelivery and acknowledges each new ticket once", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const summary = await inboxDemo(memoryStore());
      expect(summary.outcomes).toEqual(["created", "created", "created", "threaded", "duplicate"]);
      expect(summary.acknowledgements).toBe(3);
      expect(summary.categories.sort()).toEqual(["complaint", "refund_exchange", "shipping"]);
      expect(summary.complaintStep).toBe("listen");
      const output = log.mock.calls.flat().join("\n");
      expect(output).toContain("까지 답변드리겠습니다");
      // The inbox in words, times on the shop's clock: no raw enums, no UTC ISO strings.
      expect(output).toContain("refund or exchange");
      expect(output).toContain("first reply due Mon 2 Mar 2026, 22:00 KST (running)");
      expect(output).toContain("a redelivery, ignored (SD-");
      expect(output).not.toMatch(/refund_exchange|first_reply|\[new\]|\d{4}-\d\d-\d\dT\d\d:/);
    } finally {
      log.mockRestore();
    }
  });

  it("recognizes the same deliveries as redeliveries when run again on the same store", async () => {
    const store = memoryStore();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await inboxDemo(store);
      const again = await inboxDemo(store);
      expect(again.outcomes.every((o) => o === "duplicate")).toBe(true);
      expect(again.acknowledgements).toBe(0);
    } finally {
      log.mockRestore();
    }
  });
});
