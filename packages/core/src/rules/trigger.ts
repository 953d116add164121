/** Triggers: event-driven rules as validated data (event types, condition tree, ordered actions). */
import { z } from "zod";
import { parseInput } from "../validate.js";
import { RuleActionSchema } from "./rule-action.js";
import { RuleConditionSchema } from "./rule-condition.js";

/** The events a trigger can listen to. The `*_changed` ones are also raised by other rules' actions. */
export const TRIGGER_EVENTS = [
  "ticket_created",
  "customer_message",
  "agent_reply",
  "status_changed",
  "priority_changed",
  "category_changed",
  "tags_changed",
  "team_changed",
  "assignee_changed",
  "sla_warning",
  "sla_breach",
  "csat_received",
  "bot_handoff",
] as const;
/** A trigger event type. */
export type TriggerEventType = (typeof TRIGGER_EVENTS)[number];

/**
 * Schema of a trigger: when one of `events` happens and `conditions` hold, `actions` run in order.
 *
 * @example
 * TriggerSchema.parse({ id: "refunds", title: "환불 → refunds team", events: ["customer_message"],
 *   conditions: { type: "text", contains: ["환불"] }, actions: [{ type: "set_team", team: "refunds" }] });
 */
export const TriggerSchema = z.strictObject({
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  enabled: z.boolean().default(true),
  events: z.array(z.enum(TRIGGER_EVENTS)).min(1),
  conditions: RuleConditionSchema,
  actions: z.array(RuleActionSchema).min(1).max(50),
});
/** A trigger. */
export type Trigger = z.output<typeof TriggerSchema>;
/** Input form of a trigger (`enabled` defaults to true). */
export type TriggerInput = z.input<typeof TriggerSchema>;

/**
 * Validates a trigger: INVALID_INPUT (naming the field) on bad input.
 *
 * @example
 * const trigger = defineTrigger({ id: "vip", title: "VIP first", events: ["ticket_created"],
 *   conditions: { type: "customer", field: "vip", value: true },
 *   actions: [{ type: "set_priority", priority: "high" }] });
 */
export function defineTrigger(input: TriggerInput): Trigger {
  return parseInput(TriggerSchema, input, "trigger");
}
