import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { reportDemo } from "./report.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("report quickstart section", () => {
  it("answers a WhatsApp survey with a button and prints a report in the shop's zone", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    const summary = await reportDemo(memoryStore());
    expect(summary.survey).toEqual({ sent: true, rating: 5, ticketStatus: "solved" });
    expect(summary.source).toBe("memory");
    expect(summary.report.timeZone).toBe("Asia/Seoul");
    expect(summary.report.tickets).toBe(1);
    expect(summary.report.firstReply.medianMs).toBe(12 * 60_000);
    expect(summary.report.csat).toMatchObject({ responses: 1, score: 1, sent: 1 });
    expect(summary.report.reopen.count).toBe(0);
    const out = lines.join("\n");
    expect(out).toContain("times in Asia/Seoul");
    expect(out).toContain("first reply median: 12.0 min");
    expect(out).toContain("CSAT: 100.0% satisfied");
  });

  it("runs again on the same store, as a newcomer's second quickstart does", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const store = memoryStore();
    await reportDemo(store);
    const again = await reportDemo(store);
    expect(again.survey).toEqual({ sent: true, rating: 5, ticketStatus: "solved" });
    expect(again.report.tickets).toBe(2);
    expect(again.report.csat).toMatchObject({ responses: 2, sent: 2 });
  });
});
