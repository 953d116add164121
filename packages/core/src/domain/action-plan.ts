import { z } from "zod";
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
 * The shop's plan for one category of request: who handles it, who decides,
 * what is needed, where and when it is handled, and what may be given.
 */
export const ActionPlanSchema = z.object({
  category: CategorySchema,
  responsibleTeam: z.string().min(1),
  decisionMaker: z.string().min(1),
  informationNeeded: z.array(z.string()),
  channels: z.array(z.string()),
  /** Business calendar id or a human description such as "Mon–Fri 09:00–18:00 KST". */
  serviceHours: z.string(),
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
