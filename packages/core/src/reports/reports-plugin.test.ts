import { describe, expect, it } from "vitest";
import { memoryStore } from "../store-memory/index.js";
import { manualClock } from "../ports/clock.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { createDesk } from "../desk/create-desk.js";
import { computeReport } from "./compute-report.js";
import { reportsPlugin, storeReports } from "./reports-plugin.js";

describe("reports plugin", () => {
  it("on a store without a report capability, desk.reports.compute loads the audit logs and equals computeReport", async () => {
    const store = memoryStore();
    expect(storeReports(store)).toBeNull();
    const clock = manualClock(new Date("2026-03-02T01:00:00Z"));
    const desk = createDesk({
      outbox: { wait: "sent" },
      store,
      clock,
      channels: [memoryChannel({ id: "webchat" })],
      plugins: [reportsPlugin({ timeZone: "Asia/Seoul" })],
    });
    for (const [i, text] of ["배송 언제 와요?", "환불해 주세요", "사이즈 교환 가능한가요?"].entries()) {
      const { ticket } = await desk.ingest({
        type: "message",
        channel: "webchat",
        externalId: `m${i}`,
        occurredAt: clock.now(),
        text,
        from: { identities: [{ kind: "webchat", value: `v${i}` }] },
        conversationKey: `c${i}`,
      });
      clock.advance(20 * 60_000);
      await desk.reply(ticket!.id, { text: "확인했습니다", agentId: "kim", status: "solved" });
    }
    expect(desk.reports.source).toBe("memory");
    const report = await desk.reports.compute();
    expect(report.timeZone).toBe("Asia/Seoul");
    expect(report.tickets).toBe(3);
    expect(report.firstReply.medianMs).toBe(20 * 60_000);
    const events = (await Promise.all((await desk.listTickets()).map((t) => desk.listEvents(t.id)))).flat();
    expect(report).toEqual(computeReport(events, { timeZone: "Asia/Seoul" }));
    expect((await desk.reports.csv()).split("\r\n")[1]).toBe("summary,tickets,3");
    await desk.close();
  });
});
