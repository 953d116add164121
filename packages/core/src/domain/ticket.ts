import { z } from "zod";
import { CategorySchema, ChannelIdSchema, LanguageSchema, PrioritySchema, TicketStatusSchema } from "./enums.js";
import { ComplaintCaseSchema } from "./complaint.js";

/** State of one SLA metric as stored on the ticket (JSON-safe: times are ISO strings). */
export const SlaMetricSnapshotSchema = z.object({
  metric: z.string(),
  status: z.enum(["active", "paused", "fulfilled", "breached", "inactive"]),
  dueAt: z.string().nullable(),
  targetMinutes: z.number().nullable(),
  businessTimeUsedMs: z.number(),
  breachedAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
});
/** One SLA metric on a ticket. */
export type SlaMetricSnapshot = z.infer<typeof SlaMetricSnapshotSchema>;

/** The SLA state stored on a ticket, recomputed on every ticket event. */
export const SlaSnapshotSchema = z.object({
  policyId: z.string().nullable(),
  metrics: z.array(SlaMetricSnapshotSchema),
  evaluatedAt: z.string(),
});
/** SLA state of a ticket. */
export type SlaSnapshot = z.infer<typeof SlaSnapshotSchema>;

/** A support ticket: one customer request and everything said about it. */
export const TicketSchema = z.object({
  id: z.string().min(1),
  /** Human ticket number, unique per store, shown as `SD-<number>`. */
  number: z.number().int().positive(),
  subject: z.string().max(1000).nullable(),
  status: TicketStatusSchema,
  priority: PrioritySchema,
  category: CategorySchema,
  /** Channel the ticket came in on; replies go out there unless the agent chooses another. */
  channel: ChannelIdSchema,
  /** `comment` for public posts (Facebook/Instagram comments), `conversation` otherwise. */
  kind: z.enum(["conversation", "comment"]),
  customerId: z.string().min(1),
  assigneeId: z.string().nullable(),
  team: z.string().nullable(),
  tags: z.array(z.string().min(1).max(100)),
  language: LanguageSchema,
  /** The channel's conversation key (e.g. WhatsApp number, email subject thread) used for threading. */
  conversationKey: z.string().max(1000).nullable(),
  /** Optimistic-concurrency version: every write bumps it; a stale write fails with CONFLICT. */
  version: z.number().int().nonnegative(),
  createdAt: z.date(),
  updatedAt: z.date(),
  lastCustomerMessageAt: z.date().nullable(),
  firstRepliedAt: z.date().nullable(),
  solvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  /** The closed ticket this one follows up on. */
  followUpOf: z.string().nullable(),
  /** Set when this ticket was merged into another; it is then closed. */
  mergedInto: z.string().nullable(),
  /** Earliest coming SLA deadline (for the "due soon" queue), or null. */
  slaDueAt: z.date().nullable(),
  sla: SlaSnapshotSchema.nullable(),
  complaint: ComplaintCaseSchema.nullable(),
  /** Channel- and shop-specific facts (commerce context snapshot, order id…); JSON-safe. */
  meta: z.record(z.string(), z.unknown()),
});
/** A ticket. */
export type Ticket = z.infer<typeof TicketSchema>;

/** `SD-1234` form of a ticket number, as used in email subjects and plus-addresses. */
export function ticketRef(ticket: Pick<Ticket, "number">): string {
  return `SD-${ticket.number}`;
}
