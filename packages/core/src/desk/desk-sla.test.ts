/**
 * The SLA wiring of the desk (issue 3): business calendars, DST, holidays, pauses, reopen,
 * re-targeting and restart, driven through the desk's public API with a manual clock.
 * Every expected instant is worked out by hand in a comment: KST = UTC+9 (no DST);
 * New York is UTC-5 (EST) until 2026-03-08 02:00 and UTC-4 (EDT) after, back to EST on 2026-11-01.
 */
import { describe, expect, it } from "vitest";
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { classifyText, type Classifier } from "../classify/classify-text.js";
import { defineSlaPolicy, type SlaPolicy } from "../sla/index.js";
import { defineCalendar, type BusinessCalendar } from "../calendar/index.js";
import type { Category, Priority } from "../domain/enums.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Ticket } from "../domain/ticket.js";
import type { Store } from "../ports/store.js";

/** Seoul office: Mon–Fri 09:00–12:00 and 13:00–18:00 (lunch 12–13). */
function seoulCalendar(holidays: Parameters<typeof defineCalendar>[0]["holidays"] = []): BusinessCalendar {
  const day = [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }];
  return defineCalendar({ id: "seoul", timeZone: "Asia/Seoul", weekly: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays });
}

/** New York office: Mon–Fri 09:00–17:00. */
const newYork = defineCalendar({
  id: "nyc",
  timeZone: "America/New_York",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "17:00" }]])),
});

/** A wall-clock time in Seoul, e.g. kst("2026-03-06 20:00"). */
const kst = (local: string): Date => new Date(`${local.replace(" ", "T")}:00+09:00`);

/** A classifier that always answers one category and priority, so policies are chosen by the test. */
function fixedClassifier(category: Category, priority: Priority = "normal"): Classifier {
  return (input) => ({ ...classifyText(input), category, topic: category, suggestedPriority: priority, complaint: { signal: false, score: 0 } });
}

let n = 0;
function msg(text: string, overrides: Partial<Extract<InboundEventInput, { type: "message" }>> = {}): InboundEventInput {
  n += 1;
  return {
    type: "message", channel: "webchat", externalId: `sla-ext-${n}`, occurredAt: new Date(0),
    from: { identities: [{ kind: "webchat", value: "visitor-1" }], name: "김민수" }, text, conversationKey: "chat-1", ...overrides,
  };
}

interface SetupOptions {
  start: Date;
  policies: SlaPolicy[];
  calendar: BusinessCalendar;
  category?: Category;
  priority?: Priority;
  store?: Store;
  autoAcknowledge?: boolean;
}

function setup(o: SetupOptions) {
  const store = o.store ?? memoryStore();
  const clock = manualClock(o.start);
  const chat = memoryChannel();
  const make = () => {
    const desk = createDesk({
      store, clock, channels: [chat], sla: { policies: o.policies, calendar: o.calendar },
      classifier: fixedClassifier(o.category ?? "other", o.priority ?? "normal"), autoAcknowledge: o.autoAcknowledge ?? false,
    });
    const notices: string[] = [];
    desk.on("sla.warning", ({ metric, dueAt }) => notices.push(`warning:${metric}@${dueAt?.toISOString() ?? "-"}`));
    desk.on("sla.breached", ({ metric, dueAt }) => notices.push(`breached:${metric}@${dueAt?.toISOString() ?? "-"}`));
    desk.on("sla.fulfilled", ({ metric }) => notices.push(`fulfilled:${metric}`));
    desk.on("sla.escalated", ({ metric, notify }) => notices.push(`escalated:${metric}:${notify.join(",")}`));
    return { desk, notices };
  };
  const { desk, notices } = make();
  /** Moves the clock to `at` and fires what is due there. */
  const runAt = (at: Date, d = desk) => {
    clock.set(at);
    return d.runDue(at);
  };
  const slaJobs = async (ticketId: string) =>
    (await store.listJobs({ ticketId })).filter((j) => j.type === "sla.check").map((j) => j.runAt.toISOString());
  return { store, clock, chat, desk, notices, runAt, slaJobs, restart: make };
}

const metric = (t: Ticket | null | undefined, name: string) => t?.sla?.metrics.find((m) => m.metric === name);

async function eventsOf(desk: ReturnType<typeof createDesk>, ticketId: string, prefix = "sla.") {
  return (await desk.listEvents(ticketId)).filter((e) => e.type.startsWith(prefix));
}

const firstReply4h = defineSlaPolicy({
  id: "business", name: "Business hours", warnBeforeMinutes: 30,
  targets: { default: { first_reply: { minutes: 240, time: "business" } } },
});

describe("desk SLA: business calendar", () => {
  it("a ticket arriving Friday 20:00 in Seoul is due Monday 14:00 (4 business hours, lunch skipped), promised so in the acknowledgement", async () => {
    // Friday 2026-03-06 20:00 KST = 11:00Z, after closing. Business time starts Monday 09:00:
    // 09:00–12:00 = 3 h, lunch, 13:00–14:00 = 1 h → Monday 2026-03-09 14:00 KST = 05:00Z.
    // The warning is 30 business minutes earlier: 13:30 KST = 04:30Z; that is the first timer.
    const { desk, chat, slaJobs } = setup({ start: kst("2026-03-06 20:00"), policies: [firstReply4h], calendar: seoulCalendar(), autoAcknowledge: true });
    const { ticket } = await desk.ingest(msg("주말에 도착할까요?"));
    const saved = await desk.getTicket(ticket!.id);
    expect(saved.sla?.policyId).toBe("business");
    expect(metric(saved, "first_reply")).toMatchObject({ status: "active", dueAt: "2026-03-09T05:00:00.000Z", targetMinutes: 240, businessTimeUsedMs: 0 });
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
    const { desk, clock } = setup({ start: kst("2026-03-07 10:00"), policies: [firstReply4h], calendar: seoulCalendar() });
    // Saturday 10:00 KST: closed all weekend → Monday 09:00 + 4 h (3 h, lunch, 1 h) = Monday 14:00 KST = 05:00Z.
    const saturday = await desk.ingest(msg("토요일 문의", { conversationKey: "sat", from: { identities: [{ kind: "webchat", value: "v-sat" }] } }));
    // Monday 07:00 KST, before opening: the same Monday 14:00 KST = 05:00Z.
    clock.set(kst("2026-03-09 07:00"));
    const early = await desk.ingest(msg("이른 아침 문의", { conversationKey: "early", from: { identities: [{ kind: "webchat", value: "v-early" }] } }));
    // Monday 12:30 KST, at lunch: 13:00 + 4 h = 17:00 KST = 08:00Z.
    clock.set(kst("2026-03-09 12:30"));
    const lunch = await desk.ingest(msg("점심시간 문의", { conversationKey: "lunch", from: { identities: [{ kind: "webchat", value: "v-lunch" }] } }));
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
    const { desk, slaJobs, runAt, notices } = setup({ start: kst("2026-03-06 20:00"), policies: [firstReply4h], calendar: seoulCalendar([{ date: "2026-03-09", name: "임시공휴일" }]) });
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
    const { desk, slaJobs, runAt, notices } = setup({ start: kst("2026-03-05 16:30"), policies: [firstReply4h], calendar: cal });
    const { ticket } = await desk.ingest(msg("연휴 전에 문의"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-10T02:30:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-03-10T02:00:00.000Z"]);
    expect((await runAt(kst("2026-03-10 10:59"))).ran).toBe(0);
    await runAt(kst("2026-03-10 11:00"));
    expect(notices).toEqual(["warning:first_reply@2026-03-10T02:30:00.000Z"]);
    await runAt(kst("2026-03-10 11:30"));
    expect(notices).toEqual(["warning:first_reply@2026-03-10T02:30:00.000Z", "breached:first_reply@2026-03-10T02:30:00.000Z"]);
  });
});

describe("desk SLA: daylight saving time (New York)", () => {
  const twoHours = defineSlaPolicy({ id: "us", name: "US", warnBeforeMinutes: 30, targets: { default: { first_reply: { minutes: 120, time: "business" } } } });

  it("across the March change, Monday opens at 09:00 EDT (13:00Z), not 09:00 EST", async () => {
    // Friday 2026-03-06 16:00 EST = 21:00Z. Friday 16:00–17:00 = 1 h. Clocks spring forward Sunday 2026-03-08.
    // Monday 2026-03-09 09:00 EDT = 13:00Z, + 1 h = 10:00 EDT = 14:00Z (a fixed −5 h offset would say 15:00Z).
    // Warning at 1.5 h used: Monday 09:30 EDT = 13:30Z.
    const { desk, slaJobs, runAt, notices } = setup({ start: new Date("2026-03-06T16:00:00-05:00"), policies: [twoHours], calendar: newYork });
    const { ticket } = await desk.ingest(msg("Where is my order?"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-09T14:00:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-03-09T13:30:00.000Z"]);
    expect((await runAt(new Date("2026-03-09T13:29:00.000Z"))).ran).toBe(0);
    await runAt(new Date("2026-03-09T13:30:00.000Z"));
    expect(notices).toEqual(["warning:first_reply@2026-03-09T14:00:00.000Z"]);
    await runAt(new Date("2026-03-09T14:00:00.000Z"));
    expect(notices.at(-1)).toBe("breached:first_reply@2026-03-09T14:00:00.000Z");
    expect(metric(await desk.getTicket(ticket!.id), "first_reply")).toMatchObject({ status: "breached", breachedAt: "2026-03-09T14:00:00.000Z" });
  });

  it("across the November change, Monday opens at 09:00 EST (14:00Z)", async () => {
    // Friday 2026-10-30 16:00 EDT = 20:00Z; 1 h on Friday. Clocks fall back Sunday 2026-11-01.
    // Monday 2026-11-02 09:00 EST = 14:00Z, + 1 h = 15:00Z. Warning at 09:30 EST = 14:30Z.
    const { desk, slaJobs } = setup({ start: new Date("2026-10-30T16:00:00-04:00"), policies: [twoHours], calendar: newYork });
    const { ticket } = await desk.ingest(msg("Where is my order?"));
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-11-02T15:00:00.000Z");
    expect(await slaJobs(ticket!.id)).toEqual(["2026-11-02T14:30:00.000Z"]);
  });
});

describe("desk SLA: pauses", () => {
  const resolution = defineSlaPolicy({
    id: "resolution", name: "Resolution",
    targets: { default: { first_reply: { minutes: 60, time: "business" }, requester_wait: { minutes: 360, time: "business" }, agent_work: { minutes: 240, time: "business" } } },
  });

  it("pending pauses requester wait and agent work; on hold pauses agent work only; due times move out by the paused business time", async () => {
    const { desk, clock, slaJobs, runAt, notices } = setup({ start: kst("2026-03-02 09:00"), policies: [resolution], calendar: seoulCalendar() });
    // Monday 2026-03-02 09:00 KST = 00:00Z. Unpaused, requester_wait (6 h) would be due 09–12 + 13–16 → 16:00 KST = 07:00Z,
    // agent_work (4 h) 09–12 + 13–14 → 14:00 KST = 05:00Z.
    const { ticket } = await desk.ingest(msg("교환 문의"));
    const id = ticket!.id;
    expect(metric(ticket, "requester_wait")?.dueAt).toBe("2026-03-02T07:00:00.000Z");
    expect(metric(ticket, "agent_work")?.dueAt).toBe("2026-03-02T05:00:00.000Z");

    // 09:30 KST: the agent replies and waits for the customer (pending). 30 business minutes used by both.
    clock.set(kst("2026-03-02 09:30"));
    const pendingTicket = await (async () => { await desk.reply(id, { text: "주문번호 알려주세요", agentId: "agent-1", status: "pending" }); return desk.getTicket(id); })();
    expect(pendingTicket.status).toBe("pending");
    expect(metric(pendingTicket, "first_reply")?.status).toBe("fulfilled");
    // Paused: dueAt is when it would breach if the clock resumed now. requester_wait: 5.5 h from 09:30 =
    // 09:30–12:00 (2.5 h) + 13:00–16:00 → 16:00 KST = 07:00Z. agent_work: 3.5 h → 13:00–14:00 → 14:00 KST = 05:00Z.
    expect(metric(pendingTicket, "requester_wait")).toMatchObject({ status: "paused", dueAt: "2026-03-02T07:00:00.000Z", businessTimeUsedMs: 30 * 60_000 });
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
    expect(metric(resumed, "requester_wait")).toMatchObject({ status: "active", dueAt: "2026-03-03T01:30:00.000Z", businessTimeUsedMs: 30 * 60_000 });
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
    expect(notices).toEqual(["fulfilled:first_reply", "breached:agent_work@2026-03-03T00:30:00.000Z", "breached:requester_wait@2026-03-03T01:30:00.000Z"]);
    const statusChanges = (await desk.listEvents(id)).filter((e) => e.type === "status.changed").map((e) => `${String(e.data.from)}→${String(e.data.to)}`);
    expect(statusChanges).toEqual(["new→pending", "pending→open", "open→on_hold", "on_hold→open"]);
  });
});

describe("desk SLA: reopen", () => {
  const replies = defineSlaPolicy({
    id: "replies", name: "Replies",
    targets: { default: { first_reply: { minutes: 60, time: "calendar" }, next_reply: { minutes: 120, time: "calendar" }, requester_wait: { minutes: 24 * 60, time: "calendar" } } },
  });

  it("a solved ticket reopened by the customer re-arms next reply and resolution, keeping the resolution time used", async () => {
    // Calendar-time targets: the business calendar does not apply to them.
    const { desk, clock, slaJobs, runAt, notices } = setup({ start: kst("2026-03-02 10:00"), policies: [replies], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("반품하고 싶어요"));
    const id = ticket!.id;
    // 10:30 KST (01:30Z): replied and solved after 30 minutes; everything running is fulfilled, no SLA timer left.
    clock.set(kst("2026-03-02 10:30"));
    await desk.reply(id, { text: "반품 접수되었습니다", agentId: "agent-1", status: "solved" });
    const solved = await desk.getTicket(id);
    expect(metric(solved, "first_reply")).toMatchObject({ status: "fulfilled", fulfilledAt: "2026-03-02T01:30:00.000Z" });
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

describe("desk SLA: policy change mid-flight", () => {
  const policies = [
    defineSlaPolicy({ id: "complaints", name: "Complaints", conditions: { categories: ["complaint"] }, targets: { default: { first_reply: { minutes: 60, time: "business" } } } }),
    defineSlaPolicy({
      id: "standard", name: "Standard", warnBeforeMinutes: 30,
      targets: { default: { first_reply: { minutes: 480, time: "business" } }, urgent: { first_reply: { minutes: 90, time: "business" } } },
    }),
  ];

  it("a category change selects another policy and re-targets from the ticket's start", async () => {
    // Monday 2026-03-02 10:00 KST (01:00Z), shipping → "standard": 8 business hours = 10–12 (2 h) + 13–18 (5 h)
    // + Tue 09–10 (1 h) → Tue 2026-03-03 10:00 KST = 01:00Z; warning 30 min earlier: Tue 09:30 KST = 00:30Z.
    const { desk, clock, slaJobs, runAt, notices } = setup({ start: kst("2026-03-02 10:00"), policies, calendar: seoulCalendar(), category: "shipping" });
    const { ticket } = await desk.ingest(msg("배송이 너무 늦어요"));
    const id = ticket!.id;
    expect(ticket?.sla?.policyId).toBe("standard");
    expect(metric(ticket, "first_reply")?.dueAt).toBe("2026-03-03T01:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-03T00:30:00.000Z"]);
    // 10:20 KST the agent recategorises it as a complaint: 1 business hour from 10:00 → 11:00 KST = 02:00Z (no warning in this policy).
    clock.set(kst("2026-03-02 10:20"));
    const changed = await desk.setCategory(id, "complaint", { agentId: "agent-1" });
    expect(changed.sla?.policyId).toBe("complaints");
    expect(metric(changed, "first_reply")).toMatchObject({ status: "active", dueAt: "2026-03-02T02:00:00.000Z", targetMinutes: 60, businessTimeUsedMs: 20 * 60_000 });
    expect(changed.slaDueAt?.toISOString()).toBe("2026-03-02T02:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:00:00.000Z"]);
    const audit = (await desk.listEvents(id)).find((e) => e.type === "category.changed");
    expect(audit).toMatchObject({ actor: { kind: "agent", id: "agent-1" }, data: { from: "shipping", to: "complaint" } });
    await runAt(kst("2026-03-02 11:00"));
    expect(notices).toEqual(["breached:first_reply@2026-03-02T02:00:00.000Z"]);
  });

  it("a priority change re-targets the running metric and its timer, and lowering it again restores the longer deadline", async () => {
    const { desk, clock, slaJobs, runAt, notices } = setup({ start: kst("2026-03-02 10:00"), policies, calendar: seoulCalendar(), category: "shipping" });
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
    expect(metric(normal, "first_reply")).toMatchObject({ status: "active", dueAt: "2026-03-03T01:00:00.000Z", targetMinutes: 480 });
    expect(await slaJobs(id)).toEqual(["2026-03-03T01:00:00.000Z"]);
    expect((await runAt(kst("2026-03-02 11:30"))).ran).toBe(0);
    expect(notices).toHaveLength(1);
  });

  it("a priority change past the new target breaches at the instant of the change", async () => {
    const { desk, clock, notices, slaJobs } = setup({ start: kst("2026-03-02 10:00"), policies, calendar: seoulCalendar(), category: "shipping" });
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
  const ninety = defineSlaPolicy({ id: "ninety", name: "90 minutes", warnBeforeMinutes: 30, targets: { default: { first_reply: { minutes: 90, time: "business" } } } });

  it("a warning fires exactly once across repeated runDue calls, then the breach once", async () => {
    // Monday 10:00 KST (01:00Z) + 90 business min = 11:30 KST (02:30Z); warning at 11:00 KST (02:00Z).
    const { desk, slaJobs, runAt, notices } = setup({ start: kst("2026-03-02 10:00"), policies: [ninety], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("문의"));
    const id = ticket!.id;
    expect((await runAt(kst("2026-03-02 11:00"))).ran).toBe(1);
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:30:00.000Z"]);
    expect((await runAt(kst("2026-03-02 11:00"))).ran).toBe(0);
    expect((await runAt(kst("2026-03-02 11:10"))).ran).toBe(0);
    expect(notices).toEqual(["warning:first_reply@2026-03-02T02:30:00.000Z"]);
    await runAt(kst("2026-03-02 11:30"));
    await runAt(kst("2026-03-02 12:30"));
    expect(notices).toEqual(["warning:first_reply@2026-03-02T02:30:00.000Z", "breached:first_reply@2026-03-02T02:30:00.000Z"]);
    expect((await eventsOf(desk, id)).filter((e) => e.type !== "sla.checked").map((e) => e.type)).toEqual(["sla.applied", "sla.warning", "sla.breached"]);
    expect(await slaJobs(id)).toEqual([]);
  });

  it("a late runDue reports the missed warning and breach once each, in order, with their own instants", async () => {
    const { desk, runAt, notices } = setup({ start: kst("2026-03-02 10:00"), policies: [ninety], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("문의"));
    await runAt(kst("2026-03-02 15:00"));
    expect(notices).toEqual(["warning:first_reply@2026-03-02T02:30:00.000Z", "breached:first_reply@2026-03-02T02:30:00.000Z"]);
    const logged = (await eventsOf(desk, ticket!.id)).filter((e) => e.type === "sla.warning" || e.type === "sla.breached");
    expect(logged.map((e) => [e.type, e.data.at])).toEqual([["sla.warning", "2026-03-02T02:00:00.000Z"], ["sla.breached", "2026-03-02T02:30:00.000Z"]]);
    await runAt(kst("2026-03-02 16:00"));
    expect(notices).toHaveLength(2);
  });

  it("escalation raises the priority and reassigns the team as audited SLA events", async () => {
    const policy = defineSlaPolicy({
      id: "escalating", name: "Escalating", warnBeforeMinutes: 30,
      targets: { default: { first_reply: { minutes: 90, time: "business" } } },
      escalations: [
        { on: "warn", metrics: ["first_reply"], notify: ["cs-lead@shop.example"] },
        { on: "breach", metrics: ["first_reply"], raisePriority: "high", assignTeam: "leads", notify: ["manager@shop.example"] },
      ],
    });
    const { desk, runAt, notices } = setup({ start: kst("2026-03-02 10:00"), policies: [policy], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("문의"));
    const id = ticket!.id;
    await desk.assign(id, { agentId: "agent-1", team: "cs" }, { agentId: "lead" });
    const updates: string[][] = [];
    desk.on("ticket.updated", ({ events }) => updates.push(events.map((e) => e.type)));

    await runAt(kst("2026-03-02 11:00")); // warning: notify only
    expect(notices).toEqual(["warning:first_reply@2026-03-02T02:30:00.000Z", "escalated:first_reply:cs-lead@shop.example"]);
    let t = await desk.getTicket(id);
    expect(t).toMatchObject({ priority: "normal", team: "cs", assigneeId: "agent-1" });

    await runAt(kst("2026-03-02 11:30")); // breach: priority, team, notify
    expect(notices.slice(2)).toEqual(["breached:first_reply@2026-03-02T02:30:00.000Z", "escalated:first_reply:manager@shop.example"]);
    t = await desk.getTicket(id);
    expect(t).toMatchObject({ priority: "high", team: "leads", assigneeId: null });
    const log = await desk.listEvents(id);
    const sla = { kind: "system", id: "sla" };
    const breachAt = new Date("2026-03-02T02:30:00.000Z");
    expect(log.find((e) => e.type === "priority.changed")).toMatchObject({ actor: sla, at: breachAt, data: { from: "normal", to: "high", reason: "sla.breach" } });
    expect(log.filter((e) => e.type === "assigned").at(-1)).toMatchObject({ actor: sla, at: breachAt, data: { from: "agent-1", to: null, fromTeam: "cs", toTeam: "leads", reason: "sla.breach" } });
    expect(log.filter((e) => e.type === "sla.escalated").map((e) => e.data)).toEqual([
      { metric: "first_reply", on: "warn", metrics: ["first_reply"], notify: ["cs-lead@shop.example"] },
      { metric: "first_reply", on: "breach", metrics: ["first_reply"], raisePriority: "high", assignTeam: "leads", notify: ["manager@shop.example"] },
    ]);
    expect(updates.at(-1)).toEqual(expect.arrayContaining(["sla.breached", "priority.changed", "assigned", "sla.escalated"]));
    // Escalating to a priority the ticket already has changes nothing more.
    await runAt(kst("2026-03-02 17:00"));
    expect(notices).toHaveLength(4);
  });
});

describe("desk SLA: escalation re-targets", () => {
  // Calendar-time targets; normal: requester_wait 24 h; urgent: shorter. A first-reply breach raises the priority to urgent.
  const policy = (urgentWaitMinutes: number) => defineSlaPolicy({
    id: "raise", name: "Raise on breach",
    targets: {
      default: { first_reply: { minutes: 60, time: "calendar" }, requester_wait: { minutes: 24 * 60, time: "calendar" } },
      urgent: { requester_wait: { minutes: urgentWaitMinutes, time: "calendar" } },
    },
    escalations: [{ on: "breach", metrics: ["first_reply"], raisePriority: "urgent" }],
  });

  it("a priority raised by an escalation re-targets the other metrics and the timer at once", async () => {
    // Created Monday 10:00 KST (01:00Z); first_reply breaches at 11:00 KST (02:00Z) and raises the priority to urgent.
    // requester_wait, urgent = 4 h from creation → 14:00 KST = 05:00Z (not 24 h → 2026-03-03 01:00Z).
    const { desk, runAt, notices, slaJobs } = setup({ start: kst("2026-03-02 10:00"), policies: [policy(240)], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("문의"));
    const id = ticket!.id;
    expect(await slaJobs(id)).toEqual(["2026-03-02T02:00:00.000Z"]);
    await runAt(kst("2026-03-02 11:00"));
    const raised = await desk.getTicket(id);
    expect(raised.priority).toBe("urgent");
    expect(metric(raised, "requester_wait")).toMatchObject({ status: "active", dueAt: "2026-03-02T05:00:00.000Z", targetMinutes: 240 });
    expect(raised.slaDueAt?.toISOString()).toBe("2026-03-02T05:00:00.000Z");
    expect(await slaJobs(id)).toEqual(["2026-03-02T05:00:00.000Z"]);
    await runAt(kst("2026-03-02 14:00"));
    expect(notices).toEqual(["breached:first_reply@2026-03-02T02:00:00.000Z", "breached:requester_wait@2026-03-02T05:00:00.000Z"]);
  });

  it("a priority raised by an escalation past another metric's new target breaches it in the same run", async () => {
    // urgent requester_wait = 30 min, but 60 min are used when the first-reply breach raises the priority at 02:00Z:
    // requester_wait breaches at that instant, and is reported now (a later evaluation would start after it).
    const { desk, runAt, notices, slaJobs } = setup({ start: kst("2026-03-02 10:00"), policies: [policy(30)], calendar: seoulCalendar() });
    const { ticket } = await desk.ingest(msg("문의"));
    await runAt(kst("2026-03-02 11:00"));
    expect(notices).toEqual(["breached:first_reply@2026-03-02T02:00:00.000Z", "breached:requester_wait@2026-03-02T02:00:00.000Z"]);
    const t = await desk.getTicket(ticket!.id);
    expect(metric(t, "requester_wait")).toMatchObject({ status: "breached", breachedAt: "2026-03-02T02:00:00.000Z" });
    expect((await eventsOf(desk, t.id)).filter((e) => e.type === "sla.breached").map((e) => e.data.metric)).toEqual(["first_reply", "requester_wait"]);
    expect(await slaJobs(t.id)).toEqual([]);
    await runAt(kst("2026-03-03 12:00"));
    expect(notices).toHaveLength(2);
  });
});

describe("desk SLA: restart", () => {
  it("a new desk on the same store fires the timers the old one scheduled, without repeating what it already reported", async () => {
    // Friday 2026-03-06 20:00 KST: warning Monday 13:30 KST (04:30Z), breach 14:00 KST (05:00Z), as in the first test.
    const { store, desk, runAt, restart, notices: oldNotices, slaJobs } = setup({ start: kst("2026-03-06 20:00"), policies: [firstReply4h], calendar: seoulCalendar() });
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
    const claimed = await store.scheduler!.claimDue(kst("2026-03-09 14:00"), { workerId: "crashed", limit: 10, leaseMs: 60_000 });
    expect(claimed.map((j) => j.type)).toEqual(["sla.check"]);
    expect((await runAt(kst("2026-03-09 14:00"), third.desk)).ran).toBe(0);
    expect((await runAt(kst("2026-03-09 14:01"), third.desk)).ran).toBe(1);
    // The warning is not reported again: the stored snapshot says when the SLA was last evaluated.
    expect(third.notices).toEqual(["breached:first_reply@2026-03-09T05:00:00.000Z"]);
    expect(oldNotices).toEqual([]);
    expect((await eventsOf(third.desk, id)).filter((e) => e.type !== "sla.checked").map((e) => e.type)).toEqual(["sla.applied", "sla.warning", "sla.breached"]);
    expect(metric(await third.desk.getTicket(id), "first_reply")).toMatchObject({ status: "breached", breachedAt: "2026-03-09T05:00:00.000Z" });
  });
});
