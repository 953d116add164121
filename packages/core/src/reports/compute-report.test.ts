import { describe, expect, it } from "vitest";
import { computeReport } from "./compute-report.js";
import { StoredeskError } from "../errors.js";
import { defineCalendar } from "../calendar/index.js";
import type { TicketEvent, Actor } from "../domain/event.js";

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.parse("2026-11-02T00:00:00Z"); // Monday 09:00 KST

/** Builds one ticket's log: each step is [minutes after T0, type, data, actor]. */
function ticket(id: string, steps: [number, string, Record<string, unknown>, Actor?][]): TicketEvent[] {
  return steps.map(([min, type, data, actor], i) => ({
    id: `${id}-e${i + 1}`,
    ticketId: id,
    seq: i + 1,
    type,
    at: new Date(T0 + min * MIN),
    actor: actor ?? { kind: "system", id: null },
    data,
  }));
}
const created = (extra: Record<string, unknown> = {}) => ({
  status: "new",
  priority: "normal",
  category: "shipping",
  channel: "email",
  tags: [],
  ...extra,
});
const kim: Actor = { kind: "agent", id: "kim" };
const lee: Actor = { kind: "agent", id: "lee" };
const agentReply = { channel: "email", authorKind: "agent", automatic: false };

describe("computeReport: reply and resolution times", () => {
  it("measures first reply from the first human reply, leaving acknowledgements and bot replies out", () => {
    const history = ticket("t1", [
      [0, "ticket.created", created()],
      [0, "message.received", { channel: "email" }],
      [1, "ack.sent", { channel: "email", authorKind: "system", automatic: true }, { kind: "system", id: "auto-ack" }],
      [5, "reply.sent", { channel: "email", authorKind: "bot", automatic: true }, { kind: "bot", id: "faq" }],
      [30, "reply.sent", agentReply, kim],
      [90, "reply.sent", agentReply, kim],
    ]);
    const r = computeReport(history);
    expect(r.firstReply.count).toBe(1);
    expect(r.firstReply.medianMs).toBe(30 * MIN);
  });

  it("gives median and p90 by linear interpolation and counts every duration in one bucket", () => {
    const history = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].flatMap((m, i) =>
      ticket(`t${i}`, [
        [0, "ticket.created", created()],
        [m, "reply.sent", agentReply, kim],
      ]),
    );
    const r = computeReport(history);
    expect(r.firstReply.medianMs).toBe(55 * MIN);
    expect(r.firstReply.p90Ms).toBeCloseTo(91 * MIN, 6);
    expect(r.firstReply.buckets.find((b) => b.label === "<15m")?.count).toBe(1);
    expect(r.firstReply.buckets.find((b) => b.label === "15m-1h")?.count).toBe(4);
    expect(r.firstReply.buckets.find((b) => b.label === "1h-4h")?.count).toBe(5);
    expect(r.firstReply.buckets.reduce((s, b) => s + b.count, 0)).toBe(10);
  });

  it("measures in business time with a calendar: Friday 17:00 to Monday 10:00 KST is 2 open hours", () => {
    const seoul = defineCalendar({
      id: "seoul",
      timeZone: "Asia/Seoul",
      weekly: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]]),
      ),
    });
    // Friday 2026-11-06 17:00 KST = 08:00Z; Monday 2026-11-09 10:00 KST = 01:00Z.
    const fri = (Date.parse("2026-11-06T08:00:00Z") - T0) / MIN;
    const mon = (Date.parse("2026-11-09T01:00:00Z") - T0) / MIN;
    const history = ticket("t1", [
      [fri, "ticket.created", created()],
      [mon, "reply.sent", agentReply, kim],
      [mon, "status.changed", { from: "open", to: "solved" }, kim],
    ]);
    const business = computeReport(history, { calendar: seoul });
    expect(business.time).toBe("business");
    expect(business.firstReply.medianMs).toBe(2 * H);
    expect(business.resolution.medianMs).toBe(2 * H);
    expect(computeReport(history).firstReply.medianMs).toBe(65 * H);
  });

  it("measures resolution to the last solve and leaves a reopened, unsolved ticket out", () => {
    const history = [
      ...ticket("solved-twice", [
        [0, "ticket.created", created()],
        [10, "reply.sent", agentReply, kim],
        [60, "status.changed", { from: "open", to: "solved" }, kim],
        [120, "status.changed", { from: "solved", to: "open", reason: "customer_message" }],
        [180, "status.changed", { from: "open", to: "solved" }, kim],
      ]),
      ...ticket("reopened", [
        [0, "ticket.created", created()],
        [30, "status.changed", { from: "open", to: "solved" }, kim],
        [40, "status.changed", { from: "solved", to: "open" }],
      ]),
    ];
    const r = computeReport(history);
    expect(r.resolution.count).toBe(1);
    expect(r.resolution.medianMs).toBe(180 * MIN);
    expect(r.reopen).toEqual({ count: 2, total: 2, rate: 1 });
  });

  it("gives the same report whatever the order of the events", () => {
    const history = [
      ...ticket("a", [
        [0, "ticket.created", created()],
        [20, "reply.sent", agentReply, kim],
      ]),
      ...ticket("b", [
        [0, "ticket.created", created()],
        [40, "reply.sent", agentReply, lee],
      ]),
    ];
    expect(computeReport([...history].reverse())).toEqual(computeReport(history));
  });
});

describe("computeReport: SLA, volume, rates, complaints", () => {
  it("reports SLA attainment per policy and metric, a breach counting even when fulfilled later", () => {
    const history = [
      ...ticket("a", [
        [0, "ticket.created", created()],
        [0, "sla.applied", { policyId: "std" }],
        [10, "sla.fulfilled", { metric: "first_reply" }],
      ]),
      ...ticket("b", [
        [0, "ticket.created", created()],
        [0, "sla.applied", { policyId: "std" }],
        [300, "sla.breached", { metric: "first_reply" }],
        [400, "sla.fulfilled", { metric: "first_reply" }],
        [500, "sla.fulfilled", { metric: "resolution" }],
      ]),
      ...ticket("c", [
        [0, "ticket.created", created()],
        [0, "sla.applied", { policyId: "vip" }],
        [10, "sla.fulfilled", { metric: "first_reply" }],
      ]),
    ];
    expect(computeReport(history).sla).toEqual([
      { policyId: "std", metric: "first_reply", attained: 1, breached: 1, rate: 0.5 },
      { policyId: "std", metric: "resolution", attained: 1, breached: 0, rate: 1 },
      { policyId: "vip", metric: "first_reply", attained: 1, breached: 0, rate: 1 },
    ]);
  });

  it("counts volume by final category, channel, and hour and weekday in the shop's time zone", () => {
    // 2026-11-01T23:30Z is Sunday in UTC but Monday 08:30 in Seoul.
    const sundayUtc = (Date.parse("2026-11-01T23:30:00Z") - T0) / MIN;
    const history = [
      ...ticket("a", [
        [sundayUtc, "ticket.created", created({ channel: "whatsapp" })],
        [sundayUtc + 1, "category.changed", { from: "shipping", to: "complaint" }],
      ]),
      ...ticket("b", [[0, "ticket.created", created()]]),
    ];
    const seoul = computeReport(history, { timeZone: "Asia/Seoul" }).volume;
    expect(seoul.byCategory).toEqual({ complaint: 1, shipping: 1 });
    expect(seoul.byChannel).toEqual({ whatsapp: 1, email: 1 });
    expect(seoul.byHour[8]).toBe(1);
    expect(seoul.byHour[9]).toBe(1);
    expect(seoul.byWeekday).toEqual([2, 0, 0, 0, 0, 0, 0]);
    const utc = computeReport(history).volume;
    expect(utc.byHour[23]).toBe(1);
    expect(utc.byWeekday[6]).toBe(1);
  });

  it("counts one-touch resolution: solved after exactly one human reply and never reopened", () => {
    const history = [
      ...ticket("one", [
        [0, "ticket.created", created()],
        [5, "reply.sent", agentReply, kim],
        [6, "status.changed", { from: "open", to: "solved" }, kim],
      ]),
      ...ticket("two", [
        [0, "ticket.created", created()],
        [5, "reply.sent", agentReply, kim],
        [9, "reply.sent", agentReply, kim],
        [10, "status.changed", { from: "open", to: "solved" }, kim],
      ]),
      ...ticket("open", [
        [0, "ticket.created", created()],
        [5, "reply.sent", agentReply, kim],
      ]),
    ];
    expect(computeReport(history).oneTouch).toEqual({ count: 1, total: 2, rate: 0.5 });
  });

  it("counts closed complaints by root cause", () => {
    const close = (cause: string) => ({
      from: "confirm",
      to: "closed",
      action: "customer_confirmed",
      satisfied: true,
      rootCause: cause,
    });
    const history = [
      ...ticket("a", [
        [0, "ticket.created", created({ category: "complaint" })],
        [50, "complaint.advanced", close("late_delivery")],
      ]),
      ...ticket("b", [
        [0, "ticket.created", created({ category: "complaint" })],
        [50, "complaint.advanced", close("late_delivery")],
      ]),
      ...ticket("c", [
        [0, "ticket.created", created({ category: "complaint" })],
        [50, "complaint.advanced", close("wrong_item")],
      ]),
      ...ticket("d", [
        [0, "ticket.created", created({ category: "complaint" })],
        [50, "complaint.advanced", { from: "listen", to: "apologize" }],
      ]),
    ];
    expect(computeReport(history).complaintsByRootCause).toEqual({ late_delivery: 2, wrong_item: 1 });
  });
});

describe("computeReport: filters and bad input", () => {
  const history = [
    ...ticket("email-kim", [
      [0, "ticket.created", created({ tags: ["vip"] })],
      [1, "assigned", { from: null, to: "kim", fromTeam: null, toTeam: "cs-seoul" }],
      [10, "reply.sent", agentReply, kim],
    ]),
    ...ticket("chat-lee", [
      [60 * 24, "ticket.created", created({ channel: "webchat", priority: "high", category: "refund_exchange" })],
      [60 * 24 + 30, "reply.sent", { ...agentReply, channel: "webchat" }, lee],
    ]),
  ];

  it.each([
    [{ channels: ["webchat"] }, "chat-lee"],
    [{ categories: ["shipping"] }, "email-kim"],
    [{ teams: ["cs-seoul"] }, "email-kim"],
    [{ agents: ["lee"] }, "chat-lee"],
    [{ priorities: ["high"] }, "chat-lee"],
    [{ tags: ["vip"] }, "email-kim"],
    [{ period: { from: new Date(T0 + 60 * MIN) } }, "chat-lee"],
    [{ period: { to: new Date(T0 + 60 * MIN) } }, "email-kim"],
  ])("filter %j keeps only %s", (filter, kept) => {
    const r = computeReport(history, filter);
    expect(r.tickets).toBe(1);
    expect(r.firstReply.medianMs).toBe(kept === "email-kim" ? 10 * MIN : 30 * MIN);
  });

  it("refuses an unknown time zone with INVALID_INPUT naming the field", () => {
    let caught: unknown;
    try {
      computeReport(history, { timeZone: "Mars/Olympus" });
    } catch (err) {
      caught = err;
    }
    expect(StoredeskError.is(caught, "INVALID_INPUT")).toBe(true);
    expect((caught as StoredeskError).path).toEqual(["timeZone"]);
  });

  it("reports an empty history as zero counts and null statistics", () => {
    const r = computeReport([]);
    expect(r.tickets).toBe(0);
    expect(r.firstReply).toMatchObject({ count: 0, medianMs: null, p90Ms: null, meanMs: null });
    expect(r.reopen.rate).toBeNull();
  });
});
