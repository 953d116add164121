/** Rule conditions as data: leaves over ticket, message, customer and time, grouped by nestable all/any. */
import { z } from "zod";

/** Ticket fields a condition can test. */
export const TICKET_FIELDS = [
  "status",
  "priority",
  "category",
  "channel",
  "team",
  "assignee",
  "language",
  "tags",
] as const;

/** The points in time an `hours_since` condition can measure from. */
export const SINCE_POINTS = [
  "created",
  "updated",
  "status_changed",
  "last_customer_message",
  "last_agent_reply",
] as const;

/** One test of a condition tree (a leaf). */
export type LeafCondition =
  | {
      type: "ticket";
      field: (typeof TICKET_FIELDS)[number];
      op: "is" | "is_not" | "in" | "not_in";
      value: string | null | string[];
    }
  | { type: "ticket"; field: "tags"; op: "has" | "lacks"; value: string }
  | { type: "ticket"; field: "priority"; op: "at_least" | "at_most"; value: string }
  | { type: "text"; contains: string[]; match?: "any" | "all" }
  | { type: "customer"; field: "vip"; value: boolean }
  | { type: "customer"; field: "order_count"; op: "at_least" | "at_most"; value: number }
  | { type: "customer"; field: "language"; in: string[] }
  | { type: "customer"; field: "attribute"; key: string; value: string | number | boolean | null }
  | { type: "score"; label: string; min?: number; max?: number }
  | { type: "business_hours"; open: boolean }
  | { type: "started_by"; by: "customer" | "agent" }
  | { type: "event_data"; key: string; op: "is" | "is_not" | "at_least" | "at_most"; value: string | number | boolean }
  | {
      type: "hours_since";
      since: (typeof SINCE_POINTS)[number];
      op: "at_least" | "less_than";
      hours: number;
      clock?: "calendar" | "business";
    };

/** A condition tree: a leaf, or `all`/`any` over further conditions (nestable). */
export type RuleCondition =
  LeafCondition | { type: "all"; conditions: RuleCondition[] } | { type: "any"; conditions: RuleCondition[] };

const text = z.string().min(1).max(200);
const ticketLeaf = z.union([
  z.strictObject({
    type: z.literal("ticket"),
    field: z.enum(TICKET_FIELDS),
    op: z.enum(["is", "is_not", "in", "not_in"]),
    value: z.union([text, z.null(), z.array(text).min(1).max(100)]),
  }),
  z.strictObject({
    type: z.literal("ticket"),
    field: z.literal("tags"),
    op: z.enum(["has", "lacks"]),
    value: text,
  }),
  z.strictObject({
    type: z.literal("ticket"),
    field: z.literal("priority"),
    op: z.enum(["at_least", "at_most"]),
    value: z.enum(["low", "normal", "high", "urgent"]),
  }),
]);
const customerLeaf = z.union([
  z.strictObject({ type: z.literal("customer"), field: z.literal("vip"), value: z.boolean() }),
  z.strictObject({
    type: z.literal("customer"),
    field: z.literal("order_count"),
    op: z.enum(["at_least", "at_most"]),
    value: z.number().int().nonnegative(),
  }),
  z.strictObject({ type: z.literal("customer"), field: z.literal("language"), in: z.array(text).min(1) }),
  z.strictObject({
    type: z.literal("customer"),
    field: z.literal("attribute"),
    key: text,
    value: z.union([z.string().max(200), z.number(), z.boolean(), z.null()]),
  }),
]);
const leaf = z.union([
  ticketLeaf,
  z.strictObject({
    type: z.literal("text"),
    contains: z.array(text).min(1).max(100),
    match: z.enum(["any", "all"]).optional(),
  }),
  customerLeaf,
  z
    .strictObject({
      type: z.literal("score"),
      label: text,
      min: z.number().min(0).max(1).optional(),
      max: z.number().min(0).max(1).optional(),
    })
    .refine((s) => s.min !== undefined || s.max !== undefined, "score needs min or max"),
  z.strictObject({ type: z.literal("business_hours"), open: z.boolean() }),
  z.strictObject({ type: z.literal("started_by"), by: z.enum(["customer", "agent"]) }),
  // The raising event's own data, e.g. a CSAT rating: { key: "rating", op: "at_most", value: 2 }.
  z.strictObject({
    type: z.literal("event_data"),
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a data key"),
    op: z.enum(["is", "is_not", "at_least", "at_most"]),
    value: z.union([z.string().max(200), z.number(), z.boolean()]),
  }),
  z.strictObject({
    type: z.literal("hours_since"),
    since: z.enum(SINCE_POINTS),
    op: z.enum(["at_least", "less_than"]),
    hours: z
      .number()
      .positive()
      .max(24 * 366),
    clock: z.enum(["calendar", "business"]).optional(),
  }),
]);

/**
 * Schema of a condition tree. Groups nest (`all` of `any` of …); an empty group is refused,
 * since "all of nothing" silently matching every ticket is a classic misconfiguration.
 *
 * @example
 * RuleConditionSchema.parse({ type: "all", conditions: [
 *   { type: "ticket", field: "status", op: "is", value: "new" },
 *   { type: "any", conditions: [
 *     { type: "text", contains: ["환불"] },
 *     { type: "customer", field: "vip", value: true },
 *   ] },
 * ] });
 */
export const RuleConditionSchema: z.ZodType<RuleCondition> = z.lazy(() =>
  z.union([
    leaf,
    z.strictObject({ type: z.literal("all"), conditions: z.array(RuleConditionSchema).min(1).max(100) }),
    z.strictObject({ type: z.literal("any"), conditions: z.array(RuleConditionSchema).min(1).max(100) }),
  ]),
);
