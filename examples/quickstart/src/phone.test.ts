import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { phoneDemo } from "./phone.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("phone call-backs quickstart section", () => {
  it("queues a signed Friday-evening request for Monday 09:00, fires it due then, retries a missed call and completes on the reached one", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    const s = await phoneDemo(memoryStore());
    expect(s.responses).toEqual({ forged: 401, request: 200, redelivered: 200 });
    expect(s.tickets).toBe(1);
    // Friday 19:30 KST is after hours: Monday 09:00 KST.
    expect(s.states.queued).toMatchObject({
      status: "scheduled",
      number: "+821048217730",
      dueAt: "2026-03-09T00:00:00.000Z",
      attempts: 0,
    });
    expect(s.states.beforeHours.status).toBe("scheduled");
    expect(s.states.due.status).toBe("due");
    // 09:05 + one hour of calling time.
    expect(s.states.afterNoAnswer).toMatchObject({
      status: "scheduled",
      attempts: 1,
      lastOutcome: "no_answer",
      dueAt: "2026-03-09T01:05:00.000Z",
    });
    expect(s.dueEvents).toEqual([
      { at: "2026-03-09T00:00:00.000Z", attempt: 1 },
      { at: "2026-03-09T01:05:00.000Z", attempt: 2 },
    ]);
    expect(s.final).toMatchObject({
      state: { status: "completed", attempts: 1, lastOutcome: "reached", dueAt: null },
      ticketStatus: "solved",
      firstReply: "fulfilled",
      queueLength: 0,
    });

    const out = lines.join("\n");
    expect(out).toContain("forged signature → 401, signed request → 200, the same request again → 200 (1 ticket)");
    expect(out).toContain("call 010-4821-7730 — queued for Mon 9 Mar 2026, 09:00 KST (asked Fri 6 Mar 2026, 19:30 KST");
    expect(out).toContain("at Mon 9 Mar 2026, 08:59 KST still scheduled; at Mon 9 Mar 2026, 09:00 KST due");
    expect(out).toContain("no answer → attempt 1 of 3, scheduled again for Mon 9 Mar 2026, 10:05 KST");
    expect(out).toMatch(/queue at Mon 9 Mar 2026, 10:05 KST: SD-\d+ due now \(1 failed attempt\)/);
    expect(out).toContain(
      "reached (4 min) → call-back completed, ticket solved, first reply met by the call; 0 call-backs left",
    );
    expect(out).toContain("audit log: no_answer (attempt 1), reached (attempt 2)");
  });
});
