import { describe, expect, it } from "vitest";
import { advanceComplaint, openComplaint, complaintUpdateJobKey, type ComplaintAction } from "./advance-complaint.js";
import type { ComplaintCase } from "../domain/complaint.js";

const t0 = new Date("2026-03-02T01:00:00Z");
const ctx = { ticketId: "t1", by: "agent-1" };
function run(c: ComplaintCase, actions: ComplaintAction[]): ComplaintCase {
  for (const a of actions) {
    const d = advanceComplaint(c, a, t0, ctx);
    if (!d.ok) throw d.error;
    c = d.value;
  }
  return c;
}

describe("complaint workflow", () => {
  it("goes listen → apologize → resolve → inform → confirm → closed with a root cause", () => {
    const c = run(openComplaint(t0, { updateIntervalMinutes: 120 }), [
      { type: "listened", summary: "late and damaged" },
      { type: "apologized" },
      { type: "resolution_started", resolution: "reship" },
      { type: "update_sent" },
      { type: "resolution_done" },
      { type: "customer_confirmed", satisfied: true, rootCause: "damaged_in_transit" },
    ]);
    expect(c.step).toBe("closed");
    expect(c.rootCause).toBe("damaged_in_transit");
    expect(c.history.map((h) => h.step)).toEqual([
      "listen",
      "apologize",
      "resolve",
      "inform",
      "inform",
      "confirm",
      "closed",
    ]);
  });

  it("schedules customer updates at the set interval while unresolved and cancels them on resolution", () => {
    let c = run(openComplaint(t0, { updateIntervalMinutes: 120 }), [
      { type: "listened", summary: "x" },
      { type: "apologized" },
    ]);
    const started = advanceComplaint(c, { type: "resolution_started", resolution: "refund" }, t0, ctx);
    expect(started.ok && started.effects).toEqual([
      {
        type: "schedule",
        job: {
          key: complaintUpdateJobKey("t1"),
          type: "complaint.update_due",
          ticketId: "t1",
          runAt: new Date(t0.getTime() + 120 * 60_000),
          payload: {},
        },
      },
    ]);
    c = started.ok ? started.value : c;
    expect(c.nextUpdateDueAt).toBe(new Date(t0.getTime() + 7_200_000).toISOString());
    const done = advanceComplaint(c, { type: "resolution_done" }, t0, ctx);
    expect(done.ok && done.effects).toEqual([{ type: "cancel_job", key: complaintUpdateJobKey("t1") }]);
  });

  it("sends 'not satisfied' at confirmation back to resolve", () => {
    const c = run(openComplaint(t0), [
      { type: "listened", summary: "x" },
      { type: "apologized" },
      { type: "resolution_done", resolution: "voucher" },
      { type: "customer_confirmed", satisfied: false },
    ]);
    expect(c.step).toBe("resolve");
    expect(c.reopenCount).toBe(1);
  });

  it("refuses steps out of order and closing without a root cause, changing nothing", () => {
    const open = openComplaint(t0);
    const skip = advanceComplaint(open, { type: "apologized" }, t0, ctx);
    expect(!skip.ok && skip.error.code).toBe("ILLEGAL_TRANSITION");
    const atConfirm = run(open, [
      { type: "listened", summary: "x" },
      { type: "apologized" },
      { type: "resolution_done", resolution: "r" },
    ]);
    const noCause = advanceComplaint(atConfirm, { type: "customer_confirmed", satisfied: true }, t0, ctx);
    expect(!noCause.ok && noCause.error.path).toEqual(["rootCause"]);
    const noResolution = advanceComplaint(
      run(open, [{ type: "listened", summary: "x" }, { type: "apologized" }]),
      { type: "resolution_done" },
      t0,
      ctx,
    );
    expect(noResolution.ok).toBe(false);
    const closed = run(atConfirm, [{ type: "customer_confirmed", satisfied: true, rootCause: "other" }]);
    expect(advanceComplaint(closed, { type: "update_sent" }, t0, ctx).ok).toBe(false);
  });
});
