/** The customer-level audit log: identities linked, profile changes and merges of one customer. */
import { z } from "zod";
import { TicketEventSchema } from "./event.js";

/** Types of customer events the desk writes (plugins may add `plugin.*` types). */
export const CUSTOMER_EVENT_TYPES = [
  /** Identities were added to the customer (`data.identities`, `data.source`: ingest, agent, commerce, merge). */
  "customer.identities_linked",
  /** Name, locale or attributes changed (`data.changes`: `{ field: { from, to } }`). */
  "customer.updated",
  /** Another customer was merged into this one (`data.from`, `data.tickets`, `data.identities`). */
  "customer.merged",
  /** This customer was merged into another (`data.into`). */
  "customer.merged_away",
] as const;

/**
 * An entry of a customer's append-only audit log. Stores keep them in append order
 * (`listCustomerEvents`); there is no update or delete except erasing the customer.
 */
export const CustomerEventSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  type: z.string().regex(/^[a-z][a-z0-9_.-]{1,99}$/),
  at: z.date(),
  actor: TicketEventSchema.shape.actor,
  /** JSON-safe details. */
  data: z.record(z.string(), z.unknown()),
});
/**
 * A customer event.
 *
 * @example
 * const event: CustomerEvent = { id: "e1", customerId: "c1", type: "customer.updated", at: new Date(),
 *   actor: { kind: "agent", id: "kim" }, data: { changes: { name: { from: null, to: "김민지" } } } };
 */
export type CustomerEvent = z.infer<typeof CustomerEventSchema>;
