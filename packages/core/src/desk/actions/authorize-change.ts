/**
 * Asks the plugins (`authorizeAgentChange`, e.g. the rules plugin's decision makers) whether an
 * agent may make a change directly, before anything is written: a held change is refused with
 * APPROVAL_REQUIRED, naming the approval request the plugin filed.
 */
import type { Actor } from "../../domain/event.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { AgentChange } from "../../ports/desk-plugin.js";
import type { TicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";

/**
 * The changes a ticket action makes to `ticket`, as rules name them; what would not change is left out.
 *
 * @example
 * changesOf(ticket, { type: "set_tags", tags: ["vip"] }); // [{ type: "add_tags", tags: ["vip"] }, …]
 */
export function changesOf(ticket: Ticket, action: TicketAction): AgentChange[] {
  switch (action.type) {
    case "set_status":
      return action.status === ticket.status ? [] : [{ type: "set_status", status: action.status }];
    case "set_priority":
      return action.priority === ticket.priority ? [] : [{ type: "set_priority", priority: action.priority }];
    case "set_category":
      return action.category === ticket.category ? [] : [{ type: "set_category", category: action.category }];
    case "set_tags": {
      const added = action.tags.filter((t) => !ticket.tags.includes(t));
      const removed = ticket.tags.filter((t) => !action.tags.includes(t));
      return [
        ...(added.length ? [{ type: "add_tags" as const, tags: added }] : []),
        ...(removed.length ? [{ type: "remove_tags" as const, tags: removed }] : []),
      ];
    }
    case "assign": {
      const out: AgentChange[] = [];
      if (action.assigneeId !== ticket.assigneeId) out.push({ type: "set_assignee", assigneeId: action.assigneeId });
      if (action.team !== undefined && action.team !== ticket.team) out.push({ type: "set_team", team: action.team });
      return out;
    }
    default:
      return [];
  }
}

/**
 * Refuses an agent's change that a plugin holds for approval (APPROVAL_REQUIRED, with the
 * request's id and role in `details`); other actors and changes that change nothing pass.
 * Runs before the change's transaction, so a plugin may file its request through the desk.
 *
 * @example
 * await authorizeChange(ctx, ticketId, actor, [{ type: "set_status", status: "solved" }]);
 */
export async function authorizeChange(
  ctx: DeskContext,
  ticketId: string,
  actor: Actor,
  actions: readonly TicketAction[],
): Promise<void> {
  const plugins = ctx.hooks.authorizeAgentChange;
  if (plugins.length === 0 || actor.kind !== "agent" || !actor.id) return;
  const ticket = await ctx.store.getTicket(ticketId);
  if (!ticket) return; // the change itself reports NOT_FOUND
  const changes = actions.flatMap((a) => changesOf(ticket, a));
  if (changes.length === 0) return;
  for (const plugin of plugins) {
    const hold = await plugin.hooks!.authorizeAgentChange!({
      ticket,
      agentId: actor.id,
      changes,
      now: ctx.clock.now(),
      records: ctx.recordsOf(plugin.id),
    });
    if (hold)
      throw new StoredeskError({
        code: "APPROVAL_REQUIRED",
        message: `${hold.reason}: filed for approval by ${hold.approverRole} (request ${hold.approvalId})`,
        details: { approvalId: hold.approvalId, approverRole: hold.approverRole, plugin: plugin.id },
      });
  }
}
