import { describe, expect, it } from "vitest";
import { computeReport } from "./compute-report.js";
import { reportToCsv, reportToJson } from "./report-export.js";
import type { TicketEvent } from "../domain/event.js";

const at = (m: number) => new Date(Date.UTC(2026, 10, 2, 0, m));
function ev(ticketId: string, seq: number, m: number, type: string, data: Record<string, unknown>): TicketEvent {
  return { id: `${ticketId}-${seq}`, ticketId, seq, type, at: at(m), actor: { kind: "agent", id: "kim" }, data };
}
const history: TicketEvent[] = [
  ev("a", 1, 0, "ticket.created", { channel: "email", category: "complaint", priority: "high", tags: [] }),
  ev("a", 2, 20, "reply.sent", { channel: "email", authorKind: "agent", automatic: false }),
  ev("a", 3, 60, "complaint.advanced", { to: "closed", rootCause: "배송 지연, 택배사" }),
  ev("a", 4, 61, "complaint.advanced", { to: "closed", rootCause: '=HYPERLINK("x")' }),
];

describe("reportToCsv", () => {
  const csv = reportToCsv(computeReport(history, { timeZone: "Asia/Seoul" }));
  const lines = csv.split("\r\n");

  it("starts with the header and the ticket count, lines ending in CRLF", () => {
    expect(lines[0]).toBe("section,key,value");
    expect(lines[1]).toBe("summary,tickets,1");
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("writes durations in ms and leaves undefined statistics empty", () => {
    expect(lines).toContain("first_reply,median_ms,1200000");
    expect(lines).toContain("resolution,median_ms,");
    expect(lines).toContain("volume_hour,09,1");
  });

  it("quotes a Korean key containing a comma, and defuses a formula", () => {
    const last = computeReport(history.slice(0, 3));
    expect(reportToCsv(last)).toContain('complaint_root_cause,"배송 지연, 택배사",1');
    expect(csv).toContain(`complaint_root_cause,"'=HYPERLINK(""x"")",1`);
  });
});

describe("reportToJson", () => {
  it("round-trips to the same report", () => {
    const report = computeReport(history);
    expect(JSON.parse(reportToJson(report))).toEqual(report);
  });
});
