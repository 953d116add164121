/**
 * The SLA wiring of the desk (issue 3), changes: a policy or priority changed mid-flight, timers,
 * escalation re-targets and restart. Expected instants are worked out by hand in comments (KST = UTC+9).
 */
import { describe, expect, it } from "vitest";
import { defineSlaPolicy } from "../sla/index.js";
import { seoulCalendar, kst, msg, setup, metric, eventsOf, firstReply4h } from "./desk-sla-kit.js";

describe("desk SLA: policy change mid-flight", () => {
  const policies = [
    defineSlaPolicy({
      id: "complaints",
      name: "Complaints",
      conditions: { categories: ["complaint"] },
      targets: { default: { first_reply: { minutes: 60, time: "business" } } },
    }),
    defineSlaPolicy({
      id: "standard",
      name: "Standard",
      warnBeforeMinutes: 30,
      targets: {
        default: { first_reply: { minutes: 480, time: "business" } },
        urgent: { first_reply: { minutes: 90, time: "business" } },
      },
    }),
  ];

  it("a category change selects another policy and re-targets from the ticket's start", async () => {
    // Monday 2026-03-02 10:00 KST (01:00Z), shipping → "standard": 8 business hours = 10–12 (2 h) + 13–18 (5 h)
    // + Tue 09–10 (1 h) → Tue 2026-03-03 10:00 KST = 01:00Z; warning 30 min earlier: Tue 09:30 KST = 00:30Z.
    const { desk, clock, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-02 10:00"),
      policies,
      calendar: seoulCalendar(),
      category: "shipping",
    });
    const { ticket } = await desk.ingest(msg("배송이 너무 늦어요"));
    const id = ticket!.id;
    expect(ticket?.sla?.policyId).toBe("standard");
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-03T01:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-03T00:30:00.000Z"]);
    // 10:20 KST the agent recategorises it as a complaint: 1 business hour from 10:00 → 11:00 KST = 02:00Z (no warning in this policy).
    clock.set(kst("2026-03-02 10:20"));
    const changed = await desk.setCategory(id, "complaint", { agentId: "agent-1" });
    expect(changed.sla?.policyId).toBe("complaints");
    expect(metric(changed, "first_reply")).toMatchObject({
      status: "active",
      dueAt: "2026-03-02T02:00:00.000Z",
      targetMinutes: 60,
      businessTimeUsedMs: 20 * 60_000,
    });
    expect(changed.slaDueAt?.toISOString()).toBe("2026-03-02T02:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:00:00.000Z"]);
    const audit = (await desk.listEvents(id)).find((e) => e.type === "category.changed");
    expect(audit).toMatchObject({
      actor: { kind: "agent", id: "agent-1" },
      data: { from: "shipping", to: "complaint" },
    });
    await runAt(kst("2026-03-02 11:00"));
    expect(notices).toEqual(["breached:first_reply@2026-03-02T02:00:00.000Z"]);
  });

  it("a priority change re-targets the running metric and its timer, and lowering it again restores the longer deadline", async () => {
    const { desk, clock, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-02 10:00"),
      policies,
      calendar: seoulCalendar(),
      category: "shipping",
    });
    const { ticket } = await desk.ingest(msg("배송 문의"));
    const id = ticket!.id;
    // 10:30 KST urgent: 90 business minutes from 10:00 → 11:30 KST = 02:30Z; warning at 60 min → 11:00 KST = 02:00Z.
    clock.set(kst("2026-03-02 10:30"));
    const urgent = await desk.setPriority(id, "urgent", { agentId: "agent-1" });
    expect(urgent.sla?.policyId).toBe("standard");
    expect(metric(urgent, "first_reply")).toMatchObject({ dueAt: "2026-03-02T02:30:00.000Z", targetMinutes: 90 });
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:00:00.000Z"]);
    await runAt(kst("2026-03-02 11:00"));
    expect(notices).toEqual(["warning:first_reply@2026-03-02T02:30:00.000Z"]);
    // Back to normal before the urgent deadline: the 8-hour target is in force again (Tue 10:00 KST = 01:00Z). A cycle
    // warns once (the engine's documented rule), so the next timer is the breach itself, not a second warning at 09:30.
    clock.set(kst("2026-03-02 11:10"));
    const normal = await desk.setPriority(id, "normal", { agentId: "agent-1" });
    expect(metric(normal, "first_reply")).toMatchObject({
      status: "active",
      dueAt: "2026-03-03T01:00:00.000Z",
      targetMinutes: 480,
    });
    expect(await slaJobs(id)).toEqual(["2026-03-03T01:00:00.000Z"]);
    expect((await runAt(kst("2026-03-02 11:30"))).ran).toBe(0);
    expect(notices).toHaveLength(1);
  });

  it("a priority change past the new target breaches at the instant of the change", async () => {
    const { desk, clock, notices, slaJobs } = setup({
      start: kst("2026-03-02 10:00"),
      policies,
      calendar: seoulCalendar(),
      category: "shipping",
    });
    const { ticket } = await desk.ingest(msg("배송 문의"));
    // 11:45 KST (02:45Z): 105 business minutes used > 90 → breached now; no warning for a deadline already past.
    clock.set(kst("2026-03-02 11:45"));
    const urgent = await desk.setPriority(ticket!.id, "urgent", { agentId: "agent-1" });
    expect(metric(urgent, "first_reply")).toMatchObject({ status: "breached", breachedAt: "2026-03-02T02:45:00.000Z" });
    expect(notices).toEqual(["breached:first_reply@2026-03-02T02:45:00.000Z"]);
    expect(await slaJobs(ticket!.id)).toEqual([]);
  });
});

describe("desk SLA: timers", () => {
  const ninety = defineSlaPolicy({
    id: "ninety",
    name: "90 minutes",
    warnBeforeMinutes: 30,
    targets: { default: { first_reply: { minutes: 90, time: "business" } } },
  });

  it("a warning fires exactly once across repeated runDue calls, then the breach once", async () => {
    // Monday 10:00 KST (01:00Z) + 90 business min = 11:30 KST (02:30Z); warning at 11:00 KST (02:00Z).
    const { desk, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-02 10:00"),
      policies: [ninety],
      calendar: seoulCalendar(),
    });
    const { ticket } = await desk.ingest(msg("문의"));
    const id = ticket!.id;
    expect((await runAt(kst("2026-03-02 11:00"))).ran).toBe(1);
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:30:00.000Z"]);
    expect((await runAt(kst("2026-03-02 11:00"))).ran).toBe(0);
    expect((await runAt(kst("2026-03-02 11:10"))).ran).toBe(0);
    expect(notices).toEqual(["warning:first_reply@2026-03-02T02:30:00.000Z"]);
    await runAt(kst("2026-03-02 11:30"));
    await runAt(kst("2026-03-02 12:30"));
    expect(notices).toEqual([
      "warning:first_reply@2026-03-02T02:30:00.000Z",
      "breached:first_reply@2026-03-02T02:30:00.000Z",
    ]);
    expect((await eventsOf(desk, id)).filter((e) => e.type !== "sla.checked").map((e) => e.type)).toEqual([
      "sla.applied",
      "sla.warning",
      "sla.breached",
    ]);
    expect(await slaJobs(id)).toEqual([]);
  });

  it("a late runDue reports the missed warning and breach once each, in order, with their own instants", async () => {
    const { desk, runAt, notices } = setup({
      start: kst("2026-03-02 10:00"),
      policies: [ninety],
      calendar: seoulCalendar(),
    });
    const { ticket } = await desk.ingest(msg("문의"));
    await runAt(kst("2026-03-02 15:00"));
    expect(notices).toEqual([
      "warning:first_reply@2026-03-02T02:30:00.000Z",
      "breached:first_reply@2026-03-02T02:30:00.000Z",
    ]);
    const logged = (await eventsOf(desk, ticket!.id)).filter(
      (e) => e.type === "sla.warning" || e.type === "sla.breached",
    );
    expect(logged.map((e) => [e.type, e.data.at])).toEqual([
      ["sla.warning", "2026-03-02T02:00:00.000Z"],
      ["sla.breached", "2026-03-02T02:30:00.000Z"],
    ]);
    await runAt(kst("2026-03-02 16:00"));
    expect(notices).toHaveLength(2);
  });

  it("escalation raises the priority and reassigns the team as audited SLA events", async () => {
    const policy = defineSlaPolicy({
      id: "escalating",
      name: "Escalating",
      warnBeforeMinutes: 30,
      targets: { default: { first_reply: { minutes: 90, time: "business" } } },
      escalations: [
        { on: "warn", metrics: ["first_reply"], notify: ["cs-lead@shop.example"] },
        {
          on: "breach",
          metrics: ["first_reply"],
          raisePriority: "high",
          assignTeam: "leads",
          notify: ["manager@shop.example"],
        },
      ],
    });
    const { desk, runAt, notices } = setup({
      start: kst("2026-03-02 10:00"),
      policies: [policy],
      calendar: seoulCalendar(),
    });
    const { ticket } = await desk.ingest(msg("문의"));
    const id = ticket!.id;
    await desk.assign(id, { agentId: "agent-1", team: "cs" }, { agentId: "lead" });
    const updates: string[][] = [];
    desk.on("ticket.updated", ({ events }) => updates.push(events.map((e) => e.type)));

    await runAt(kst("2026-03-02 11:00")); // warning: notify only
    expect(notices).toEqual([
      "warning:first_reply@2026-03-02T02:30:00.000Z",
      "escalated:first_reply:cs-lead@shop.example",
    ]);
    let t = await desk.getTicket(id);
    expect(t).toMatchObject({ priority: "normal", team: "cs", assigneeId: "agent-1" });

    await runAt(kst("2026-03-02 11:30")); // breach: priority, team, notify
    expect(notices.slice(2)).toEqual([
      "breached:first_reply@2026-03-02T02:30:00.000Z",
      "escalated:first_reply:manager@shop.example",
    ]);
    t = await desk.getTicket(id);
    expect(t).toMatchObject({ priority: "high", team: "leads", assigneeId: null });
    const log = await desk.listEvents(id);
    const sla = { kind: "system", id: "sla" };
    const breachAt = new Date("2026-03-02T02:30:00.000Z");
    expect(log.find((e) => e.type === "priority.changed")).toMatchObject({
      actor: sla,
      at: breachAt,
      data: { from: "normal", to: "high", reason: "sla.breach" },
    });
    expect(log.filter((e) => e.type === "assigned").at(-1)).toMatchObject({
      actor: sla,
      at: breachAt,
      data: { from: "agent-1", to: null, fromTeam: "cs", toTeam: "leads", reason: "sla.breach" },
    });
    expect(log.filter((e) => e.type === "sla.escalated").map((e) => e.data)).toEqual([
      { metric: "first_reply", on: "warn", metrics: ["first_reply"], notify: ["cs-lead@shop.example"] },
      {
        metric: "first_reply",
        on: "breach",
        metrics: ["first_reply"],
        raisePriority: "high",
        assignTeam: "leads",
        notify: ["manager@shop.example"],
      },
    ]);
    expect(updates.at(-1)).toEqual(
      expect.arrayContaining(["sla.breached", "priority.changed", "assigned", "sla.escalated"]),
    );
    // Escalating to a priority the ticket already has changes nothing more.
    await runAt(kst("2026-03-02 17:00"));
    expect(notices).toHaveLength(4);
  });
});

describe("desk SLA: escalation re-targets", () => {
  // Calendar-time targets; normal: requester_wait 24 h; urgent: shorter. A first-reply breach raises the priority to urgent.
  const policy = (urgentWaitMinutes: number) =>
    defineSlaPolicy({
      id: "raise",
      name: "Raise on breach",
      targets: {
        default: {
          first_reply: { minutes: 60, time: "calendar" },
          requester_wait: { minutes: 24 * 60, time: "calendar" },
        },
        urgent: { requester_wait: { minutes: urgentWaitMinutes, time: "calendar" } },
      },
      escalations: [{ on: "breach", metrics: ["first_reply"], raisePriority: "urgent" }],
    });

  it("a priority raised by an escalation re-targets the other metrics and the timer at once", async () => {
    // Created Monday 10:00 KST (01:00Z); first_reply breaches at 11:00 KST (02:00Z) and raises the priority to urgent.
    // requester_wait, urgent = 4 h from creation → 14:00 KST = 05:00Z (not 24 h → 2026-03-03 01:00Z).
    const { desk, runAt, notices, slaJobs } = setup({
      start: kst("2026-03-02 10:00"),
      policies: [policy(240)],
      calendar: seoulCalendar(),
    });
    const { ticket } = await desk.ingest(msg("문의"));
    const id = ticket!.id;
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:00:00.000Z"]);
    await runAt(kst("2026-03-02 11:00"));
    const raised = await desk.getTicket(id);
    expect(raised.priority).toBe("urgent");
    expect(metric(raised, "requester_wait")).toMatchObject({
      status: "active",
      dueAt: "2026-03-02T05:00:00.000Z",
      targetMinutes: 240,
    });
    expect(raised.slaDueAt?.toISOString()).toBe("2026-03-02T05:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-02T05:00:00.000Z"]);
    await runAt(kst("2026-03-02 14:00"));
    expect(notices).toEqual([
      "breached:first_reply@2026-03-02T02:00:00.000Z",
      "breached:requester_wait@2026-03-02T05:00:00.000Z",
    ]);
  });

  it("a priority raised by an escalation past another metric's new target breaches it in the same run", async () => {
    // urgent requester_wait = 30 min, but 60 min are used when the first-reply breach raises the priority at 02:00Z:
    // requester_wait breaches at that instant, and is reported now (a later evaluation would start after it).
    const { desk, runAt, notices, slaJobs } = setup({
      start: kst("2026-03-02 10:00"),
      policies: [policy(30)],
      calendar: seoulCalendar(),
    });
    const { ticket } = await desk.ingest(msg("문의"));
    await runAt(kst("2026-03-02 11:00"));
    expect(notices).toEqual([
      "breached:first_reply@2026-03-02T02:00:00.000Z",
      "breached:requester_wait@2026-03-02T02:00:00.000Z",
    ]);
    const t = await desk.getTicket(ticket!.id);
    expect(metric(t, "requester_wait")).toMatchObject({ status: "breached", breachedAt: "2026-03-02T02:00:00.000Z" });
    expect((await eventsOf(desk, t.id)).filter((e) => e.type === "sla.breached").map((e) => e.data.metric)).toEqual([
      "first_reply",
      "requester_wait",
    ]);
    expect(await slaJobs(t.id)).toEqual([]);
    await runAt(kst("2026-03-03 12:00"));
    expect(notices).toHaveLength(2);
  });
});

describe("desk SLA: restart", () => {
  it("a new desk on the same store fires the timers the old one scheduled, without repeating what it already reported", async () => {
    // Friday 2026-03-06 20:00 KST: warning Monday 13:30 KST (04:30Z), breach 14:00 KST (05:00Z), as in the first test.
    const {
      store,
      desk,
      runAt,
      restart,
      notices: oldNotices,
      slaJobs,
    } = setup({ start: kst("2026-03-06 20:00"), policies: [firstReply4h], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("주말 문의"));
    const id = ticket!.id;
    expect(await slaJobs(id)).toEqual(["2026-03-09T04:30:00.000Z"]);

    // The process dies; another one starts on the same store and clock.
    const second = restart();
    expect((await runAt(kst("2026-03-09 13:29"), second.desk)).ran).toBe(0);
    expect((await runAt(kst("2026-03-09 13:30"), second.desk)).ran).toBe(1);
    expect(second.notices).toEqual(["warning:first_reply@2026-03-09T05:00:00.000Z"]);
    expect(await slaJobs(id)).toEqual(["2026-03-09T05:00:00.000Z"]);

    // It dies too, holding the breach job mid-run (claimed, never completed): a third desk waits out the lease.
    const third = restart();
    const claimed = await store.scheduler!.claimDue(kst("2026-03-09 14:00"), {
      workerId: "crashed",
      limit: 10,
      leaseMs: 60_000,
    });
    expect(claimed.map((j) => j.type)).toEqual(["sla.check"]);
    expect((await runAt(kst("2026-03-09 14:00"), third.desk)).ran).toBe(0);
    expect((await runAt(kst("2026-03-09 14:01"), third.desk)).ran).toBe(1);
    // The warning is not reported again: the stored snapshot says when the SLA was last evaluated.
    expect(third.notices).toEqual(["breached:first_reply@2026-03-09T05:00:00.000Z"]);
    expect(oldNotices).toEqual([]);
    expect((await eventsOf(third.desk, id)).filter((e) => e.type !== "sla.checked").map((e) => e.type)).toEqual([
      "sla.applied",
      "sla.warning",
      "sla.breached",
    ]);
    expect(metric(await third.desk.getTicket(id), "first_reply")).toMatchObject({
      status: "breached",
      breachedAt: "2026-03-09T05:00:00.000Z",
    });
  });
});
