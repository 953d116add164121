/**
 * Who may take an action: an action plan's `decisions` name the actions that are its
 * `decisionMaker` role's (the refund/exchange decision, compensation); anyone else asking for
 * one files an approval request for that role.
 */
import type { ActionPlan } from "../domain/action-plan.js";
import type { RuleAction } from "./rule-action.js";

/** The values an action's `decisions` pattern can name (`set_status:solved` → ["solved"]). */
function valuesOf(a: RuleAction): string[] {
  switch (a.type) {
    case "set_status":
      return [a.status];
    case "set_priority":
      return [a.priority];
    case "set_category":
      return [a.category];
    case "add_tags":
    case "remove_tags":
      return a.tags;
    case "set_team":
      return a.team === null ? [] : [a.team];
    case "set_assignee":
      return a.assigneeId === null ? [] : [a.assigneeId];
    case "send_template":
      return [a.templateId];
    case "run_macro":
      return [a.macroId];
    default:
      return [];
  }
}

/**
 * Whether `action` is one of the plan's decisions (a pattern `type` or `type:value` matches it).
 *
 * @example
 * requiresDecision(plan, { type: "set_status", status: "solved" }) // true with decisions ["set_status:solved"]
 */
export function requiresDecision(plan: Pick<ActionPlan, "decisions"> | undefined, action: RuleAction): boolean {
  if (!plan || plan.decisions.length === 0) return false;
  const values = valuesOf(action);
  return plan.decisions.some((pattern) => {
    const at = pattern.indexOf(":");
    if (at < 0) return pattern === action.type;
    return pattern.slice(0, at) === action.type && values.includes(pattern.slice(at + 1));
  });
}

/**
 * The actions of `actions` that need the plan's decision maker when taken by `role` (null: a
 * rule, or an agent with no role): none when `role` is the plan's `decisionMaker`.
 *
 * @example
 * heldActions(plan, "agent", [{ type: "add_tags", tags: ["refund-approved"] }]) // that action
 */
export function heldActions(
  plan: Pick<ActionPlan, "decisions" | "decisionMaker"> | undefined,
  role: string | null,
  actions: readonly RuleAction[],
): RuleAction[] {
  if (!plan || (role !== null && role === plan.decisionMaker)) return [];
  return actions.filter((a) => requiresDecision(plan, a));
}
