/**
 * The words of the SLA engine: metrics, the history it replays, the facts policies match on.
 */
import { z } from "zod";

// The ticket words come from the domain schema: one definition of each.
export { TicketStatusSchema, PrioritySchema, CategorySchema } from "../domain/enums.js";
export type { TicketStatus, Priority, Category } from "../domain/enums.js";
import type { TicketStatus, Priority, Category } from "../domain/enums.js";

/**
 * The SLA metrics. `first_reply`, `next_reply`: reply times. `periodic_update`: time between public
 * agent replies; `pausable_update` the same but paused (by default in `pending`/`on_hold`).
 * `requester_wait`, `agent_work`: resolution times (until solved) with different pauses.
 */
export const SlaMetricSchema = z.enum([
  "first_reply",
  "next_reply",
  "periodic_update",
  "pausable_update",
  "requester_wait",
  "agent_work",
]);
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
  | {
      type: "created";
      at: Date;
      status: TicketStatus;
      priority: Priority;
      category: Category;
      channel: string;
      tags: string[];
      customer?: Record<string, unknown>;
    }
  | { type: "status"; at: Date; status: TicketStatus }
  | {
      type: "message";
      at: Date;
      direction: "inbound" | "outbound" | "note";
      authorKind: "customer" | "agent" | "bot" | "system";
      channel: string;
      public: boolean;
      autoAck?: boolean;
    }
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
