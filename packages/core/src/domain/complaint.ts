import { z } from "zod";

/** Steps of the complaint recovery workflow, in order. */
export const ComplaintStepSchema = z.enum(["listen", "apologize", "resolve", "inform", "confirm", "closed"]);
/** A complaint step. */
export type ComplaintStep = z.infer<typeof ComplaintStepSchema>;

/**
 * A complaint being recovered: listen → apologize → resolve (by the action plan) →
 * keep informed → confirm with the customer → closed with a root cause.
 * Times are ISO strings so the case is JSON-safe inside the ticket.
 */
export const ComplaintCaseSchema = z.object({
  step: ComplaintStepSchema,
  openedAt: z.string(),
  stepEnteredAt: z.string(),
  /** Every step entered, with who moved it and a note. Append-only. */
  history: z.array(
    z.object({ step: ComplaintStepSchema, at: z.string(), by: z.string().nullable(), note: z.string().nullable() }),
  ),
  /** What the customer said the problem is (captured while listening). */
  summary: z.string().nullable(),
  /** The action taken from the action plan (refund, exchange, discount code…). */
  resolution: z.string().nullable(),
  /** Minutes between customer updates while unresolved. */
  updateIntervalMinutes: z.number().int().positive(),
  nextUpdateDueAt: z.string().nullable(),
  /** Times the customer said "not satisfied" at confirmation. */
  reopenCount: z.number().int().nonnegative(),
  rootCause: z.string().nullable(),
});
/** A complaint case. */
export type ComplaintCase = z.infer<typeof ComplaintCaseSchema>;
