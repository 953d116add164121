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
      expect(log.mock.calls.flat().join("\n")).toContain("까지 답변드리겠습니다");
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
