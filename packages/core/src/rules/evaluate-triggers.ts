/** Runs triggers for one event, chaining through the change events their actions raise. */
import { evaluateCondition } from "./evaluate-condition.js";
import { applyRuleAction } from "./apply-rule-action.js";
import type { RuleAction } from "./rule-action.js";
import type { RuleFacts } from "./rule-facts.js";
import type { Trigger, TriggerEventType } from "./trigger.js";

/** An action a rule decided on, with the rule id for the audit log. */
export interface PlannedAction {
  ruleId: string;
  action: RuleAction;
  /** 0 for rules fired by the event itself, 1 for rules fired by their change events, … */
  depth: number;
}

/** Options of {@link evaluateTriggers}. */
export interface EvaluateTriggersOptions {
  /** How many rounds of change events are followed (default 3). */
  maxDepth?: number;
  /**
   * Whether an action waits for someone's approval (the action plan's decision maker) instead of
   * being performed: it is still returned, but chained rules do not see its change.
   */
  held?: (action: RuleAction, ticket: RuleFacts["ticket"]) => boolean;
}

/** What {@link evaluateTriggers} decided. */
export interface TriggerEvaluation {
  /** Actions in the order to perform them. */
  actions: PlannedAction[];
  /** Rule ids that fired, in order (each at most once per event). */
  fired: string[];
  /** The ticket as the field-changing actions leave it. */
  ticket: RuleFacts["ticket"];
  /** Change events not followed because the depth cap was reached. */
  truncated: TriggerEventType[];
}

/**
 * Decides which triggers fire for `event` and what they do. Rules run in list order; a rule's
 * field changes raise change events (`team_changed`, …) that later rounds evaluate against the
 * changed ticket, up to `maxDepth` rounds. A rule fires at most once per originating event, so
 * two rules that undo each other cannot loop. Nothing fires on a closed ticket, including after
 * a rule closed it.
 *
 * @example
 * const { actions } = evaluateTriggers(triggers, "customer_message", { ticket, message }, now);
 * for (const { ruleId, action } of actions) await apply(action, { auditRule: ruleId });
 */
export function evaluateTriggers(
  rules: readonly Trigger[],
  event: TriggerEventType,
  state: RuleFacts,
  now: Date,
  options: EvaluateTriggersOptions = {},
): TriggerEvaluation {
  const maxDepth = options.maxDepth ?? 3;
  const fired = new Set<string>();
  const actions: PlannedAction[] = [];
  let ticket = state.ticket;
  let events: TriggerEventType[] = [event];
  let truncated: TriggerEventType[] = [];

  for (let depth = 0; events.length > 0; depth++) {
    if (depth > maxDepth) {
      truncated = events;
      break;
    }
    const raised: TriggerEventType[] = [];
    for (const rule of rules) {
      if (ticket.status === "closed") break;
      if (!rule.enabled || fired.has(rule.id) || !rule.events.some((e) => events.includes(e))) continue;
      const raisedBy = rule.events.find((e) => events.includes(e));
      if (
        !evaluateCondition(rule.conditions, { ...state, ticket, ...(raisedBy ? { event: raisedBy } : {}) }, now).passed
      )
        continue;
      fired.add(rule.id);
      for (const action of rule.actions) {
        actions.push({ ruleId: rule.id, action, depth });
        if (options.held?.(action, ticket)) continue; // not done until approved: nothing chains on it
        const next = applyRuleAction(ticket, action);
        ticket = next.ticket;
        if (next.event && !raised.includes(next.event)) raised.push(next.event);
      }
    }
    events = raised;
  }
  return { actions, fired: [...fired], ticket, truncated };
}
