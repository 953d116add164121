import type { Ticket } from "../domain/ticket.js";
import type { RuleAction } from "./rule-action.js";
import type { TriggerEventType } from "./trigger.js";

/**
 * The ticket as it would be after `action`, and the change event the action raises (if it
 * changed a field), so chained rules see the effect. Status transitions are checked by the desk
 * when it applies the action; here a status is simply set.
 *
 * @example
 * applyRuleAction(ticket, { type: "set_team", team: "refunds" })
 * // { ticket: { …, team: "refunds" }, event: "team_changed" }
 */
export function applyRuleAction(
  ticket: Ticket,
  action: RuleAction,
): { ticket: Ticket; event: TriggerEventType | null } {
  switch (action.type) {
    case "set_status":
      return action.status === ticket.status
        ? same(ticket)
        : { ticket: { ...ticket, status: action.status }, event: "status_changed" };
    case "set_priority":
      return action.priority === ticket.priority
        ? same(ticket)
        : { ticket: { ...ticket, priority: action.priority }, event: "priority_changed" };
    case "set_category":
      return action.category === ticket.category
        ? same(ticket)
        : { ticket: { ...ticket, category: action.category }, event: "category_changed" };
    case "add_tags": {
      const tags = [...new Set([...ticket.tags, ...action.tags])];
      return tags.length === ticket.tags.length ? same(ticket) : { ticket: { ...ticket, tags }, event: "tags_changed" };
    }
    case "remove_tags": {
      const tags = ticket.tags.filter((t) => !action.tags.includes(t));
      return tags.length === ticket.tags.length ? same(ticket) : { ticket: { ...ticket, tags }, event: "tags_changed" };
    }
    case "set_team":
      return action.team === ticket.team
        ? same(ticket)
        : { ticket: { ...ticket, team: action.team }, event: "team_changed" };
    case "set_assignee":
      return action.assigneeId === ticket.assigneeId
        ? same(ticket)
        : { ticket: { ...ticket, assigneeId: action.assigneeId }, event: "assignee_changed" };
    default:
      return same(ticket);
  }
}

function same(ticket: Ticket): { ticket: Ticket; event: null } {
  return { ticket, event: null };
}
