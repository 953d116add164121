import { evaluateCondition, failedConditions, type ConditionResult } from "./evaluate-condition.js";
import type { RuleFacts } from "./rule-facts.js";
import type { Trigger, TriggerEventType } from "./trigger.js";

/** The dry-run answer of {@link explainRule}. */
export interface RuleExplanation {
  wouldFire: boolean;
  /** Why not, as sentences (empty when it would fire). */
  failed: string[];
  /** The full evaluated condition tree. */
  trace: ConditionResult;
}

/**
 * Dry run of one rule against a ticket: whether it would fire and, if not, which conditions
 * failed (with the actual values). Performs nothing.
 *
 * @example
 * explainRule(trigger, { ticket }, now, "customer_message").failed // ['team is "refunds" (was null)']
 */
export function explainRule(rule: Trigger, facts: RuleFacts, now: Date, event?: TriggerEventType): RuleExplanation {
  const trace = evaluateCondition(rule.conditions, facts, now);
  const failed: string[] = [];
  if (!rule.enabled) failed.push("the rule is disabled");
  if (facts.ticket.status === "closed") failed.push("the ticket is closed: rules never fire on closed tickets");
  if (event !== undefined && !rule.events.includes(event))
    failed.push(`the rule does not listen to ${event} (only ${rule.events.join(", ")})`);
  failed.push(...failedConditions(trace));
  return { wouldFire: failed.length === 0, failed, trace };
}
