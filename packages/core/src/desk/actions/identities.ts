/** Customer identities: linking a phone or a shop id to a customer, following merges. */
import { IdentitySchema, normalizeIdentity, type Customer, type Identity } from "../../domain/customer.js";
import { StoredeskError } from "../../errors.js";
import { parseInput } from "../../validate.js";
import type { DeskContext } from "../context.js";
import { withTx } from "../transaction.js";

/**
 * Adds identities to a customer; CONFLICT if another customer holds one (unless `onlyUnowned`,
 * which skips those).
 *
 * @example
 * await linkIdentities(ctx, customerId, [{ kind: "phone", value: "+821012345678" }]);
 */
export async function linkIdentities(
  ctx: DeskContext, customerId: string, identities: Identity[], opts: { onlyUnowned?: boolean } = {},
): Promise<Customer> {
  const parsed = identities.map((i, n) => normalizeIdentity(parseInput(IdentitySchema, i, `identity ${n}`)));
  const { customer, linked } = await withTx(ctx, async (tx) => {
    const current = await tx.getCustomer(customerId);
    if (!current) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found`, path: ["customerId"] });
    const adding: Identity[] = [];
    for (const identity of parsed) {
      const owner = await tx.findCustomerByIdentity(identity);
      if (owner?.id === current.id) continue;
      if (owner) {
        if (opts.onlyUnowned) continue;
        throw new StoredeskError({
          code: "CONFLICT", message: `${identity.kind} identity belongs to another customer; merge the customers instead`,
          details: { customerId: owner.id, duplicate: true },
        });
      }
      adding.push(identity);
    }
    if (adding.length === 0) return { customer: current, linked: adding };
    const next = { ...current, identities: [...current.identities, ...adding], updatedAt: ctx.clock.now() };
    await tx.updateCustomer(next);
    return { customer: next, linked: adding };
  });
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
  for (let hops = 0; customer?.mergedInto && hops < 10; hops++) customer = await ctx.store.getCustomer(customer.mergedInto);
  return customer;
}
