/**
 * The SLA wiring of the desk (issue 3), clocks: business calendars, DST, holidays, pauses and reopen,
 * driven through the desk's public API with a manual clock. Re-targeting, timers and restart are in
 * desk-sla-retarget.test.ts. Every expected instant is worked out by hand in a comment: KST = UTC+9 (no DST);
 * New York is UTC-5 (EST) until 2026-03-08 02:00 and UTC-4 (EDT) after, back to EST on 2026-11-01.
 */
import { describe, expect, it } from "vitest";
import { defineSlaPolicy } from "../sla/index.js";
import { seoulCalendar, newYork, kst, msg, setup, metric, eventsOf, firstReply4h } from "./desk-sla-kit.js";

describe("desk SLA: business calendar", () => {
  it("a ticket arriving Friday 20:00 in Seoul is due Monday 14:00 (4 business hours, lunch skipped), promised so in the acknowledgement", async () => {
    // Friday 2026-03-06 20:00 KST = 11:00Z, after closing. Business time starts Monday 09:00:
    // 09:00–12:00 = 3 h, lunch, 13:00–14:00 = 1 h → Monday 2026-03-09 14:00 KST = 05:00Z.
    // The warning is 30 business minutes earlier: 13:30 KST = 04:30Z; that is the first timer.
    const { desk, chat, slaJobs } = setup({
      start: kst("2026-03-06 20:00"),
      policies: [firstReply4h],
      calendar: seoulCalendar(),
      autoAcknowledge: true,
    });
    const { ticket } = await desk.ingest(msg("주말에 도착할까요?"));
    const saved = await desk.getTicket(ticket!.id);
    expect(saved.sla?.policyId).toBe("business");
    expect(metric(saved, "first_reply")).toMatchObject({
      status: "active",
      dueAt: "2026-03-09T05:00:00.000Z",
      targetMinutes: 240,
      businessTimeUsedMs: 0,
    });
    expect(saved.slaDueAt?.toISOString()).toBe("2026-03-09T05:00:00.000Z");
    expect(await slaJobs(saved.id)).toEqual(["2026-03-09T04:30:00.000Z"]);
    // The acknowledgement promises the business-time deadline, in Seoul time, and is not a reply.
    expect(chat.sent).toHaveLength(1);
    expect(chat.sent[0]!.text).toContain("3월 9일");
    expect(chat.sent[0]!.text).toContain("14:00까지");
    expect(metric(saved, "first_reply")?.status).toBe("active");
    const applied = (await eventsOf(desk, saved.id)).find((e) => e.type === "sla.applied");
    expect(applied?.data).toEqual({ policyId: "business", dueAt: "2026-03-09T05:00:00.000Z" });
  });

  it("tickets arriving on a Saturday, before opening and during lunch start their clocks at the next opening", async () => {
    const { desk, clock } = setup({
      start: kst("2026-03-07 10:00"),
      policies: [firstReply4h],
      calendar: seoulCalendar(),
    });
    // Saturday 10:00 KST: closed all weekend → Monday 09:00 + 4 h (3 h, lunch, 1 h) = Monday 14:00 KST = 05:00Z.
    const saturday = await desk.ingest(
      msg("토요일 문의", { conversationKey: "sat", from: { identities: [{ kind: "webchat", value: "v-sat" }] } }),
    );
    // Monday 07:00 KST, before opening: the same Monday 14:00 KST = 05:00Z.
    clock.set(kst("2026-03-09 07:00"));
    const early = await desk.ingest(
      msg("이른 아침 문의", {
        conversationKey: "early",
        from: { identities: [{ kind: "webchat", value: "v-early" }] },
      }),
    );
    // Monday 12:30 KST, at lunch: 13:00 + 4 h = 17:00 KST = 08:00Z.
    clock.set(kst("2026-03-09 12:30"));
    const lunch = await desk.ingest(
      msg("점심시간 문의", { conversationKey: "lunch", from: { identities: [{ kind: "webchat", value: "v-lunch" }] } }),
    );
    expect(metric(saturday.ticket, "first_reply")?.dueAt).toBe("2026-03-09T05:00:00.000Z");
    expect(metric(early.ticket, "first_reply")?.dueAt).toBe("2026-03-09T05:00:00.000Z");
    expect(metric(lunch.ticket, "first_reply")?.dueAt).toBe("2026-03-09T08:00:00.000Z");
    // Monday 12:30 KST: the Saturday ticket has used 09:00–12:00 = 3 business hours, no more during lunch.
    const sat = await desk.getTicket(saturday.ticket!.id);
    expect(sat.slaDueAt?.toISOString()).toBe("2026-03-09T05:00:00.000Z");
    const due = await desk.listTickets({ slaDueBefore: new Date("2026-03-09T06:00:00.000Z") });
    expect(due.map((t) => t.id).sort()).toEqual([saturday.ticket!.id, early.ticket!.id].sort());
  });

  it("a holiday on Monday pushes a Friday-evening ticket to Tuesday", async () => {
    // Friday 2026-03-06 20:00 KST; Monday 2026-03-09 is a holiday → Tuesday 09:00–12:00 (3 h) + 13:00–14:00 (1 h)
    // = Tuesday 2026-03-10 14:00 KST = 05:00Z; warning at 13:30 KST = 04:30Z.
    const { desk, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-06 20:00"),
      policies: [firstReply4h],
      calendar: seoulCalendar([{ date: "2026-03-09", name: "임시공휴일" }]),
    });
    const { ticket } = await desk.ingest(msg("문의드립니다"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-10T05:00:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-03-10T04:30:00.000Z"]);
    // Nothing fires on the holiday at the hour the ticket would have breached on a working Monday.
    expect((await runAt(kst("2026-03-09 14:00"))).ran).toBe(0);
    expect(notices).toEqual([]);
  });

  it("a holiday range spanning a weekend is skipped whole", async () => {
    // Thursday 2026-03-05 16:30 KST (07:30Z); holidays Fri 03-06 … Mon 03-09 around the weekend.
    // Thursday 16:30–18:00 = 1.5 h; next open Tuesday 09:00; 2.5 h more → Tuesday 2026-03-10 11:30 KST = 02:30Z.
    // Warning at 3.5 h used: Tuesday 11:00 KST = 02:00Z.
    const cal = seoulCalendar([{ from: "2026-03-06", to: "2026-03-09", name: "연휴" }]);
    const { desk, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-05 16:30"),
      policies: [firstReply4h],
      calendar: cal,
    });
    const { ticket } = await desk.ingest(msg("연휴 전에 문의"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-10T02:30:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-03-10T02:00:00.000Z"]);
    expect((await runAt(kst("2026-03-10 10:59"))).ran).toBe(0);
    await runAt(kst("2026-03-10 11:00"));
    expect(notices).toEqual(["warning:first_reply@2026-03-10T02:30:00.000Z"]);
    await runAt(kst("2026-03-10 11:30"));
    expect(notices).toEqual([
      "warning:first_reply@2026-03-10T02:30:00.000Z",
      "breached:first_reply@2026-03-10T02:30:00.000Z",
    ]);
  });
});

describe("desk SLA: daylight saving time (New York)", () => {
  const twoHours = defineSlaPolicy({
    id: "us",
    name: "US",
    warnBeforeMinutes: 30,
    targets: { default: { first_reply: { minutes: 120, time: "business" } } },
  });

  it("across the March change, Monday opens at 09:00 EDT (13:00Z), not 09:00 EST", async () => {
    // Friday 2026-03-06 16:00 EST = 21:00Z. Friday 16:00–17:00 = 1 h. Clocks spring forward Sunday 2026-03-08.
    // Monday 2026-03-09 09:00 EDT = 13:00Z, + 1 h = 10:00 EDT = 14:00Z (a fixed −5 h offset would say 15:00Z).
    // Warning at 1.5 h used: Monday 09:30 EDT = 13:30Z.
    const { desk, slaJobs, runAt, notices } = setup({
      start: new Date("2026-03-06T16:00:00-05:00"),
      policies: [twoHours],
      calendar: newYork,
    });
    const { ticket } = await desk.ingest(msg("Where is my order?"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-09T14:00:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-03-09T13:30:00.000Z"]);
    expect((await runAt(new Date("2026-03-09T13:29:00.000Z"))).ran).toBe(0);
    await runAt(new Date("2026-03-09T13:30:00.000Z"));
    expect(notices).toEqual(["warning:first_reply@2026-03-09T14:00:00.000Z"]);
    await runAt(new Date("2026-03-09T14:00:00.000Z"));
    expect(notices.at(-1)).toBe("breached:first_reply@2026-03-09T14:00:00.000Z");
    expect(metric(await desk.getTicket(ticket!.id), "first_reply")).toMatchObject({
      status: "breached",
      breachedAt: "2026-03-09T14:00:00.000Z",
    });
  });

  it("across the November change, Monday opens at 09:00 EST (14:00Z)", async () => {
    // Friday 2026-10-30 16:00 EDT = 20:00Z; 1 h on Friday. Clocks fall back Sunday 2026-11-01.
    // Monday 2026-11-02 09:00 EST = 14:00Z, + 1 h = 15:00Z. Warning at 09:30 EST = 14:30Z.
    const { desk, slaJobs } = setup({
      start: new Date("2026-10-30T16:00:00-04:00"),
      policies: [twoHours],
      calendar: newYork,
    });
    const { ticket } = await desk.ingest(msg("Where is my order?"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-11-02T15:00:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-11-02T14:30:00.000Z"]);
  });
});

describe("desk SLA: pauses", () => {
  const resolution = defineSlaPolicy({
    id: "resolution",
    name: "Resolution",
    targets: {
      default: {
        first_reply: { minutes: 60, time: "business" },
        requester_wait: { minutes: 360, time: "business" },
        agent_work: { minutes: 240, time: "business" },
      },
    },
  });

  it("pending pauses requester wait and agent work; on hold pauses agent work only; due times move out by the paused business time", async () => {
    const { desk, clock, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-02 09:00"),
      policies: [resolution],
      calendar: seoulCalendar(),
    });
    // Monday 2026-03-02 09:00 KST = 00:00Z. Unpaused, requester_wait (6 h) would be due 09–12 + 13–16 → 16:00 KST = 07:00Z,
    // agent_work (4 h) 09–12 + 13–14 → 14:00 KST = 05:00Z.
    const { ticket } = await desk.ingest(msg("교환 문의"));
    const id = ticket!.id;
    expect(metric(ticket, "requester_wait")?.dueAt).toBe("2026-03-02T07:00:00.000Z");
    expect(metric(ticket, "agent_work")?.dueAt).toBe("2026-03-02T05:00:00.000Z");

    // 09:30 KST: the agent replies and waits for the customer (pending). 30 business minutes used by both.
    clock.set(kst("2026-03-02 09:30"));
    const pendingTicket = await (async () => {
      await desk.reply(id, { text: "주문번호 알려주세요", agentId: "agent-1", status: "pending" });
      return desk.getTicket(id);
    })();
    expect(pendingTicket.status).toBe("pending");
    expect(metric(pendingTicket, "first_reply")?.status).toBe("fulfilled");
    // Paused: dueAt is when it would breach if the clock resumed now. requester_wait: 5.5 h from 09:30 =
    // 09:30–12:00 (2.5 h) + 13:00–16:00 → 16:00 KST = 07:00Z. agent_work: 3.5 h → 13:00–14:00 → 14:00 KST = 05:00Z.
    expect(metric(pendingTicket, "requester_wait")).toMatchObject({
      status: "paused",
      dueAt: "2026-03-02T07:00:00.000Z",
      businessTimeUsedMs: 30 * 60_000,
    });
    expect(metric(pendingTicket, "agent_work")).toMatchObject({ status: "paused", dueAt: "2026-03-02T05:00:00.000Z" });
    expect(pendingTicket.slaDueAt).toBeNull();
    expect(await slaJobs(id)).toEqual([]);

    // 14:00 KST: agent_work would have breached right now without the pause; nothing fires.
    expect((await runAt(kst("2026-03-02 14:00"))).ran).toBe(0);
    // The customer answers: pending → open. Paused 09:30–14:00 = 2.5 h + 1 h = 3.5 business hours.
    const resumed = (await desk.ingest(msg("주문번호는 1001입니다"))).ticket!;
    expect(resumed.status).toBe("open");
    // requester_wait: 16:00 KST Monday + 3.5 business hours = 16–18 (2 h) + Tue 09:00–10:30 → Tue 2026-03-03 10:30 KST = 01:30Z.
    // agent_work: 14:00 KST Monday + 3.5 h = 17:30 KST = 08:30Z.
    expect(metric(resumed, "requester_wait")).toMatchObject({
      status: "active",
      dueAt: "2026-03-03T01:30:00.000Z",
      businessTimeUsedMs: 30 * 60_000,
    });
    expect(metric(resumed, "agent_work")).toMatchObject({ status: "active", dueAt: "2026-03-02T08:30:00.000Z" });
    expect(resumed.slaDueAt?.toISOString()).toBe("2026-03-02T08:30:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-02T08:30:00.000Z"]);

    // 15:00 KST on hold (waiting for the warehouse) until 16:00: agent_work stops at 1.5 h used, requester_wait keeps running.
    clock.set(kst("2026-03-02 15:00"));
    const held = await desk.setStatus(id, "on_hold", { agentId: "agent-1" });
    expect(metric(held, "agent_work")).toMatchObject({ status: "paused", businessTimeUsedMs: 90 * 60_000 });
    expect(metric(held, "requester_wait")).toMatchObject({ status: "active", dueAt: "2026-03-03T01:30:00.000Z" });
    expect(held.slaDueAt?.toISOString()).toBe("2026-03-03T01:30:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-03T01:30:00.000Z"]);
    // 16:00 KST back to open: agent_work needs 2.5 h more → 16–18 (2 h) + Tue 09:00–09:30 → Tue 09:30 KST = 00:30Z.
    clock.set(kst("2026-03-02 16:00"));
    const reopened = await desk.setStatus(id, "open", { agentId: "agent-1" });
    expect(metric(reopened, "agent_work")).toMatchObject({ status: "active", dueAt: "2026-03-03T00:30:00.000Z" });
    expect(metric(reopened, "requester_wait")?.dueAt).toBe("2026-03-03T01:30:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-03T00:30:00.000Z"]);

    expect((await runAt(kst("2026-03-03 09:29"))).ran).toBe(0);
    await runAt(kst("2026-03-03 09:30"));
    await runAt(kst("2026-03-03 10:30"));
    expect(notices).toEqual([
      "fulfilled:first_reply",
      "breached:agent_work@2026-03-03T00:30:00.000Z",
      "breached:requester_wait@2026-03-03T01:30:00.000Z",
    ]);
    const statusChanges = (await desk.listEvents(id))
      .filter((e) => e.type === "status.changed")
      .map((e) => `${String(e.data.from)}→${String(e.data.to)}`);
    expect(statusChanges).toEqual(["new→pending", "pending→open", "open→on_hold", "on_hold→open"]);
  });
});

describe("desk SLA: reopen", () => {
  const replies = defineSlaPolicy({
    id: "replies",
    name: "Replies",
    targets: {
      default: {
        first_reply: { minutes: 60, time: "calendar" },
        next_reply: { minutes: 120, time: "calendar" },
        requester_wait: { minutes: 24 * 60, time: "calendar" },
      },
    },
  });

  it("a solved ticket reopened by the customer re-arms next reply and resolution, keeping the resolution time used", async () => {
    // Calendar-time targets: the business calendar does not apply to them.
    const { desk, clock, slaJobs, runAt, notices } = setup({
      start: kst("2026-03-02 10:00"),
      policies: [replies],
      calendar: seoulCalendar(),
    });
    const { ticket } = await desk.ingest(msg("반품하고 싶어요"));
    const id = ticket!.id;
    // 10:30 KST (01:30Z): replied and solved after 30 minutes; everything running is fulfilled, no SLA timer left.
    clock.set(kst("2026-03-02 10:30"));
    await desk.reply(id, { text: "반품 접수되었습니다", agentId: "agent-1", status: "solved" });
    const solved = await desk.getTicket(id);
    expect(metric(solved, "first_reply")).toMatchObject({
      status: "fulfilled",
      fulfilledAt: "2026-03-02T01:30:00.000Z",
    });
    expect(metric(solved, "requester_wait")).toMatchObject({ status: "fulfilled", businessTimeUsedMs: 30 * 60_000 });
    expect(metric(solved, "next_reply")?.status).toBe("inactive");
    expect(solved.slaDueAt).toBeNull();
    expect(await slaJobs(id)).toEqual([]);
    expect(notices).toEqual(["fulfilled:first_reply", "fulfilled:requester_wait"]);

    // 13:00 KST (04:00Z): the customer writes again.
    clock.set(kst("2026-03-02 13:00"));
    const again = await desk.ingest(msg("반품 수거가 안 왔어요"));
    expect(again.outcome).toBe("reopened");
    const reopened = again.ticket!;
    // next_reply: 04:00Z + 2 h = 06:00Z. requester_wait: 24 h − 30 min used = 23.5 h from 04:00Z → 2026-03-03 03:30Z.
    expect(metric(reopened, "next_reply")).toMatchObject({ status: "active", dueAt: "2026-03-02T06:00:00.000Z" });
    expect(metric(reopened, "requester_wait")).toMatchObject({ status: "active", dueAt: "2026-03-03T03:30:00.000Z" });
    expect(metric(reopened, "first_reply")?.status).toBe("fulfilled");
    expect(reopened.slaDueAt?.toISOString()).toBe("2026-03-02T06:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-02T06:00:00.000Z"]);

    // 14:00 KST (05:00Z) the agent answers: next_reply fulfilled; the timer moves to requester_wait.
    clock.set(kst("2026-03-02 14:00"));
    await desk.reply(id, { text: "내일 수거 예정입니다", agentId: "agent-1" });
    expect(notices.at(-1)).toBe("fulfilled:next_reply");
    expect(await slaJobs(id)).toEqual(["2026-03-03T03:30:00.000Z"]);
    expect((await runAt(new Date("2026-03-02T06:00:00.000Z"))).ran).toBe(0);
    await runAt(new Date("2026-03-03T03:30:00.000Z"));
    expect(notices.at(-1)).toBe("breached:requester_wait@2026-03-03T03:30:00.000Z");
  });
});
