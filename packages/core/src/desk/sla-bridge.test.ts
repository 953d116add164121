import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TicketEvent } from "../domain/event.js";
import type { Ticket } from "../domain/ticket.js";
import { defaultSlaPolicies } from "../sla/index.js";
import { evaluateTicketSla, slaFoldCache } from "./sla-bridge.js";
import { sampleTicket } from "../testing/fixtures.js";

const MIN = 60_000;
const T0 = Date.parse("2026-03-02T01:00:00Z");
const policies = defaultSlaPolicies();
const TICKET: Ticket = sampleTicket({
  id: "t1",
  status: "new",
  category: "complaint",
  customerId: "c",
  createdAt: new Date(T0),
  updatedAt: new Date(T0),
  lastCustomerMessageAt: null,
});

type Step = {
  kind: "received" | "reply" | "ack" | "note" | "solved" | "open" | "pending" | "high";
  gap: number;
  commit: boolean;
};
const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom("received", "reply", "ack", "note", "solved", "open", "pending", "high"),
  gap: fc.integer({ min: 0, max: 300 }),
  commit: fc.boolean().map((b) => b || Math.random() < 0.7),
});

function eventOf(step: Step, seq: number, at: Date): TicketEvent {
  const base = {
    id: `e${seq}-${at.getTime()}-${step.kind}`,
    ticketId: "t1",
    seq,
    at,
    actor: { kind: "system" as const, id: "x" },
  };
  switch (step.kind) {
    case "received":
      return { ...base, type: "message.received", data: { channel: "email" } };
    case "reply":
      return { ...base, type: "reply.sent", data: { channel: "email", authorKind: "agent" } };
    case "ack":
      return { ...base, type: "ack.sent", data: { channel: "email", authorKind: "system", automatic: true } };
    case "note":
      return { ...base, type: "note.added", data: { channel: "email" } };
    case "high":
      return { ...base, type: "priority.changed", data: { from: "normal", to: "high" } };
    default:
      return { ...base, type: "status.changed", data: { from: "open", to: step.kind } };
  }
}

describe("evaluateTicketSla with a fold cache", () => {
  it("answers as a fold of the whole log, across saves, rolled-back saves and timers", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        const cache = slaFoldCache();
        const log: TicketEvent[] = [
          {
            id: "e0",
            ticketId: "t1",
            seq: 1,
            at: new Date(T0),
            actor: { kind: "customer", id: "c" },
            type: "ticket.created",
            data: { status: "new", priority: "normal", category: "complaint", channel: "email", tags: [] },
          },
        ];
        let ticket = TICKET;
        let t = T0;
        for (const step of steps) {
          t += step.gap * MIN;
          const now = new Date(t);
          // A save appends its event, then evaluates; a rolled-back one leaves the log as it was.
          const next = [...log, eventOf(step, log.length + 1, now)];
          const cached = evaluateTicketSla(ticket, next, null, policies, null, now, cache);
          const full = evaluateTicketSla(ticket, next, null, policies, null, now);
          expect(cached).toEqual(full);
          if (step.commit) {
            log.push(next[next.length - 1]!);
            ticket = { ...ticket, sla: full.snapshot, slaDueAt: full.slaDueAt };
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
