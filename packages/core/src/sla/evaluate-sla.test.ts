import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineCalendar } from "../calendar/define-calendar.js";
import { StoredeskError } from "../errors.js";
import { defaultSlaPolicies } from "./default-sla-policies.js";
import type { SlaEvaluation } from "./evaluate-sla.js";
import { evaluateSla } from "./evaluate-sla.js";
import type { SlaPolicy } from "./sla-policy.js";
import type { SlaHistoryEvent, SlaMetric, TicketStatus } from "./types.js";

const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse("2025-06-16T00:00:00Z"); // Monday 09:00 in Seoul
const at = (hours: number): Date => new Date(T0 + hours * H);
const cal = (minutes: number) => ({ minutes, time: "calendar" as const });

const created = (over: Partial<Extract<SlaHistoryEvent, { type: "created" }>> = {}): SlaHistoryEvent => ({
  type: "created",
  at: at(0),
  status: "new",
  priority: "normal",
  category: "shipping",
  channel: "email",
  tags: [],
  ...over,
});
const reply = (h: number, over: Partial<Extract<SlaHistoryEvent, { type: "message" }>> = {}): SlaHistoryEvent => ({
  type: "message",
  at: at(h),
  direction: "outbound",
  authorKind: "agent",
  channel: "email",
  public: true,
  ...over,
});
const fromCustomer = (h: number): SlaHistoryEvent => ({
  type: "message",
  at: at(h),
  direction: "inbound",
  authorKind: "customer",
  channel: "email",
  public: true,
});
const status = (h: number, s: TicketStatus): SlaHistoryEvent => ({ type: "status", at: at(h), status: s });

const policy: SlaPolicy = {
  id: "p",
  name: "Test",
  targets: {
    default: {
      first_reply: cal(120),
      next_reply: cal(60),
      periodic_update: cal(240),
      pausable_update: cal(240),
      requester_wait: cal(600),
      agent_work: cal(480),
    },
    urgent: { first_reply: cal(30) },
  },
  warnBeforeMinutes: 30,
};
const metric = (ev: SlaEvaluation, m: SlaMetric) => ev.metrics.find((x) => x.metric === m)!;
const kinds = (ev: SlaEvaluation, m?: SlaMetric) =>
  ev.events.filter((e) => m === undefined || e.metric === m).map((e) => `${e.type}@${(e.at.getTime() - T0) / H}`);

describe("evaluateSla", () => {
  it("fulfils the first reply with the first public agent reply", () => {
    const ev = evaluateSla([created(), reply(1)], policy, null, at(3));
    const fr = metric(ev, "first_reply");
    expect(fr).toMatchObject({
      status: "fulfilled",
      startedAt: at(0),
      fulfilledAt: at(1),
      dueAt: at(2),
      businessTimeUsedMs: H,
      targetMs: 2 * H,
    });
    expect(fr.breachedAt).toBeUndefined();
    expect(kinds(ev, "first_reply")).toEqual(["activate@0", "fulfill@1"]);
    expect(ev.policyId).toBe("p");
    expect(ev.events[0]).toMatchObject({ type: "apply", policyId: "p" });
  });

  it("does not count notes, bots, auto-acknowledgements, private or other-channel messages as replies", () => {
    const history = [
      created(),
      reply(0.1, { autoAck: true }),
      reply(0.2, { direction: "note" }),
      reply(0.3, { authorKind: "bot" }),
      reply(0.4, { public: false }),
      reply(0.5, { channel: "whatsapp" }),
    ];
    const ev = evaluateSla(history, policy, null, at(3));
    expect(metric(ev, "first_reply")).toMatchObject({ status: "breached", breachedAt: at(2) });
    expect(kinds(ev, "first_reply")).toEqual(["activate@0", "warn@1.5", "breach@2"]);
    const botsCount = evaluateSla(history, { ...policy, replyCounts: { authorKinds: ["agent", "bot"] } }, null, at(3));
    expect(metric(botsCount, "first_reply")).toMatchObject({ status: "fulfilled", fulfilledAt: at(0.3) });
    const anyChannel = evaluateSla(history, { ...policy, replyCounts: { anyChannel: true } }, null, at(3));
    expect(metric(anyChannel, "first_reply").fulfilledAt).toEqual(at(0.5));
  });

  it("pauses requester wait and agent work in pending, but not the first reply", () => {
    const ev = evaluateSla([created(), status(1, "pending")], policy, null, at(5));
    expect(metric(ev, "requester_wait")).toMatchObject({ status: "paused", businessTimeUsedMs: H, dueAt: at(5 + 9) });
    expect(metric(ev, "agent_work")).toMatchObject({ status: "paused", businessTimeUsedMs: H });
    expect(metric(ev, "first_reply")).toMatchObject({ status: "breached", breachedAt: at(2) });
    const later = evaluateSla([created(), status(1, "pending"), status(6, "open")], policy, null, at(7), {
      evaluatedAt: at(5),
    });
    expect(kinds(later, "requester_wait")).toEqual(["resume@6"]);
    expect(metric(later, "requester_wait")).toMatchObject({
      status: "active",
      businessTimeUsedMs: 2 * H,
      dueAt: at(6 + 9),
    });
  });

  it("keeps agent work paused on hold while requester wait runs", () => {
    const ev = evaluateSla([created(), status(1, "on_hold")], policy, null, at(4));
    expect(metric(ev, "agent_work").status).toBe("paused");
    expect(metric(ev, "requester_wait")).toMatchObject({ status: "active", businessTimeUsedMs: 4 * H });
  });

  it("arms next reply at a customer message after an agent reply, not before the first reply", () => {
    const before = evaluateSla([created(), fromCustomer(0.5)], policy, null, at(1));
    expect(metric(before, "next_reply").status).toBe("inactive");
    const ev = evaluateSla([created(), reply(1), fromCustomer(2), fromCustomer(2.5), reply(2.75)], policy, null, at(4));
    expect(metric(ev, "next_reply")).toMatchObject({
      status: "fulfilled",
      cycle: 1,
      startedAt: at(2),
      fulfilledAt: at(2.75),
      dueAt: at(3),
    });
    expect(kinds(ev, "next_reply")).toEqual(["activate@2", "warn@2.5", "fulfill@2.75"]);
  });

  it("re-arms next reply on reopen, and resolution when the policy says so", () => {
    const history = [created(), reply(1), status(2, "solved"), fromCustomer(5), status(5, "open")];
    const ev = evaluateSla(history, policy, null, at(7));
    expect(metric(ev, "next_reply")).toMatchObject({ status: "breached", startedAt: at(5), breachedAt: at(6) });
    expect(metric(ev, "requester_wait")).toMatchObject({
      status: "active",
      businessTimeUsedMs: 4 * H,
      dueAt: at(7 + 6),
    });
    expect(kinds(ev, "requester_wait")).toEqual(["activate@0", "fulfill@2", "activate@5"]);
    const noRearm = evaluateSla(history, { ...policy, reopenRearmsResolution: false }, null, at(7));
    expect(metric(noRearm, "requester_wait")).toMatchObject({
      status: "fulfilled",
      fulfilledAt: at(2),
      businessTimeUsedMs: 2 * H,
    });
    expect(metric(noRearm, "next_reply").status).toBe("breached");
  });

  it("fulfils every running metric when solved", () => {
    const ev = evaluateSla([created(), reply(1), status(1.5, "solved")], policy, null, at(10));
    for (const m of ["first_reply", "periodic_update", "pausable_update", "requester_wait", "agent_work"] as const)
      expect(metric(ev, m).status).toBe("fulfilled");
    expect(ev.nextDueAt).toBeNull();
  });

  it("runs periodic updates from each reply to the next, and pauses the pausable one in pending", () => {
    const ev = evaluateSla([created(), reply(1), status(2, "pending"), reply(3)], policy, null, at(4));
    expect(metric(ev, "periodic_update")).toMatchObject({ status: "active", cycle: 2, startedAt: at(3), dueAt: at(7) });
    expect(metric(ev, "pausable_update")).toMatchObject({ status: "paused", cycle: 2, businessTimeUsedMs: 0 });
    expect(kinds(ev, "pausable_update")).toEqual(["activate@1", "pause@2", "fulfill@3", "activate@3", "pause@3"]);
  });

  it("re-targets a running metric when the priority changes, keeping the time used", () => {
    const sooner = evaluateSla(
      [created(), { type: "priority", at: at(0.25), priority: "urgent" }],
      policy,
      null,
      at(3),
    );
    expect(metric(sooner, "first_reply")).toMatchObject({
      status: "breached",
      breachedAt: at(0.5),
      targetMs: 30 * MIN,
    });
    const late = evaluateSla([created(), { type: "priority", at: at(1), priority: "urgent" }], policy, null, at(3));
    expect(metric(late, "first_reply").breachedAt).toEqual(at(1)); // already past the new target
    const pending = evaluateSla(
      [created(), { type: "priority", at: at(0.25), priority: "urgent" }],
      policy,
      null,
      at(0.3),
    );
    expect(metric(pending, "first_reply")).toMatchObject({ status: "active", dueAt: at(0.5) });
    // The warning lead (30 min) swallows the whole new target: it fires at the change itself.
    expect(kinds(pending, "first_reply")).toEqual(["activate@0", "warn@0.25"]);
    expect(pending.nextDueAt).toEqual(at(0.5));
  });

  it("re-selects the policy when fields change and follows an explicit policy change", () => {
    const vip: SlaPolicy = {
      id: "vip",
      name: "VIP",
      conditions: { tagsAny: ["vip"] },
      targets: { default: { first_reply: cal(60) } },
    };
    const base: SlaPolicy = { id: "base", name: "Base", targets: { default: { first_reply: cal(240) } } };
    const ev = evaluateSla([created(), { type: "fields", at: at(0.5), tags: ["vip"] }], [vip, base], null, at(2));
    expect(ev.policyId).toBe("vip");
    expect(metric(ev, "first_reply")).toMatchObject({ status: "breached", breachedAt: at(1) });
    expect(ev.events.filter((e) => e.type === "apply").map((e) => e.policyId)).toEqual(["base", "vip"]);
    const pinned = evaluateSla(
      [created({ tags: ["vip"] }), { type: "policy", at: at(0.5), policyId: "base" }],
      [vip, base],
      null,
      at(2),
    );
    expect(pinned.policyId).toBe("base");
    expect(metric(pinned, "first_reply")).toMatchObject({ status: "active", dueAt: at(4) });
    const unpinned = evaluateSla(
      [
        created({ tags: ["vip"] }),
        { type: "policy", at: at(0.5), policyId: "base" },
        { type: "policy", at: at(0.75), policyId: null },
      ],
      [vip, base],
      null,
      at(2),
    );
    expect(unpinned.policyId).toBe("vip");
    expect(metric(unpinned, "first_reply").breachedAt).toEqual(at(1));
  });

  it("keeps a breached metric breached when it is fulfilled late, with fulfilledAt", () => {
    const ev = evaluateSla([created(), reply(3)], policy, null, at(4));
    expect(metric(ev, "first_reply")).toMatchObject({
      status: "breached",
      breachedAt: at(2),
      fulfilledAt: at(3),
      dueAt: at(2),
    });
  });

  it("measures business targets in business time for a ticket arriving outside hours", () => {
    const lunch = [
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "18:00" },
    ];
    const seoul = defineCalendar({
      id: "seoul",
      timeZone: "Asia/Seoul",
      weekly: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch },
    });
    const business: SlaPolicy = {
      id: "b",
      name: "B",
      targets: { default: { first_reply: { minutes: 240, time: "business" } } },
      warnBeforeMinutes: 60,
    };
    const saturday = new Date("2025-06-14T22:00:00+09:00");
    const ev = evaluateSla([created({ at: saturday })], business, seoul, new Date("2025-06-16T10:30:00+09:00"));
    expect(metric(ev, "first_reply")).toMatchObject({
      status: "active",
      dueAt: new Date("2025-06-16T14:00:00+09:00"),
      businessTimeUsedMs: 90 * MIN,
    });
    expect(ev.events.find((e) => e.type === "warn")).toBeUndefined();
    // The warning is an hour of business time earlier: 12:00, before lunch, not 13:00.
    expect(ev.nextDueAt).toEqual(new Date("2025-06-16T12:00:00+09:00"));
    const noCalendar = evaluateSla([created({ at: saturday })], business, null, new Date("2025-06-16T10:30:00+09:00"));
    expect(metric(noCalendar, "first_reply").breachedAt).toEqual(new Date("2025-06-15T02:00:00+09:00"));
  });

  it("reports a warning once across consecutive evaluations", () => {
    const history = [created()];
    const e1 = evaluateSla(history, policy, null, at(1));
    expect(e1.nextDueAt).toEqual(at(1.5));
    const e2 = evaluateSla(history, policy, null, at(1.6), { evaluatedAt: at(1) });
    expect(kinds(e2)).toEqual(["warn@1.5"]);
    expect(e2.nextDueAt).toEqual(at(2));
    const e3 = evaluateSla(history, policy, null, at(1.8), { evaluatedAt: at(1.6) });
    expect(e3.events).toEqual([]);
    const e4 = evaluateSla(history, policy, null, at(2.5), { evaluatedAt: at(1.8) });
    expect(kinds(e4, "first_reply")).toEqual(["breach@2"]);
  });

  it("ignores history after now and rejects a history without creation", () => {
    const ev = evaluateSla([created(), reply(5)], policy, null, at(1));
    expect(metric(ev, "first_reply").status).toBe("active");
    expect(() => evaluateSla([reply(1)], policy, null, at(2))).toThrow(StoredeskError);
  });

  it("attaches the policy's escalations to warn and breach events", () => {
    const ev = evaluateSla([created({ category: "complaint" })], defaultSlaPolicies(), null, at(5));
    const breach = ev.events.find((e) => e.type === "breach" && e.metric === "first_reply");
    expect(breach).toMatchObject({ at: at(4), escalations: [{ on: "breach", raisePriority: "high" }] });
    expect(ev.events.find((e) => e.type === "warn")?.escalations).toBeUndefined();
  });

  // ---- properties over random histories

  const statuses: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
  const eventArb: fc.Arbitrary<(t: number) => SlaHistoryEvent> = fc.oneof(
    fc
      .constantFrom(...statuses)
      .map((s) => (t: number): SlaHistoryEvent => ({ type: "status", at: new Date(t), status: s })),
    fc
      .record({
        direction: fc.constantFrom("inbound" as const, "outbound" as const, "note" as const),
        authorKind: fc.constantFrom("customer" as const, "agent" as const, "bot" as const),
        channel: fc.constantFrom("email", "chat"),
        public: fc.boolean(),
        autoAck: fc.boolean(),
      })
      .map((m) => (t: number): SlaHistoryEvent => ({ type: "message", at: new Date(t), ...m })),
    fc
      .constantFrom("low" as const, "normal" as const, "high" as const, "urgent" as const)
      .map((p) => (t: number): SlaHistoryEvent => ({ type: "priority", at: new Date(t), priority: p })),
    fc
      .constantFrom("product" as const, "shipping" as const, "complaint" as const)
      .map((c) => (t: number): SlaHistoryEvent => ({ type: "fields", at: new Date(t), category: c })),
    fc
      .constantFrom("shipping", "default", null)
      .map((id) => (t: number): SlaHistoryEvent => ({ type: "policy", at: new Date(t), policyId: id })),
  );
  const historyArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 72 * 60 }), eventArb), { maxLength: 12 })
    .map((evs) => [created({ category: "complaint", channel: "email" }), ...evs.map(([m, f]) => f(T0 + m * MIN))]);
  const seoul = defineCalendar({
    id: "s",
    timeZone: "Asia/Seoul",
    weekly: {
      mon: [{ start: "09:00", end: "18:00" }],
      tue: [{ start: "09:00", end: "18:00" }],
      wed: [{ start: "22:00", end: "06:00" }],
    },
  });
  const policiesArb = fc.constantFrom(defaultSlaPolicies(), defaultSlaPolicies({ time: "business" }), [policy]);
  const calendarArb = fc.constantFrom(null, seoul);

  it("is deterministic: the same input gives the same answer", () => {
    fc.assert(
      fc.property(
        historyArb,
        policiesArb,
        calendarArb,
        fc.integer({ min: 0, max: 96 * 60 }),
        (history, policies, calendar, nowMin) => {
          const now = new Date(T0 + nowMin * MIN);
          expect(evaluateSla(history, policies, calendar, now)).toEqual(
            evaluateSla([...history], policies, calendar, now),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports in two consecutive windows exactly the events of the whole span", () => {
    fc.assert(
      fc.property(
        historyArb,
        policiesArb,
        calendarArb,
        fc.integer({ min: 0, max: 96 * 60 }),
        fc.integer({ min: 0, max: 96 * 60 }),
        (history, policies, calendar, a, b) => {
          const t1 = new Date(T0 + Math.min(a, b) * MIN);
          const t2 = new Date(T0 + Math.max(a, b) * MIN);
          const whole = evaluateSla(history, policies, calendar, t2).events;
          const first = evaluateSla(history, policies, calendar, t1).events;
          const second = evaluateSla(history, policies, calendar, t2, { evaluatedAt: t1 }).events;
          expect([...first, ...second]).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps states consistent: breached iff breachedAt, times used within bounds, next due after now", () => {
    fc.assert(
      fc.property(
        historyArb,
        policiesArb,
        calendarArb,
        fc.integer({ min: 0, max: 96 * 60 }),
        (history, policies, calendar, nowMin) => {
          const now = new Date(T0 + nowMin * MIN);
          const ev = evaluateSla(history, policies, calendar, now);
          for (const m of ev.metrics) {
            expect(m.status === "breached").toBe(m.breachedAt !== undefined);
            expect(m.businessTimeUsedMs).toBeGreaterThanOrEqual(0);
            if (m.startedAt) expect(m.businessTimeUsedMs).toBeLessThanOrEqual(now.getTime() - m.startedAt.getTime());
            if (m.breachedAt) expect(m.breachedAt.getTime()).toBeLessThanOrEqual(now.getTime());
          }
          if (ev.nextDueAt) expect(ev.nextDueAt.getTime()).toBeGreaterThan(now.getTime());
          const breaches = ev.events.filter((e) => e.type === "breach").map((e) => `${e.metric}#${e.cycle}`);
          expect(new Set(breaches).size).toBe(breaches.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
