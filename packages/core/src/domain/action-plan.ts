import { z } from "zod";
import { BusinessCalendarSchema } from "../calendar/business-calendar.js";
import { CategorySchema } from "./enums.js";

/** A limit on what one agent role may give without approval. */
export const CompensationLimitSchema = z.object({
  role: z.string().min(1),
  /** Largest amount in the shop currency this role may refund or grant alone. */
  maxAmount: z.number().nonnegative(),
  /** Largest discount percentage this role may grant alone. */
  maxPercent: z.number().min(0).max(100),
});

/** Rule action types an action plan's `decisions` may name. */
export const DECISION_ACTION_TYPES = [
  "set_status",
  "set_priority",
  "set_category",
  "add_tags",
  "remove_tags",
  "set_team",
  "set_assignee",
  "add_note",
  "reply",
  "send_template",
  "run_macro",
  "notify",
  "start_complaint",
  "snooze",
] as const;

/**
 * One entry of an action plan's `decisions`: `<action type>` or `<action type>:<value>`.
 *
 * @example
 * DecisionPatternSchema.parse("set_status:solved");
 */
export const DecisionPatternSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => (DECISION_ACTION_TYPES as readonly string[]).includes(p.split(":")[0]!), {
    message: `must start with an action type (${DECISION_ACTION_TYPES.join(", ")}), e.g. "set_status:solved"`,
  });

/**
 * An action plan's service hours: a business calendar, or (the older form) a description
 * string with no behaviour of its own.
 *
 * @example
 * ServiceHoursSchema.parse({ id: "refunds", timeZone: "Asia/Seoul", weekly: { mon: [{ start: "09:00", end: "18:00" }] } });
 * ServiceHoursSchema.parse("Mon–Fri 09:00–18:00 KST"); // a description
 */
export const ServiceHoursSchema = z.union([z.string(), BusinessCalendarSchema]);
/** Service hours as validated: a calendar, or a description. */
export type ServiceHours = z.output<typeof ServiceHoursSchema>;

/**
 * The shop's plan for one category of request: who handles it, who decides,
 * what is needed, where and when it is handled, and what may be given.
 */
export const ActionPlanSchema = z.object({
  category: CategorySchema,
  responsibleTeam: z.string().min(1),
  decisionMaker: z.string().min(1),
  informationNeeded: z.array(z.string()),
  channels: z.array(z.string()),
  /**
   * When the responsible team works: a business calendar (hours per weekday in a time zone,
   * holidays, exceptions; see `defineCalendar`), used by that team's SLA and for "a person will
   * answer from 09:00 tomorrow" on a hand-off outside its hours. A string (the older form, such as
   * "Mon–Fri 09:00–18:00 KST") is kept as a description only: the team then uses the desk's calendar.
   */
  serviceHours: ServiceHoursSchema,
  /**
   * Actions that are the `decisionMaker`'s to take (e.g. the refund/exchange decision): an action
   * type (`"set_status"`) or a type with its value (`"set_status:solved"`, `"add_tags:refund-approved"`,
   * `"run_macro:refund-approve"`, `"send_template:refund_done"`). A rule, a macro or an agent without
   * that role asking for one files an approval request for the `decisionMaker` role instead.
   */
  decisions: z.array(DecisionPatternSchema).max(100).default([]),
  returnRules: z.string().nullable().default(null),
  claimProcedure: z.array(z.string()).default([]),
  compensation: z.object({
    currency: z.string().length(3),
    kinds: z.array(z.enum(["refund", "partial_refund", "cancel", "discount_code", "replacement", "store_credit"])),
    limits: z.array(CompensationLimitSchema),
    /** Role that approves anything above a limit. */
    approverRole: z.string().min(1),
  }),
});
/** An action plan. */
export type ActionPlan = z.infer<typeof ActionPlanSchema>;
/** Input form of an action plan. */
export type ActionPlanInput = z.input<typeof ActionPlanSchema>;
