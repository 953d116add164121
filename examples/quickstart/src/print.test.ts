import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { categoryWords, labelStore, metricWords, outcomeWords, section, shopTime, statusWords } from "./print.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  return lines;
}

describe("quickstart printing", () => {
  it("numbers sections in the order they run, so a new scenario needs no renumbering", () => {
    const log = captureLog();
    const first = section("One");
    const second = section("Two", { store: labelStore(memoryStore(), "in memory, a fresh one (test)") });
    expect(second).toBe(first + 1);
    expect(log).toContain(`\n━━ ${first}. One ━━`);
    expect(log).toContain(`\n━━ ${second}. Two ━━`);
    expect(log).toContain("store: in memory, a fresh one (test)");
  });

  it("says which store and when a section runs, on the shop's clock with the zone named", () => {
    const log = captureLog();
    section("Three", { store: memoryStore(), clock: new Date("2026-03-02T01:00:00Z"), why: "Monday morning" });
    expect(log.at(-1)).toBe("store: the store passed in · shop time: Mon 2 Mar 2026, 10:00 KST (Monday morning)");
  });

  it("shows times in KST, across midnight in UTC too", () => {
    expect(shopTime(new Date("2026-03-02T13:00:00Z"))).toBe("Mon 2 Mar 2026, 22:00 KST");
    expect(shopTime("2026-03-02T16:30:00.000Z")).toBe("Tue 3 Mar 2026, 01:30 KST");
  });

  it("puts the desk's enums in words", () => {
    expect(outcomeWords("follow_up")).toBe("a follow-up ticket");
    expect(statusWords("pending")).toBe("waiting on the customer");
    expect(categoryWords("refund_exchange")).toBe("refund or exchange");
    expect(categoryWords("wholesale")).toBe("wholesale"); // a shop's own label stays as it is
    expect(metricWords("first_reply")).toBe("first reply");
    expect(metricWords("agent_work")).toBe("agent work");
  });
});
