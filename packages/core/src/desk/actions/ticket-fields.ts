/** Agent actions on a ticket's fields: assignment, status, priority, category, tags. */
import { z } from "zod";
import { CategorySchema, PrioritySchema, TicketStatusSchema } from "../../domain/enums.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Effect, EventDraft } from "../../decision.js";
import { applyTicketAction, type TicketAction } from "../../ticket/apply-ticket-action.js";
import { parseInput } from "../../validate.js";
import type { DeskContext } from "../context.js";
import { mutateTicket } from "../save-ticket.js";
import { authorizeChange } from "./authorize-change.js";
import { accept, TicketFieldsSchema, toActor } from "../schemas.js";
import type { ActorInput, Desk, TicketFieldsInput } from "../types.js";

/**
 * Applies one lifecycle action to a ticket (with the timers its status asks for).
 *
 * @example
 * await act(ctx, ticketId, { type: "set_status", status: "closed" }, { system: "auto-close" }, now);
 */
export async function act(
  ctx: DeskContext,
  ticketId: string,
  action: TicketAction,
  actor: ActorInput | undefined,
  at?: Date,
): Promise<Ticket> {
  const who = toActor(actor);
  await authorizeChange(ctx, ticketId, who, [action]);
  const { ticket } = await mutateTicket(
    ctx,
    ticketId,
    who,
    (current, _tx, now) => applyTicketAction(current, action, now),
    undefined,
    at ? { at } : {},
  );
  return ticket;
}

/**
 * The field actions of the desk (`assign`, `setStatus`, `setPriority`, `setCategory`, `setTags`, `update`).
 *
 * @example
 * const { setStatus } = ticketFieldActions(ctx);
 */
export function ticketFieldActions(
  ctx: DeskContext,
): Pick<Desk, "assign" | "setStatus" | "setPriority" | "setCategory" | "setTags" | "update"> {
  return {
    async assign(ticketId, input, actor) {
      const parsed = accept(
        z.object({ agentId: z.string().min(1).nullable(), team: z.string().min(1).nullable().optional() }),
        input,
        "assignment",
      );
      return act(
        ctx,
        ticketId,
        { type: "assign", assigneeId: parsed.agentId, ...(parsed.team !== undefined ? { team: parsed.team } : {}) },
        actor,
      );
    },
    async setStatus(ticketId, status, actor) {
      return act(
        ctx,
        ticketId,
        { type: "set_status", status: parseInput(TicketStatusSchema, status, "status") },
        actor,
      );
    },
    async setPriority(ticketId, priority, actor) {
      return act(
        ctx,
        ticketId,
        { type: "set_priority", priority: parseInput(PrioritySchema, priority, "priority") },
        actor,
      );
    },
    async setCategory(ticketId, category, actor) {
      return act(
        ctx,
        ticketId,
        { type: "set_category", category: parseInput(CategorySchema, category, "category") },
        actor,
      );
    },
    async setTags(ticketId, tags, actor) {
      return act(
        ctx,
        ticketId,
        { type: "set_tags", tags: accept(z.array(z.string().trim().min(1).max(100)).max(100), tags, "tags") },
        actor,
      );
    },
    async update(ticketId: string, fields: TicketFieldsInput, actor?: ActorInput) {
      const parsed = accept(TicketFieldsSchema, fields, "ticket fields");
      const who = toActor(actor);
      const actions: TicketAction[] = [];
      if (parsed.priority) actions.push({ type: "set_priority", priority: parsed.priority });
      if (parsed.category) actions.push({ type: "set_category", category: parsed.category });
      if (parsed.tags) actions.push({ type: "set_tags", tags: parsed.tags });
      if (parsed.status) actions.push({ type: "set_status", status: parsed.status });
      await authorizeChange(ctx, ticketId, who, actions);
      const { ticket } = await mutateTicket(ctx, ticketId, who, (current, _tx, now) => {
        let value = current;
        const events: EventDraft[] = [];
        const effects: Effect[] = [];
        for (const action of actions) {
          const d = applyTicketAction(value, action, now);
          if (!d.ok) return d;
          // Each step bumps the version; the save bumps it once for the whole update.
          value = { ...d.value, version: current.version };
          events.push(...d.events);
          effects.push(...d.effects);
        }
        return { ok: true, value: events.length > 0 ? { ...value } : current, events, effects };
      });
      return ticket;
    },
  };
}
