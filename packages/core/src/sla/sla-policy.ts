/** SLA policies as data, validated with zod at the edge. */
import { z } from "zod";
import { parseInput } from "../validate.js";
import type { SlaMetric, TicketStatus } from "./types.js";
import { CategorySchema, PrioritySchema, SlaMetricSchema, TicketStatusSchema } from "./types.js";

/**
 * A target: `minutes` of business time (per the calendar passed to `evaluateSla`) or of calendar time.
 *
 * @example
 * const target: SlaTarget = { minutes: 12 * 60, time: "calendar" };
 */
export const SlaTargetSchema = z.strictObject({
  minutes: z.number().positive().finite(),
  time: z.enum(["business", "calendar"]),
});
/** See {@link SlaTargetSchema}. */
export type SlaTarget = z.output<typeof SlaTargetSchema>;

/** Targets per metric (the schema of {@link SlaMetricTargets}). */
export const SlaMetricTargetsSchema = z.strictObject({
  first_reply: SlaTargetSchema.optional(),
  next_reply: SlaTargetSchema.optional(),
  periodic_update: SlaTargetSchema.optional(),
  pausable_update: SlaTargetSchema.optional(),
  requester_wait: SlaTargetSchema.optional(),
  agent_work: SlaTargetSchema.optional(),
});
/** Targets per metric; a metric without a target is not measured. */
export type SlaMetricTargets = z.output<typeof SlaMetricTargetsSchema>;

/**
 * What a warning or breach should trigger. Data only: the desk applies it.
 * `metrics` limits it to some metrics (all when omitted).
 *
 * @example
 * const esc: SlaEscalation = { on: "breach", metrics: ["first_reply"], raisePriority: "high", assignTeam: "leads", notify: ["lead@shop.example"] };
 */
export const SlaEscalationSchema = z.strictObject({
  on: z.enum(["warn", "breach"]),
  metrics: z.array(SlaMetricSchema).optional(),
  raisePriority: PrioritySchema.optional(),
  assignTeam: z.string().optional(),
  notify: z.array(z.string()).optional(),
});
/** See {@link SlaEscalationSchema}. */
export type SlaEscalation = z.output<typeof SlaEscalationSchema>;

/**
 * An SLA policy. `conditions` select the tickets it applies to (all given conditions must hold;
 * none = every ticket). `targets` per priority, each metric falling back to `targets.default`.
 *
 * - `warnBeforeMinutes`: a warning fires this long before the breach, in the target's time kind (0/absent: no warning).
 * - `pauses`: statuses in which a metric's clock stops, per metric, replacing the default for that metric:
 *   `requester_wait` pauses in `pending`; `agent_work` and `pausable_update` in `pending` and `on_hold`; others never.
 * - `replyCounts`: which outbound messages count as a reply. Default: public, by an agent, on the ticket's
 *   current channel, not an auto-acknowledgement. Internal notes never count.
 * - `reopenRearmsResolution` (default true): reopening a solved ticket resumes `requester_wait` and
 *   `agent_work`, with the time already used kept (Zendesk's cumulative semantics).
 *
 * @example
 * const policy = defineSlaPolicy({
 *   id: "vip",
 *   name: "VIP customers",
 *   conditions: { customer: { tier: "vip" } },
 *   targets: { default: { first_reply: { minutes: 60, time: "business" } }, urgent: { first_reply: { minutes: 15, time: "calendar" } } },
 *   warnBeforeMinutes: 15,
 * });
 */
export const SlaPolicySchema = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  conditions: z
    .strictObject({
      categories: z.array(CategorySchema).optional(),
      priorities: z.array(PrioritySchema).optional(),
      channels: z.array(z.string()).optional(),
      tagsAny: z.array(z.string()).optional(),
      tagsAll: z.array(z.string()).optional(),
      customer: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    })
    .optional(),
  targets: z.strictObject({
    default: SlaMetricTargetsSchema.optional(),
    low: SlaMetricTargetsSchema.optional(),
    normal: SlaMetricTargetsSchema.optional(),
    high: SlaMetricTargetsSchema.optional(),
    urgent: SlaMetricTargetsSchema.optional(),
  }),
  warnBeforeMinutes: z.number().nonnegative().finite().optional(),
  pauses: z.partialRecord(SlaMetricSchema, z.array(TicketStatusSchema)).optional(),
  replyCounts: z
    .strictObject({
      authorKinds: z.array(z.enum(["agent", "bot", "system"])).optional(),
      anyChannel: z.boolean().optional(),
      includeAutoAck: z.boolean().optional(),
      includePrivate: z.boolean().optional(),
    })
    .optional(),
  reopenRearmsResolution: z.boolean().optional(),
  escalations: z.array(SlaEscalationSchema).optional(),
});
/** See {@link SlaPolicySchema}. */
export type SlaPolicy = z.output<typeof SlaPolicySchema>;

/** The statuses that pause each metric unless a policy says otherwise. */
export const DEFAULT_SLA_PAUSES: Readonly<Record<SlaMetric, readonly TicketStatus[]>> = {
  first_reply: [],
  next_reply: [],
  periodic_update: [],
  pausable_update: ["pending", "on_hold"],
  requester_wait: ["pending"],
  agent_work: ["pending", "on_hold"],
};

/**
 * Validates an SLA policy.
 *
 * @throws StoredeskError `INVALID_INPUT` with the offending field's path.
 * @example
 * const p = defineSlaPolicy({ id: "all", name: "Everyone", targets: { default: { first_reply: { minutes: 480, time: "business" } } } });
 */
export function defineSlaPolicy(input: z.input<typeof SlaPolicySchema>): SlaPolicy {
  return parseInput(SlaPolicySchema, input, "SLA policy");
}
