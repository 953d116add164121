/**
 * The decision makers' authority over agents' direct changes: a change an action plan's
 * `decisions` name (`set_status:solved`, `add_tags:refund-approved`), made with `desk.update`,
 * `setStatus`, `setTags`, `assign` or a reply's status by an agent without the plan's
 * `decisionMaker` role, is filed for approval instead of being made.
 */
import type { AgentChange, ChangeHold } from "../../../ports/desk-plugin.js";
import type { Ticket } from "../../../domain/ticket.js";
import { heldActions } from "../../../rules/decision-authority.js";
import type { RuleAction } from "../../../rules/rule-action.js";
import { requestApproval, roleOf } from "./approvals.js";
import type { RulesRuntime } from "./rules-runtime.js";

/**
 * The rules plugin's `authorizeAgentChange` hook: files an approval request (the same records
 * and `approval.requested` event as a macro or `desk.rules.perform`) for the changes the plan
 * holds, and holds the whole change. Approving the request makes the changes as the approver.
 *
 * @example
 * hooks: { authorizeAgentChange: (args) => holdDecisions(rt, args) }
 */
export async function holdDecisions(
  rt: RulesRuntime,
  args: { ticket: Ticket; agentId: string; changes: AgentChange[] },
): Promise<ChangeHold | undefined> {
  const plan = rt.desk.actionPlans.get(args.ticket.category);
  // AgentChange is the field-change subset of RuleAction, with the same names and values.
  const actions = args.changes as RuleAction[];
  const held = heldActions(plan, roleOf(rt.desk, args.agentId), actions);
  if (!plan || held.length === 0) return undefined;
  const approval = await requestApproval(rt, args.ticket, {
    actions,
    macroId: null,
    requestedBy: `agent:${args.agentId}`,
    held,
  });
  return {
    approvalId: approval.id,
    approverRole: approval.approverRole,
    reason: `${held.map((a) => a.type).join(", ")} on a ${plan.category} ticket is the ${plan.decisionMaker}'s decision`,
  };
}
