/** Actions on customer records: merging two records of one person, linking identities, erasure. */
import { StoredeskError } from "../../errors.js";
import { parseInput } from "../../validate.js";
import { appendEvents } from "../audit-log.js";
import { commerceContextFor } from "../commerce-context.js";
import type { DeskContext } from "../context.js";
import { IdSchema, toActor } from "../schemas.js";
import { withTx } from "../transaction.js";
import type { Desk } from "../types.js";
import { linkIdentities } from "./identities.js";
import { mergeCustomersIn, parseCustomerPatch, updateCustomerIn } from "../customer-actions.js";

/**
 * The desk's customer-record actions (`mergeCustomers`, `linkIdentities`, `eraseCustomer`, `commerceContext`).
 *
 * @example
 * const { mergeCustomers } = customerRecordActions(ctx);
 */
export function customerRecordActions(
  ctx: DeskContext,
): Pick<
  Desk,
  "mergeCustomers" | "linkIdentities" | "updateCustomer" | "listCustomerEvents" | "eraseCustomer" | "commerceContext"
> {
  return {
    async mergeCustomers(sourceId, targetId, actor) {
      parseInput(IdSchema, sourceId, "source customer id");
      parseInput(IdSchema, targetId, "target customer id");
      if (sourceId === targetId)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "A customer cannot be merged into itself",
          path: ["targetId"],
        });
      const who = toActor(actor);
      const result = await withTx(ctx, (tx) =>
        mergeCustomersIn(
          tx,
          { now: () => ctx.clock.now(), newId: ctx.newId },
          sourceId,
          targetId,
          who,
          (t, ticketId, drafts, actor, at) => appendEvents(ctx, t, ticketId, drafts, actor, at),
        ),
      );
      ctx.commerceCache.delete(sourceId);
      ctx.commerceCache.delete(targetId);
      if (result.identities.length > 0)
        ctx.emitter.emit("customer.linked", { customer: result.customer, identities: result.identities });
      return result.customer;
    },
    linkIdentities: (customerId, identities, actor) =>
      linkIdentities(ctx, customerId, identities, { actor: toActor(actor) }),
    async updateCustomer(customerId, patch, actor) {
      parseInput(IdSchema, customerId, "customer id");
      const parsed = parseCustomerPatch(patch);
      const { customer } = await withTx(ctx, (tx) =>
        updateCustomerIn(tx, { now: () => ctx.clock.now(), newId: ctx.newId }, customerId, parsed, toActor(actor)),
      );
      return customer;
    },
    listCustomerEvents: async (customerId) =>
      ctx.store.listCustomerEvents(parseInput(IdSchema, customerId, "customer id")),
    async eraseCustomer(customerId) {
      parseInput(IdSchema, customerId, "customer id");
      ctx.commerceCache.delete(customerId);
      return withTx(ctx, (tx) => tx.deleteCustomer(customerId));
    },
    async commerceContext(customerId, opts = {}) {
      const customer = await ctx.store.getCustomer(parseInput(IdSchema, customerId, "customer id"));
      if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found` });
      return commerceContextFor(ctx, customer, opts.refresh);
    },
  };
}
