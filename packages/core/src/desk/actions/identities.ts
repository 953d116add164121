/** Customer identities: linking a phone or a shop id to a customer (audited), following merges. */
import type { Customer, Identity } from "../../domain/customer.js";
import type { Actor } from "../../domain/event.js";
import type { DeskContext } from "../context.js";
import { linkIdentitiesIn, parseIdentities, type LinkSource } from "../customer-actions.js";
import { withTx } from "../transaction.js";

/**
 * Adds identities to a customer, with a `customer.identities_linked` event in the customer's log;
 * CONFLICT if another customer holds one (unless `onlyUnowned`, which skips those). `attributes`
 * (from commerce context) are merged in by the same write.
 *
 * @example
 * await linkIdentities(ctx, customerId, [{ kind: "phone", value: "+821012345678" }]);
 */
export async function linkIdentities(
  ctx: DeskContext,
  customerId: string,
  identities: Identity[],
  opts: { onlyUnowned?: boolean; source?: LinkSource; actor?: Actor; attributes?: Record<string, unknown> } = {},
): Promise<Customer> {
  const parsed = parseIdentities(identities);
  const { customer, linked } = await withTx(ctx, (tx) =>
    linkIdentitiesIn(tx, { now: () => ctx.clock.now(), newId: ctx.newId }, customerId, parsed, {
      source: "agent",
      actor: { kind: "system", id: null },
      ...opts,
    }),
  );
  if (linked.length > 0) ctx.emitter.emit("customer.linked", { customer, identities: linked });
  return customer;
}

/**
 * A customer by id, following `mergedInto` to the record that lives on.
 *
 * @example
 * const author = await liveCustomer(ctx, message.authorId);
 */
export async function liveCustomer(ctx: DeskContext, id: string): Promise<Customer | null> {
  let customer = await ctx.store.getCustomer(id);
  for (let hops = 0; customer?.mergedInto && hops < 10; hops++)
    customer = await ctx.store.getCustomer(customer.mergedInto);
  return customer;
}
