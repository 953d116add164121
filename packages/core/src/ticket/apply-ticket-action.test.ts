import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyTicketAction, type TicketAction } from "./apply-ticket-action.js";
import { canTransition, LEGAL_TRANSITIONS } from "./transitions.js";
import { TicketStatusSchema, type TicketStatus } from "../domain/enums.js";
import type { Ticket } from "../domain/ticket.js";
import { sampleTicket } from "../testing/fixtures.js";

const now = new Date("2026-03-02T01:00:00Z");
function ticket(status: TicketStatus, overrides: Partial<Ticket> = {}): Ticket {
  return sampleTicket({
    id: "t1",
    customerId: "c1",
    status,
    version: 3,
    createdAt: now,
    updatedAt: now,
    lastCustomerMessageAt: null,
    solvedAt: status === "solved" ? now : null,
    closedAt: status === "closed" ? now : null,
    ...overrides,
  });
}

describe("ticket lifecycle", () => {
  it("allows only legal status moves and refuses the rest with ILLEGAL_TRANSITION", () => {
    for (const from of TicketStatusSchema.options) {
      for (const to of TicketStatusSchema.options) {
        if (from === to || from === "closed") continue;
        const d = applyTicketAction(ticket(from), { type: "set_status", status: to }, now);
        expect(d.ok, `${from} → ${to}`).toBe(canTransition(from, to));
        if (!d.ok) expect(d.error.code).toBe("ILLEGAL_TRANSITION");
      }
    }
    expect(LEGAL_TRANSITIONS.new).not.toContain("closed");
  });

  it("re-opens a solved ticket when the customer replies, and moves pending back to open", () => {
    for (const from of ["solved", "pending", "on_hold"] as const) {
      const d = applyTicketAction(ticket(from), { type: "customer_message", messageId: "m", automatic: false }, now);
      expect(d.ok && d.value.status).toBe("open");
      expect(d.ok && d.value.solvedAt).toBeNull();
      expect(d.ok && d.events[0]?.data.reason).toBe(from === "solved" ? "customer_reopened" : "customer_replied");
    }
  });

  it("keeps a closed ticket immutable: a customer message asks for a follow-up, every other action is refused", () => {
    const closed = ticket("closed");
    const d = applyTicketAction(closed, { type: "customer_message", messageId: "m", automatic: false }, now);
    expect(d.ok && d.value).toBe(closed);
    expect(d.ok && d.effects).toEqual([{ type: "create_follow_up", closedTicketId: "t1" }]);
    const actions: TicketAction[] = [
      { type: "set_status", status: "open" },
      { type: "set_priority", priority: "high" },
      { type: "set_tags", tags: ["x"] },
      { type: "assign", assigneeId: "a" },
      { type: "agent_reply", messageId: "m", automatic: false },
      { type: "note", messageId: "n" },
    ];
    for (const a of actions) {
      const r = applyTicketAction(closed, a, now);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe("TICKET_CLOSED");
    }
  });

  it("bumps the version exactly once per change and not at all for a no-op", () => {
    const t = ticket("open");
    const d = applyTicketAction(t, { type: "set_priority", priority: "high" }, now);
    expect(d.ok && d.value.version).toBe(4);
    const same = applyTicketAction(t, { type: "set_priority", priority: "normal" }, now);
    expect(same.ok && same.value).toBe(t);
    expect(same.ok && same.events).toEqual([]);
  });

  it("an automatic acknowledgement neither opens the ticket nor counts as the first reply", () => {
    const d = applyTicketAction(ticket("new"), { type: "agent_reply", messageId: "m", automatic: true }, now);
    expect(d.ok && d.value.status).toBe("new");
    expect(d.ok && d.value.firstRepliedAt).toBeNull();
    const human = applyTicketAction(ticket("new"), { type: "agent_reply", messageId: "m", automatic: false }, now);
    expect(human.ok && human.value.status).toBe("open");
    expect(human.ok && human.value.firstRepliedAt).toEqual(now);
  });

  it("never leaves the set of statuses and never un-closes, whatever the action sequence (property)", () => {
    const action = fc.oneof(
      fc.constantFrom(...TicketStatusSchema.options).map((status): TicketAction => ({ type: "set_status", status })),
      fc.constant<TicketAction>({ type: "customer_message", messageId: "m", automatic: false }),
      fc.constant<TicketAction>({ type: "agent_reply", messageId: "m", automatic: false }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        let t = ticket("new");
        let wasClosed = false;
        for (const a of actions) {
          const d = applyTicketAction(t, a, now);
          if (d.ok) t = d.value;
          if (wasClosed) expect(t.status).toBe("closed");
          wasClosed ||= t.status === "closed";
          expect(TicketStatusSchema.options).toContain(t.status);
        }
      }),
    );
  });
});
