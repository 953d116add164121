import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { defineCalendar } from "../calendar/define-calendar.js";
import type { Ticket } from "../domain/ticket.js";
import { StoredeskError } from "../errors.js";
import { evaluateTriggers } from "./evaluate-triggers.js";
import { explainRule } from "./explain-rule.js";
import { defineTrigger, type TriggerInput } from "./trigger.js";
import { sampleTicket } from "../testing/fixtures.js";

const now = new Date("2026-03-02T01:00:00Z"); // Monday 10:00 in Seoul
function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket({
    id: "t1",
    status: "new",
    channel: "webchat",
    customerId: "c1",
    createdAt: now,
    updatedAt: now,
    lastCustomerMessageAt: now,
    ...overrides,
  });
}
const seoul = defineCalendar({
  id: "seoul",
  timeZone: "Asia/Seoul",
  weekly: { mon: [{ start: "09:00", end: "18:00" }], tue: [{ start: "09:00", end: "18:00" }] },
});
const t = (input: Omit<TriggerInput, "title">) => defineTrigger({ title: input.id, ...input });

const refunds = t({
  id: "refunds",
  events: ["customer_message"],
  conditions: {
    type: "all",
    conditions: [
      { type: "text", contains: ["환불", "refund"] },
      {
        type: "any",
        conditions: [
          { type: "customer", field: "language", in: ["ko"] },
          { type: "customer", field: "vip", value: true },
        ],
      },
    ],
  },
  actions: [
    { type: "set_category", category: "refund_exchange" },
    { type: "set_team", team: "refunds" },
  ],
});

describe("evaluateTriggers", () => {
  it("returns the matching rule's actions in order, each with the rule id", () => {
    const r = evaluateTriggers(
      [refunds],
      "customer_message",
      {
        ticket: ticket(),
        customer: { locale: "ko", attributes: {} },
        message: { text: "환불 해주세요", author: "customer" },
      },
      now,
    );
    expect(r.actions.map((a) => [a.ruleId, a.action.type])).toEqual([
      ["refunds", "set_category"],
      ["refunds", "set_team"],
    ]);
    expect(r.ticket.team).toBe("refunds");
  });

  it("does not fire for another event type or when a nested any fails", () => {
    const facts = {
      ticket: ticket(),
      customer: { locale: "en", attributes: { vip: false } },
      message: { text: "refund", author: "customer" as const },
    };
    expect(evaluateTriggers([refunds], "agent_reply", facts, now).actions).toEqual([]);
    expect(evaluateTriggers([refunds], "customer_message", facts, now).actions).toEqual([]);
  });

  it("chains: a rule listening to team_changed fires on the team another rule set", () => {
    const notifyTeam = t({
      id: "notify-refunds",
      events: ["team_changed"],
      conditions: { type: "ticket", field: "team", op: "is", value: "refunds" },
      actions: [{ type: "notify", url: "https://shop.example/hooks/refunds" }],
    });
    const r = evaluateTriggers(
      [notifyTeam, refunds],
      "customer_message",
      {
        ticket: ticket(),
        customer: { locale: "ko", attributes: {} },
        message: { text: "환불", author: "customer" },
      },
      now,
    );
    expect(r.fired).toEqual(["refunds", "notify-refunds"]);
    expect(r.actions.at(-1)).toMatchObject({ ruleId: "notify-refunds", depth: 1 });
  });

  it("stops two rules that undo each other: each fires once per event", () => {
    const tagA = t({
      id: "a",
      events: ["tags_changed", "customer_message"],
      conditions: { type: "ticket", field: "tags", op: "lacks", value: "x" },
      actions: [{ type: "add_tags", tags: ["x"] }],
    });
    const untag = t({
      id: "b",
      events: ["tags_changed"],
      conditions: { type: "ticket", field: "tags", op: "has", value: "x" },
      actions: [{ type: "remove_tags", tags: ["x"] }],
    });
    const r = evaluateTriggers([tagA, untag], "customer_message", { ticket: ticket() }, now);
    expect(r.fired).toEqual(["a", "b"]);
    expect(r.actions).toHaveLength(2);
    expect(r.ticket.tags).toEqual([]);
  });

  it("terminates on any set of tag-flipping rules, each firing at most once (property)", () => {
    const rule = fc.record({
      tag: fc.constantFrom("a", "b", "c"),
      op: fc.constantFrom("has" as const, "lacks" as const),
      add: fc.boolean(),
      target: fc.constantFrom("a", "b", "c"),
    });
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 8 }), (specs) => {
        const rules = specs.map((r, i) =>
          t({
            id: `r${i}`,
            events: ["customer_message", "tags_changed"],
            conditions: { type: "ticket", field: "tags", op: r.op, value: r.tag },
            actions: [{ type: r.add ? "add_tags" : "remove_tags", tags: [r.target] }],
          }),
        );
        const out = evaluateTriggers(rules, "customer_message", { ticket: ticket() }, now, { maxDepth: 50 });
        expect(new Set(out.fired).size).toBe(out.fired.length);
        expect(out.actions.length).toBeLessThanOrEqual(rules.length);
      }),
    );
  });

  it("caps chaining depth and reports the change events it did not follow", () => {
    const chain = ["low", "normal", "high", "urgent"]
      .map((p, i, all) =>
        t({
          id: `p${i}`,
          events: i === 0 ? ["customer_message"] : ["priority_changed"],
          conditions: { type: "ticket", field: "priority", op: "is", value: p },
          actions: [{ type: "set_priority", priority: (all[i + 1] ?? "low") as "low" }],
        }),
      )
      .reverse(); // reversed, so each step needs a new round of change events
    const r = evaluateTriggers(chain, "customer_message", { ticket: ticket({ priority: "low" }) }, now, {
      maxDepth: 1,
    });
    expect(r.fired).toEqual(["p0", "p1"]);
    expect(r.truncated).toEqual(["priority_changed"]);
  });

  it("never fires on a closed ticket, and stops once a rule closes it", () => {
    const any = t({
      id: "any",
      events: ["customer_message", "status_changed"],
      conditions: { type: "started_by", by: "customer" },
      actions: [{ type: "add_note", text: "seen" }],
    });
    const close = t({
      id: "close",
      events: ["customer_message"],
      conditions: { type: "started_by", by: "customer" },
      actions: [{ type: "set_status", status: "closed" }],
    });
    expect(evaluateTriggers([any], "customer_message", { ticket: ticket({ status: "closed" }) }, now).actions).toEqual(
      [],
    );
    expect(evaluateTriggers([close, any], "customer_message", { ticket: ticket() }, now).fired).toEqual(["close"]);
  });

  it("tests business hours, classification scores and customer order count", () => {
    const rule = t({
      id: "complaint",
      events: ["customer_message"],
      conditions: {
        type: "all",
        conditions: [
          { type: "business_hours", open: true },
          { type: "score", label: "complaint", min: 0.7 },
          { type: "customer", field: "order_count", op: "at_least", value: 3 },
        ],
      },
      actions: [{ type: "start_complaint" }, { type: "set_priority", priority: "high" }],
    });
    const facts = {
      ticket: ticket(),
      calendar: seoul,
      customer: { locale: "ko", attributes: { orderCount: 5 } },
      classification: { scores: {}, complaint: { signal: true, score: 0.9 } },
    };
    expect(evaluateTriggers([rule], "customer_message", facts, now).fired).toEqual(["complaint"]);
    const night = new Date("2026-03-02T12:00:00Z"); // 21:00 in Seoul
    expect(evaluateTriggers([rule], "customer_message", facts, night).fired).toEqual([]);
  });

  it("refuses a malformed trigger with INVALID_INPUT naming the field", () => {
    let err: unknown;
    try {
      defineTrigger({
        id: "x",
        title: "x",
        events: ["customer_message"],
        conditions: { type: "all", conditions: [] },
        actions: [{ type: "notify", url: "https://x.example" }],
      });
    } catch (e) {
      err = e;
    }
    expect(StoredeskError.is(err) && err.code).toBe("INVALID_INPUT");
    expect(() =>
      defineTrigger({
        id: "y",
        title: "y",
        events: ["customer_message"],
        conditions: { type: "started_by", by: "agent" },
        actions: [{ type: "notify", url: "ftp://x.example" }],
      }),
    ).toThrow(/actions/);
  });
});

describe("explainRule", () => {
  it("says which condition failed, with the actual value", () => {
    const r = explainRule(
      refunds,
      {
        ticket: ticket(),
        customer: { locale: "en", attributes: {} },
        message: { text: "교환해주세요", author: "customer" },
      },
      now,
    );
    expect(r.wouldFire).toBe(false);
    expect(r.failed).toEqual([
      'text contains any of ["환불","refund"] (found [])',
      'customer language in ["ko"] (was "en")',
      "customer vip is true (was false)",
    ]);
  });

  it("names a wrong event and a closed ticket, and is empty when the rule would fire", () => {
    const facts = {
      ticket: ticket(),
      customer: { locale: "ko", attributes: {} },
      message: { text: "환불", author: "customer" as const },
    };
    expect(explainRule(refunds, facts, now, "customer_message")).toMatchObject({
      wouldFire: true,
      failed: [],
    });
    expect(
      explainRule(refunds, { ...facts, ticket: ticket({ status: "closed" }) }, now, "agent_reply").failed.slice(0, 2),
    ).toEqual([
      "the ticket is closed: rules never fire on closed tickets",
      "the rule does not listen to agent_reply (only customer_message)",
    ]);
  });
});

describe("evaluateTriggers: held actions", () => {
  it("lists a held action but chains nothing on it", () => {
    const approve = t({
      id: "approve",
      events: ["ticket_created"],
      conditions: { type: "ticket", field: "status", op: "is", value: "new" },
      actions: [{ type: "add_tags", tags: ["refund-approved"] }],
    });
    const pay = t({
      id: "pay",
      events: ["tags_changed"],
      conditions: { type: "ticket", field: "tags", op: "has", value: "refund-approved" },
      actions: [{ type: "add_tags", tags: ["refund-paid"] }],
    });
    const held = (a: { type: string }) => a.type === "add_tags";
    const out = evaluateTriggers([approve, pay], "ticket_created", { ticket: ticket() }, now, { held });
    expect(out.actions.map((a) => a.ruleId)).toEqual(["approve"]);
    expect(out.fired).toEqual(["approve"]);
    expect(out.ticket.tags).toEqual([]);
    const free = evaluateTriggers([approve, pay], "ticket_created", { ticket: ticket() }, now);
    expect(free.fired).toEqual(["approve", "pay"]);
  });
});
