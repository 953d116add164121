import { z } from "zod";

/** A scheduled job: an SLA check, a complaint follow-up, a survey, an auto-close. */
export const JobSchema = z.object({
  id: z.string().min(1),
  /** Dedupe key: scheduling the same key again replaces the pending job (e.g. `sla:<ticketId>`). */
  key: z.string().min(1),
  type: z.string().min(1),
  ticketId: z.string().nullable(),
  runAt: z.date(),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.number().int().nonnegative(),
  /** Instance holding the job while it runs; its lease ends at `lockedUntil`. */
  lockedBy: z.string().nullable(),
  lockedUntil: z.date().nullable(),
});
/** A job. */
export type Job = z.infer<typeof JobSchema>;
