import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineCalendar } from "../calendar/define-calendar.js";
import { defaultSlaPolicies } from "./default-sla-policies.js";
import { evaluateSla, evaluateSlaFold } from "./evaluate-sla.js";
import { cloneSlaFold, foldSlaEvent, forgetSlaBefore, slaFoldOf, startSlaFold } from "./sla-fold.js";
import type { SlaPolicy } from "./sla-policy.js";
import type { SlaHistoryEvent, TicketStatus } from "./types.js";

const MIN = 60_000;
const T0 = Date.parse("2025-06-16T00:00:00Z"); // Monday 09:00 in Seoul
const cal = (minutes: number) => ({ minutes, time: "calendar" as const });
const biz = (minutes: number) => ({ minutes, time: "business" as const });

const created: SlaHistoryEvent = {
  type: "created",
  at: new Date(T0),
  status: "new",
  priority: "normal",
  category: "complaint",
  channel: "email",
  tags: [],
};

/** A policy with pauses, reply rules, escalations and a reopen rule the defaults do not have. */
const paused: SlaPolicy = {
  id: "paused",
  name: "Paused",
  targets: {
    default: {
      first_reply: biz(90),
      next_reply: cal(45),
      periodic_update: cal(120),
      pausable_update: biz(120),
      requester_wait: biz(600),
      agent_work: cal(300),
    },
    high: { first_reply: cal(20), agent_work: biz(120) },
  },
  pauses: { agent_work: ["pending", "on_hold", "new"], requester_wait: ["pending"], first_reply: ["on_hold"] },
  replyCounts: { authorKinds: ["agent", "bot"], includeAutoAck: true, anyChannel: true },
  reopenRearmsResolution: false,
  warnBeforeMinutes: 15,
  escalations: [
    { on: "breach", raisePriority: "urgent" },
    { on: "warn", metrics: ["first_reply"], assignTeam: "leads" },
  ],
};
const tagged: SlaPolicy = {
  ...paused,
  id: "vip",
  conditions: { tagsAny: ["vip"] },
  reopenRearmsResolution: true,
  warnBeforeMinutes: 0,
};

const statuses: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
const eventArb: fc.Arbitrary<(t: number) => SlaHistoryEvent> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...statuses)
      .map((s) => (t: number): SlaHistoryEvent => ({ type: "status", at: new Date(t), status: s })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        direction: fc.constantFrom("inbound" as const, "outbound" as const, "note" as const),
        authorKind: fc.constantFrom("customer" as const, "agent" as const, "bot" as const),
        channel: fc.constantFrom("email", "chat"),
        public: fc.boolean(),
        autoAck: fc.boolean(),
      })
      .map((m) => (t: number): SlaHistoryEvent => ({ type: "message", at: new Date(t), ...m })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("low" as const, "normal" as const, "high" as const, "urgent" as const)
      .map((p) => (t: number): SlaHistoryEvent => ({ type: "priority", at: new Date(t), priority: p })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          category: fc.constantFrom("product" as const, "shipping" as const, "complaint" as const),
          tags: fc.constantFrom<string[]>([], ["vip"]),
          channel: fc.constantFrom("email", "chat"),
        },
        { requiredKeys: [] },
      )
      .map((f) => (t: number): SlaHistoryEvent => ({ type: "fields", at: new Date(t), ...f })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("shipping", "default", "paused", "vip", null)
      .map((id) => (t: number): SlaHistoryEvent => ({ type: "policy", at: new Date(t), policyId: id })),
  },
);
/** Events in time order (ties kept), each with an evaluation instant at or after it (a save, a timer). */
const historyArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 120 }), eventArb, fc.integer({ min: 0, max: 600 })), { maxLength: 40 })
  .map((steps) => {
    let t = T0;
    const events: Array<{ event: SlaHistoryEvent; evaluateAt: number }> = [];
    for (const [gap, make, wait] of steps) {
      t += gap * MIN;
      events.push({ event: make(t), evaluateAt: t + wait * MIN });
    }
    return events;
  });
const seoul = defineCalendar({
  id: "s",
  timeZone: "Asia/Seoul",
  weekly: {
    mon: [
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "18:00" },
    ],
    tue: [{ start: "09:00", end: "18:00" }],
    wed: [{ start: "22:00", end: "06:00" }],
    thu: [{ start: "09:00", end: "18:00" }],
  },
  holidays: [{ date: "2025-06-17" }],
});
const policiesArb = fc.constantFrom<SlaPolicy | SlaPolicy[]>(
  defaultSlaPolicies(),
  defaultSlaPolicies({ time: "business" }),
  [tagged, paused, ...defaultSlaPolicies()],
  paused,
);
const calendarArb = fc.constantFrom(null, seoul);

describe("the SLA fold", () => {
  it("evaluated incrementally (a save folds only its new events) equals the full evaluation of the log", () => {
    fc.assert(
      fc.property(historyArb, policiesArb, calendarArb, (steps, policies, calendar) => {
        const fold = startSlaFold(policies);
        foldSlaEvent(fold, created);
        const log: SlaHistoryEvent[] = [created];
        let previous: { evaluatedAt: Date } | undefined;
        // The desk's pattern: each change is folded and evaluated at its instant (or a little later,
        // by a timer), the window starting where the last evaluation ended.
        let last = T0;
        for (const { event, evaluateAt } of steps) {
          expect(foldSlaEvent(fold, event)).toBe(true);
          log.push(event);
          const now = new Date(Math.max(last, event.at.getTime(), Math.min(evaluateAt, Number.MAX_SAFE_INTEGER)));
          const incremental = evaluateSlaFold(fold, calendar, now, previous);
          expect(incremental).toEqual(evaluateSla(log, policies, calendar, now, previous));
          forgetSlaBefore(fold, now.getTime());
          previous = { evaluatedAt: now };
          last = now.getTime();
        }
        // The fold forgets finished cycles: it holds no more than what can still report.
        expect(fold.cycles.length).toBeLessThanOrEqual(6 + steps.length);
      }),
      { numRuns: 400 },
    );
  });

  it("a clone takes a what-if event without changing the original", () => {
    fc.assert(
      fc.property(historyArb, policiesArb, calendarArb, (steps, policies, calendar) => {
        const history = [created, ...steps.map((s) => s.event)];
        const end = history[history.length - 1]!.at.getTime();
        const now = new Date(end + 30 * MIN);
        const fold = slaFoldOf(history, policies, now.getTime());
        const before = evaluateSlaFold(fold, calendar, now);
        const raised = cloneSlaFold(fold);
        const extra: SlaHistoryEvent = { type: "priority", at: now, priority: "urgent" };
        foldSlaEvent(raised, extra);
        expect(evaluateSlaFold(raised, calendar, now)).toEqual(
          evaluateSla([...history, extra], policies, calendar, now),
        );
        expect(evaluateSlaFold(fold, calendar, now)).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses an event older than the last folded, so the caller folds the log again", () => {
    const fold = startSlaFold(defaultSlaPolicies());
    expect(foldSlaEvent(fold, created)).toBe(true);
    expect(foldSlaEvent(fold, { type: "status", at: new Date(T0 + 10 * MIN), status: "open" })).toBe(true);
    expect(foldSlaEvent(fold, { type: "status", at: new Date(T0 + 5 * MIN), status: "solved" })).toBe(false);
    expect(foldSlaEvent(fold, { type: "status", at: new Date(Number.NaN), status: "solved" })).toBe(false);
    expect(evaluateSlaFold(fold, null, new Date(T0 + 20 * MIN))).toEqual(
      evaluateSla(
        [created, { type: "status", at: new Date(T0 + 10 * MIN), status: "open" }],
        defaultSlaPolicies(),
        null,
        new Date(T0 + 20 * MIN),
      ),
    );
    expect(() => evaluateSlaFold(fold, null, new Date(T0 + 5 * MIN))).toThrow(/after now/);
    expect(() => evaluateSlaFold(startSlaFold(defaultSlaPolicies()), null, new Date(T0))).toThrow(/created/);
  });

  it("costs the new events: a fold over a long history stays small", () => {
    const fold = startSlaFold(defaultSlaPolicies());
    foldSlaEvent(fold, created);
    for (let i = 1; i <= 2000; i++) {
      const at = new Date(T0 + i * MIN);
      foldSlaEvent(
        fold,
        i % 2 === 0
          ? { type: "message", at, direction: "outbound", authorKind: "agent", channel: "email", public: true }
          : { type: "message", at, direction: "inbound", authorKind: "customer", channel: "email", public: true },
      );
      forgetSlaBefore(fold, at.getTime());
    }
    expect(fold.cycles.length).toBeLessThanOrEqual(8);
    expect(fold.lifecycle.length).toBeLessThanOrEqual(8);
  });
});
