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
