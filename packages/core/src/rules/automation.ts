/** Time-based automations: hourly-evaluated rules that must undo their own conditions. */
import { z } from "zod";
import { StoredeskError } from "../errors.js";
import { parseInput } from "../validate.js";
import { applyRuleAction } from "./apply-rule-action.js";
import { evaluateCondition } from "./evaluate-condition.js";
import { RuleActionSchema, type RuleAction } from "./rule-action.js";
import { RuleConditionSchema, type LeafCondition, type RuleCondition } from "./rule-condition.js";
import type { RuleFacts } from "./rule-facts.js";
import type { PlannedAction } from "./evaluate-triggers.js";

/**
 * Schema of an automation: checked on a schedule against every open ticket; when `conditions`
 * hold, `actions` run.
 *
 * @example
 * AutomationSchema.parse({ id: "close-solved", title: "Close solved after 7 days",
 *   conditions: { type: "all", conditions: [
 *   { type: "ticket", field: "status", op: "is", value: "solved" },
 *   { type: "hours_since", since: "status_changed", op: "at_least", hours: 168 }] },
 *   actions: [{ type: "set_status", status: "closed" }] });
 */
export const AutomationSchema = z.strictObject({
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  enabled: z.boolean().default(true),
  conditions: RuleConditionSchema,
  actions: z.array(RuleActionSchema).min(1).max(50),
});
/** An automation. */
export type Automation = z.output<typeof AutomationSchema>;
/** Input form of an automation. */
export type AutomationInput = z.input<typeof AutomationSchema>;

// Leaves that must all hold: the root leaf, or the leaves of a root `all` (recursively through
// nested `all`s). Falsifying any one of them falsifies the whole tree.
function requiredLeaves(c: RuleCondition): LeafCondition[] {
  if (c.type === "all") return c.conditions.flatMap(requiredLeaves);
  if (c.type === "any") return [];
  return [c];
}

/**
 * Validates an automation and refuses (INVALID_INPUT) one without a nullifying effect: some action
 * must make one of its required ticket conditions false (close a `status is pending`, add the tag
 * a `tags lacks` tests, …). Without one it would fire again on every run, forever. "Hours since
 * updated" does not count: it only restarts the clock, so the automation would repeat.
 *
 * @example
 * validateAutomation({ id: "x", title: "tag",
 *   conditions: { type: "ticket", field: "status", op: "is", value: "pending" },
 *   actions: [{ type: "add_note", text: "still pending" }] }) // throws INVALID_INPUT
 */
export function validateAutomation(input: AutomationInput): Automation {
  const automation = parseInput(AutomationSchema, input, "automation");
  const leaves = requiredLeaves(automation.conditions).filter((l) => l.type === "ticket");
  if (!leaves.some((leaf) => nullifies(leaf, automation.actions))) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message:
        `Automation ${automation.id} has no nullifying action: it would fire on every run. ` +
        "Add an action that makes one of its ticket conditions false " +
        "(change the status, add a tag it excludes…).",
      path: ["actions"],
      details: { automationId: automation.id },
    });
  }
  return automation;
}

function nullifies(leaf: LeafCondition, actions: readonly RuleAction[]): boolean {
  if (leaf.type !== "ticket") return false;
  // Probe: a ticket that satisfies the leaf; nullified when the actions turn the leaf false.
  return actions.some((action) => {
    const probe = probeTicket(leaf);
    if (!probe) return false;
    const after = applyRuleAction(probe, action).ticket;
    return !evaluateCondition(leaf, { ticket: after }, new Date(0)).passed;
  });
}

function probeTicket(leaf: LeafCondition & { type: "ticket" }): RuleFacts["ticket"] | null {
  const base = {
    status: "open",
    priority: "normal",
    category: "other",
    channel: "email",
    team: null,
    assigneeId: null,
    language: "ko",
    tags: [] as string[],
  };
  if (leaf.op === "has") return { ...base, tags: [leaf.value] } as unknown as RuleFacts["ticket"];
  if (leaf.op === "lacks") return base as unknown as RuleFacts["ticket"];
  if (leaf.op === "is" || leaf.op === "in") {
    const v = Array.isArray(leaf.value) ? leaf.value[0] : leaf.value;
    const key = leaf.field === "assignee" ? "assigneeId" : leaf.field;
    if (key === "tags")
      return { ...base, tags: v === null || v === undefined ? [] : [v] } as unknown as RuleFacts["ticket"];
    return { ...base, [key]: v } as unknown as RuleFacts["ticket"];
  }
  // is_not / not_in / priority ranges: any action landing on an excluded value nullifies; probing
  // every value is not worth it here, so these leaves never count as nullified.
  return null;
}

/**
 * Which enabled automations fire for one ticket now, with their actions (rule id per action).
 * Closed tickets never match. Exactly-once firing across instances is the scheduler's job.
 *
 * @example
 * evaluateAutomations(defaultAutomations(), { ticket, times: { statusChangedAt } }, now)
 */
export function evaluateAutomations(automations: readonly Automation[], facts: RuleFacts, now: Date): PlannedAction[] {
  if (facts.ticket.status === "closed") return [];
  return automations
    .filter((a) => a.enabled && evaluateCondition(a.conditions, facts, now).passed)
    .flatMap((a) => a.actions.map((action) => ({ ruleId: a.id, action, depth: 0 })));
}

/** Options of {@link defaultAutomations}. */
export interface DefaultAutomationsOptions {
  /** `calendar` (default) or `business` hours (needs a calendar in the facts). */
  clock?: "calendar" | "business";
  /** Ids to switch off, e.g. `["pending-solve-96h"]`. */
  disabled?: readonly string[];
}

/**
 * The automations a shop starts with, as plain data it can edit or switch off: a reminder after
 * 48 h pending (template `pending_reminder`, sent in the customer's language by the desk), solved
 * with a closing message (`pending_closing`) after 96 h pending, closed 7 days after solved.
 *
 * @example
 * const automations = defaultAutomations({ disabled: ["pending-solve-96h"] });
 */
export function defaultAutomations(options: DefaultAutomationsOptions = {}): Automation[] {
  const clock = options.clock ?? "calendar";
  const pending = { type: "ticket", field: "status", op: "is", value: "pending" } as const;
  const list: AutomationInput[] = [
    {
      id: "pending-reminder-48h",
      title: "Remind the customer after 48 h pending",
      conditions: {
        type: "all",
        conditions: [
          pending,
          { type: "hours_since", since: "status_changed", op: "at_least", hours: 48, clock },
          { type: "ticket", field: "tags", op: "lacks", value: "pending-reminded" },
        ],
      },
      actions: [
        { type: "send_template", templateId: "pending_reminder" },
        { type: "add_tags", tags: ["pending-reminded"] },
      ],
    },
    {
      id: "pending-solve-96h",
      title: "Solve with a closing message after 96 h pending",
      conditions: {
        type: "all",
        conditions: [pending, { type: "hours_since", since: "status_changed", op: "at_least", hours: 96, clock }],
      },
      actions: [
        { type: "send_template", templateId: "pending_closing" },
        { type: "set_status", status: "solved" },
      ],
    },
    {
      id: "solved-close-7d",
      title: "Close 7 days after solved",
      conditions: {
        type: "all",
        conditions: [
          { type: "ticket", field: "status", op: "is", value: "solved" },
          { type: "hours_since", since: "status_changed", op: "at_least", hours: 168 },
        ],
      },
      actions: [{ type: "set_status", status: "closed" }],
    },
  ];
  const off = new Set(options.disabled ?? []);
  return list.map((a) => ({ ...validateAutomation(a), enabled: !off.has(a.id) }));
}
