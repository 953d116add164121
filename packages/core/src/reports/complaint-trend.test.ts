import { describe, expect, it } from "vitest";
import type { TicketEvent } from "../domain/event.js";
import { computeReport } from "./compute-report.js";
import { reportToCsv } from "./report-export.js";
import { rootCauseWeeks } from "./complaint-trend.js";

function complaint(id: string, created: string, closed: string, rootCause: string): TicketEvent[] {
  const base = { ticketId: id, actor: { kind: "agent" as const, id: "kim" } };
  return [
    { ...base, id: `${id}-1`, seq: 1, type: "ticket.created", at: new Date(created), data: { category: "complaint" } },
    {
      ...base,
      id: `${id}-2`,
      seq: 2,
      type: "complaint.advanced",
      at: new Date(closed),
      data: { to: "closed", rootCause },
    },
  ];
}

describe("complaint root causes per week", () => {
  const history = [
    // Sunday 23:30 in Seoul: still the week of Monday 2 March.
    ...complaint("a", "2026-03-02T01:00:00Z", "2026-03-08T14:30:00Z", "late_delivery"),
    // Monday 00:30 in Seoul (Sunday in UTC): the week of Monday 9 March.
    ...complaint("b", "2026-03-02T01:00:00Z", "2026-03-08T15:30:00Z", "late_delivery"),
    ...complaint("c", "2026-03-03T01:00:00Z", "2026-03-10T01:00:00Z", "wrong_item"),
    // Two weeks later: the week between is listed empty.
    ...complaint("d", "2026-03-04T01:00:00Z", "2026-03-24T01:00:00Z", "late_delivery"),
  ];

  it("counts each closed complaint in the shop's local week it closed, empty weeks between", () => {
    expect(computeReport(history, { timeZone: "Asia/Seoul" }).complaintTrend).toEqual([
      { weekStart: "2026-03-02", total: 1, byRootCause: { late_delivery: 1 } },
      { weekStart: "2026-03-09", total: 2, byRootCause: { late_delivery: 1, wrong_item: 1 } },
      { weekStart: "2026-03-16", total: 0, byRootCause: {} },
      { weekStart: "2026-03-23", total: 1, byRootCause: { late_delivery: 1 } },
    ]);
    // In UTC both of the first two closed on Sunday 8 March: one week.
    expect(computeReport(history, { timeZone: "UTC" }).complaintTrend[0]).toEqual({
      weekStart: "2026-03-02",
      total: 2,
      byRootCause: { late_delivery: 2 },
    });
  });

  it("is in the CSV export, and empty without closed complaints", () => {
    const csv = reportToCsv(computeReport(history, { timeZone: "Asia/Seoul" })).split("\r\n");
    expect(csv).toContain("complaint_week,2026-03-09,2");
    expect(csv).toContain("complaint_week_cause,2026-03-09 wrong_item,1");
    expect(rootCauseWeeks([])).toEqual([]);
  });
});
