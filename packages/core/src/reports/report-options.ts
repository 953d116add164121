/** Options of {@link computeReport}: period, filters, time zone, calendar, buckets. Validated with zod. */
import { z } from "zod";
import { BusinessCalendarSchema, isValidTimeZone } from "../calendar/business-calendar.js";

const list = z.array(z.string().min(1).max(200)).max(1000).optional();

/** Report options as accepted from outside (zod). */
export const ReportOptionsSchema = z.object({
  /** Tickets created in `[from, to)` count; either end may be left open. */
  period: z.object({ from: z.date().optional(), to: z.date().optional() }).optional(),
  /** Keep tickets whose value is one of the listed (final values after changes). */
  channels: list,
  categories: list,
  teams: list,
  /** The final assignee or any agent who replied. */
  agents: list,
  priorities: list,
  /** Tickets with at least one of these tags. */
  tags: list,
  /** IANA zone for hour-of-day and weekday volume; default UTC. */
  timeZone: z.string().refine(isValidTimeZone, "unknown time zone").default("UTC"),
  /** Measure durations in this calendar's open time instead of wall-clock time. */
  calendar: BusinessCalendarSchema.nullable().optional(),
  /** Upper bounds (ms) of the duration distribution buckets. */
  bucketsMs: z.array(z.number().positive()).max(50).optional(),
  /** FAQ gaps: a hand-off whose article scored below `minScore` is a gap (default 0.55); the `limit` largest groups (default 10). */
  faqGaps: z
    .object({
      minScore: z.number().min(0).max(1).default(0.55),
      limit: z.number().int().min(1).max(1000).default(10),
    })
    .default({ minScore: 0.55, limit: 10 }),
});
/** Report options as given. */
export type ReportOptionsInput = z.input<typeof ReportOptionsSchema>;
/** Report options after validation and defaults. */
export type ReportOptions = z.output<typeof ReportOptionsSchema>;
