import { z } from "zod";
import { CategorySchema, PrioritySchema, TicketStatusSchema, type TicketStatus } from "../domain/enums.js";
import type { Ticket } from "../domain/ticket.js";
import { StoredeskError } from "../errors.js";
import { decided, refused, type Decision, type EventDraft } from "../decision.js";
import { canTransition, statusAfterCustomerMessage } from "./transitions.js";

/** Everything that can happen to a ticket, as data. */
export const TicketActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("customer_message"), messageId: z.string(), automatic: z.boolean().default(false) }),
  z.object({
    type: z.literal("agent_reply"),
    messageId: z.string(),
    automatic: z.boolean().default(false),
    status: TicketStatusSchema.optional(),
  }),
  z.object({ type: z.literal("note"), messageId: z.string() }),
  z.object({ type: z.literal("set_status"), status: TicketStatusSchema }),
  z.object({ type: z.literal("set_priority"), priority: PrioritySchema }),
  z.object({ type: z.literal("set_category"), category: CategorySchema }),
  z.object({ type: z.literal("set_tags"), tags: z.array(z.string().trim().min(1).max(100)).max(100) }),
  z.object({
    type: z.literal("assign"),
    assigneeId: z.string().min(1).nullable(),
    team: z.string().min(1).nullable().optional(),
  }),
  z.object({ type: z.literal("merge_into"), targetTicketId: z.string().min(1) }),
  z.object({ type: z.literal("absorb"), sourceTicketId: z.string().min(1), sourceNumber: z.number().int() }),
]);
/** A ticket action (input form). */
export type TicketActionInput = z.input<typeof TicketActionSchema>;
/** A ticket action. */
export type TicketAction = z.output<typeof TicketActionSchema>;

function closedError(ticket: Ticket): StoredeskError {
  return new StoredeskError({
    code: "TICKET_CLOSED",
    message: `Ticket SD-${ticket.number} is closed and cannot change`,
    details: { ticketId: ticket.id },
  });
}

function withStatus(ticket: Ticket, status: TicketStatus, now: Date): Ticket {
  if (status === ticket.status) return ticket;
  return {
    ...ticket,
    status,
    solvedAt: status === "solved" ? now : status === "closed" ? ticket.solvedAt : null,
    closedAt: status === "closed" ? now : null,
  };
}

function statusEvent(from: TicketStatus, to: TicketStatus, reason: string): EventDraft[] {
  return from === to ? [] : [{ type: "status.changed", data: { from, to, reason } }];
}

/**
 * Applies one action to a ticket: the ticket lifecycle as a pure function.
 * The result is the next ticket (version bumped, `updatedAt = now`), the audit
 * events to append and the effects to run; or a typed error
 * (ILLEGAL_TRANSITION, TICKET_CLOSED) that changes nothing.
 *
 * A closed ticket is immutable: a customer message to it yields a
 * `create_follow_up` effect instead of a change.
 *
 * @example
 * const d = applyTicketAction(ticket, { type: "set_status", status: "solved" }, now);
 * if (d.ok) save(d.value);
 */
export function applyTicketAction(ticket: Ticket, action: TicketAction, now: Date): Decision<Ticket> {
  const bump = (t: Ticket): Ticket => ({ ...t, version: ticket.version + 1, updatedAt: now });

  if (ticket.status === "closed") {
    if (action.type === "customer_message") {
      return decided(ticket, [], [{ type: "create_follow_up", closedTicketId: ticket.id }]);
    }
    return refused(closedError(ticket));
  }

  switch (action.type) {
    case "customer_message": {
      const next = statusAfterCustomerMessage(ticket.status) ?? ticket.status;
      const reopened = ticket.status === "solved";
      const events = statusEvent(ticket.status, next, reopened ? "customer_reopened" : "customer_replied");
      return decided(bump({ ...withStatus(ticket, next, now), lastCustomerMessageAt: now }), events);
    }
    case "agent_reply": {
      let next: TicketStatus = action.status ?? (ticket.status === "new" ? "open" : ticket.status);
      if (next !== ticket.status && !canTransition(ticket.status, next)) return refused(illegal(ticket.status, next));
      if (action.automatic && action.status === undefined) next = ticket.status; // an auto-ack does not open the ticket
      const firstRepliedAt = ticket.firstRepliedAt ?? (action.automatic ? null : now);
      return decided(
        bump({ ...withStatus(ticket, next, now), firstRepliedAt }),
        statusEvent(ticket.status, next, "agent_replied"),
      );
    }
    case "note":
      return decided(bump(ticket));
    case "set_status": {
      if (action.status === ticket.status) return decided(ticket);
      if (!canTransition(ticket.status, action.status)) return refused(illegal(ticket.status, action.status));
      return decided(bump(withStatus(ticket, action.status, now)), statusEvent(ticket.status, action.status, "set"));
    }
    case "set_priority":
      if (action.priority === ticket.priority) return decided(ticket);
      return decided(bump({ ...ticket, priority: action.priority }), [
        { type: "priority.changed", data: { from: ticket.priority, to: action.priority } },
      ]);
    case "set_category":
      if (action.category === ticket.category) return decided(ticket);
      return decided(bump({ ...ticket, category: action.category }), [
        { type: "category.changed", data: { from: ticket.category, to: action.category } },
      ]);
    case "set_tags": {
      const tags = [...new Set(action.tags)].sort();
      if (tags.join("\u0000") === [...ticket.tags].sort().join("\u0000")) return decided(ticket);
      return decided(bump({ ...ticket, tags }), [{ type: "tags.changed", data: { from: ticket.tags, to: tags } }]);
    }
    case "assign": {
      const team = action.team === undefined ? ticket.team : action.team;
      if (action.assigneeId === ticket.assigneeId && team === ticket.team) return decided(ticket);
      // Assigning a new ticket means someone is on it: it becomes open.
      const status: TicketStatus = ticket.status === "new" && action.assigneeId ? "open" : ticket.status;
      return decided(bump({ ...withStatus(ticket, status, now), assigneeId: action.assigneeId, team }), [
        {
          type: "assigned",
          data: { from: ticket.assigneeId, to: action.assigneeId, fromTeam: ticket.team, toTeam: team },
        },
        ...statusEvent(ticket.status, status, "assigned"),
      ]);
    }
    case "merge_into": {
      if (action.targetTicketId === ticket.id) {
        return refused(
          new StoredeskError({
            code: "INVALID_INPUT",
            message: "A ticket cannot be merged into itself",
            path: ["targetTicketId"],
          }),
        );
      }
      const merged = {
        ...ticket,
        status: "closed" as const,
        closedAt: now,
        mergedInto: action.targetTicketId,
        slaDueAt: null,
      };
      return decided(
        bump(merged),
        [{ type: "merged_into", data: { targetTicketId: action.targetTicketId, from: ticket.status } }],
        [{ type: "cancel_job", key: `sla:${ticket.id}` }],
      );
    }
    case "absorb":
      return decided(bump(ticket), [
        { type: "merged", data: { sourceTicketId: action.sourceTicketId, sourceNumber: action.sourceNumber } },
      ]);
  }
}

function illegal(from: TicketStatus, to: TicketStatus): StoredeskError {
  return new StoredeskError({
    code: "ILLEGAL_TRANSITION",
    message: `A ticket cannot go from ${from} to ${to}`,
    path: ["status"],
    details: { from, to },
  });
}
