/** What a rule, automation or macro does, as data; the desk performs these, in order. */
import { z } from "zod";
import { CategorySchema, PrioritySchema, TicketStatusSchema } from "../domain/enums.js";

const tag = z.string().trim().min(1).max(100);
const localized = z
  .record(z.string().min(2).max(35), z.string().min(1).max(20_000))
  .refine((r) => Object.keys(r).length > 0, "at least one language");

/**
 * Schema of one action. `reply` carries a body per language (the desk picks the customer's);
 * `send_template` names a template and goes through the reply-window rules; `run_macro` applies a
 * stored macro (its reply and field changes); `notify` posts to the
 * shop's webhook URL; `snooze` parks the ticket for some hours or until the customer answers.
 *
 * @example
 * RuleActionSchema.parse({ type: "set_team", team: "refunds" });
 */
export const RuleActionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("set_status"), status: TicketStatusSchema }),
  z.strictObject({ type: z.literal("set_priority"), priority: PrioritySchema }),
  z.strictObject({ type: z.literal("set_category"), category: CategorySchema }),
  z.strictObject({ type: z.literal("add_tags"), tags: z.array(tag).min(1).max(50) }),
  z.strictObject({ type: z.literal("remove_tags"), tags: z.array(tag).min(1).max(50) }),
  z.strictObject({ type: z.literal("set_team"), team: z.string().min(1).max(100).nullable() }),
  z.strictObject({ type: z.literal("set_assignee"), assigneeId: z.string().min(1).max(200).nullable() }),
  z.strictObject({ type: z.literal("add_note"), text: z.string().min(1).max(20_000) }),
  z.strictObject({ type: z.literal("reply"), body: localized }),
  z.strictObject({ type: z.literal("send_template"), templateId: z.string().min(1).max(200) }),
  z.strictObject({ type: z.literal("run_macro"), macroId: z.string().min(1).max(100) }),
  z.strictObject({
    type: z.literal("notify"),
    url: z.url({ protocol: /^https?$/ }),
    event: z.string().min(1).max(100).optional(),
  }),
  z.strictObject({ type: z.literal("start_complaint") }),
  z
    .strictObject({
      type: z.literal("snooze"),
      hours: z
        .number()
        .positive()
        .max(24 * 90)
        .optional(),
      untilCustomerReply: z.boolean().optional(),
    })
    .refine((s) => s.hours !== undefined || s.untilCustomerReply === true, "snooze needs hours or untilCustomerReply"),
]);
/** One action. */
export type RuleAction = z.output<typeof RuleActionSchema>;
