import { describe, expect, it } from "vitest";
import { defineCalendar } from "../calendar/define-calendar.js";
import type { Ticket } from "../domain/ticket.js";
import { StoredeskError } from "../errors.js";
import { defaultAutomations, evaluateAutomations, validateAutomation } from "./automation.js";
import { sampleTicket } from "../testing/fixtures.js";

const H = 3_600_000;
const now = new Date("2026-03-06T09:00:00Z"); // Friday 18:00 in Seoul
function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket({
    id: "t1",
    status: "pending",
    customerId: "c1",
    createdAt: new Date(now.getTime() - 200 * H),
    updatedAt: now,
    lastCustomerMessageAt: null,
    ...overrides,
  });
}
const ago = (h: number) => new Date(now.getTime() - h * H);

describe("validateAutomation", () => {
  it("refuses an automation whose actions never make its conditions false", () => {
    let err: unknown;
    try {
      validateAutomation({
        id: "nag",
        title: "nag",
        conditions: {
          type: "all",
          conditions: [
            { type: "ticket", field: "status", op: "is", value: "pending" },
            { type: "hours_since", since: "updated", op: "at_least", hours: 24 },
          ],
        },
        actions: [
          { type: "send_template", templateId: "pending_reminder" },
          { type: "add_note", text: "reminded" },
        ],
      });
    } catch (e) {
      err = e;
    }
    expect(StoredeskError.is(err) && err.code).toBe("INVALID_INPUT");
    expect(StoredeskError.is(err) && err.details).toEqual({ automationId: "nag" });
  });

  it("accepts one that changes the tested status or adds the excluded tag", () => {
    const base = { title: "x", actions: [{ type: "add_tags" as const, tags: ["done"] }] };
    expect(
      validateAutomation({
        ...base,
        id: "tag",
        conditions: { type: "ticket", field: "tags", op: "lacks", value: "done" },
      }).id,
    ).toBe("tag");
    expect(() =>
      validateAutomation({
        ...base,
        id: "tag2",
        conditions: { type: "ticket", field: "tags", op: "lacks", value: "other" },
      }),
    ).toThrow(/nullifying/);
    expect(
      validateAutomation({
        id: "s",
        title: "s",
        conditions: { type: "ticket", field: "status", op: "in", value: ["solved"] },
        actions: [{ type: "set_status", status: "closed" }],
      }).id,
    ).toBe("s");
  });

  it("does not count a condition inside an any group as nullified", () => {
    expect(() =>
      validateAutomation({
        id: "a",
        title: "a",
        conditions: {
          type: "any",
          conditions: [
            { type: "ticket", field: "status", op: "is", value: "pending" },
            { type: "ticket", field: "priority", op: "is", value: "low" },
          ],
        },
        actions: [{ type: "set_status", status: "solved" }],
      }),
    ).toThrow(StoredeskError);
  });
});

describe("defaultAutomations", () => {
  it("each default passes validation and can be switched off", () => {
    const all = defaultAutomations({ disabled: ["pending-solve-96h"] });
    expect(all.map((a) => [a.id, a.enabled])).toEqual([
      ["pending-reminder-48h", true],
      ["pending-solve-96h", false],
      ["solved-close-7d", true],
    ]);
  });

  it("reminds once after 48 h pending, then solves after 96 h", () => {
    const automations = defaultAutomations();
    const at = (h: number, tags: string[] = []) =>
      evaluateAutomations(automations, { ticket: ticket({ tags }), times: { statusChangedAt: ago(h) } }, now);
    expect(at(47)).toEqual([]);
    expect(at(49).map((a) => a.action.type)).toEqual(["send_template", "add_tags"]);
    expect(at(50, ["pending-reminded"])).toEqual([]);
    expect(at(97, ["pending-reminded"]).map((a) => [a.ruleId, a.action.type])).toEqual([
      ["pending-solve-96h", "send_template"],
      ["pending-solve-96h", "set_status"],
    ]);
  });

  it("closes a ticket 7 days after it was solved, and nothing fires on a closed ticket", () => {
    const automations = defaultAutomations();
    const solved = (h: number) => ticket({ status: "solved", solvedAt: ago(h) });
    expect(evaluateAutomations(automations, { ticket: solved(100) }, now)).toEqual([]);
    expect(evaluateAutomations(automations, { ticket: solved(169) }, now).map((a) => a.ruleId)).toEqual([
      "solved-close-7d",
    ]);
    expect(
      evaluateAutomations(
        automations,
        { ticket: ticket({ status: "closed", closedAt: ago(500) }), times: { statusChangedAt: ago(500) } },
        now,
      ),
    ).toEqual([]);
  });

  it("counts business hours when asked: a weekend does not count toward 48 h", () => {
    const seoul = defineCalendar({
      id: "seoul",
      timeZone: "Asia/Seoul",
      weekly: {
        mon: [{ start: "00:00", end: "24:00" }],
        tue: [{ start: "00:00", end: "24:00" }],
        wed: [{ start: "00:00", end: "24:00" }],
        thu: [{ start: "00:00", end: "24:00" }],
        fri: [{ start: "00:00", end: "24:00" }],
      },
    });
    const automations = defaultAutomations({ clock: "business" });
    const monday = new Date("2026-03-09T03:00:00Z"); // Mon 12:00 Seoul; pending since Fri 12:00
    const facts = {
      ticket: ticket(),
      calendar: seoul,
      times: { statusChangedAt: new Date("2026-03-06T03:00:00Z") },
    };
    expect(evaluateAutomations(automations, facts, monday)).toEqual([]); // 24 business hours
    expect(evaluateAutomations(automations, facts, new Date("2026-03-10T04:00:00Z")).map((a) => a.ruleId)).toContain(
      "pending-reminder-48h",
    );
  });
});
