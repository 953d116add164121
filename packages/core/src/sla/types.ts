/**
 * The ticket words the SLA engine needs, kept local so `sla/` depends on no other domain code.
 * Spelled exactly as the domain schema; to be unified with it.
 */
import { z } from "zod";

/** Ticket statuses: `pending` waits on the customer, `on_hold` on a third party. */
export const TicketStatusSchema = z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]);
/** A ticket status. @example const s: TicketStatus = "pending"; */
export type TicketStatus = z.output<typeof TicketStatusSchema>;

/** Ticket priorities, lowest first. */
export const PrioritySchema = z.enum(["low", "normal", "high", "urgent"]);
/** A ticket priority. @example const p: Priority = "urgent"; */
export type Priority = z.output<typeof PrioritySchema>;

/** Ticket categories. */
export const CategorySchema = z.enum(["product", "shipping", "refund_exchange", "order_change", "payment", "complaint", "other"]);
/** A ticket category. @example const c: Category = "shipping"; */
export type Category = z.output<typeof CategorySchema>;

/**
 * The SLA metrics. `first_reply`, `next_reply`: reply times. `periodic_update`: time between public
 * agent replies; `pausable_update` the same but paused (by default in `pending`/`on_hold`).
 * `requester_wait`, `agent_work`: resolution times (until solved) with different pauses.
 */
export const SlaMetricSchema = z.enum(["first_reply", "next_reply", "periodic_update", "pausable_update", "requester_wait", "agent_work"]);
/** One SLA metric. @example const m: SlaMetric = "first_reply"; */
export type SlaMetric = z.output<typeof SlaMetricSchema>;
/** All metrics in a fixed order (the order of {@link SlaEvaluation}`.metrics`). */
export const SLA_METRICS: readonly SlaMetric[] = SlaMetricSchema.options;

/**
 * What the SLA engine reads of a ticket's history. Events at the same instant apply in array order.
 *
 * @example
 * const history: SlaHistoryEvent[] = [
 *   { type: "created", at: new Date("2025-06-16T09:00:00Z"), status: "new", priority: "normal", category: "shipping", channel: "email", tags: [] },
 *   { type: "message", at: new Date("2025-06-16T10:00:00Z"), direction: "outbound", authorKind: "agent", channel: "email", public: true },
 * ];
 */
export type SlaHistoryEvent =
  | { type: "created"; at: Date; status: TicketStatus; priority: Priority; category: Category; channel: string; tags: string[]; customer?: Record<string, unknown> }
  | { type: "status"; at: Date; status: TicketStatus }
  | { type: "message"; at: Date; direction: "inbound" | "outbound" | "note"; authorKind: "customer" | "agent" | "bot" | "system"; channel: string; public: boolean; autoAck?: boolean }
  | { type: "priority"; at: Date; priority: Priority }
  | { type: "fields"; at: Date; category?: Category; tags?: string[]; channel?: string }
  | { type: "policy"; at: Date; policyId: string | null };

/**
 * The facts a policy's conditions look at.
 *
 * @example
 * const facts: SlaTicketFacts = { category: "shipping", priority: "normal", channel: "whatsapp", tags: ["vip"], customer: { tier: "gold" } };
 */
export interface SlaTicketFacts {
  category: Category;
  priority: Priority;
  channel: string;
  tags: readonly string[];
  customer?: Record<string, unknown> | undefined;
}
