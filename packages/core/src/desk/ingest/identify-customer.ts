/** Stage: the customer who wrote, found by any identity or created. */
import type { Classification } from "../../classify/classify-text.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { StoreOps } from "../../ports/store.js";
import type { DeskContext } from "../context.js";
import { findOrCreateCustomer } from "../customers.js";

/**
 * Finds or creates the sender inside the ingest transaction, linking identities not yet known.
 *
 * @example
 * const { customer, linked } = await identifyCustomer(ctx, tx, event, classification, now);
 */
export function identifyCustomer(
  ctx: DeskContext,
  tx: StoreOps,
  event: InboundMessageEvent,
  classification: Classification,
  now: Date,
): ReturnType<typeof findOrCreateCustomer> {
  const { identities, name } = event.from;
  return findOrCreateCustomer(
    tx,
    { identities, name, locale: event.from.locale ?? classification.language },
    now,
    ctx.newId,
  );
}
