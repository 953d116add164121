/** Actions on customer records: merging two records of one person, linking identities, erasure. */
import { StoredeskError } from "../../errors.js";
import type { Customer } from "../../domain/customer.js";
import { parseInput } from "../../validate.js";
import { appendEvents } from "../audit-log.js";
import { commerceContextFor } from "../commerce-context.js";
import type { DeskContext } from "../context.js";
import { IdSchema, toActor } from "../schemas.js";
import { withTx } from "../transaction.js";
import type { Desk } from "../types.js";
import { linkIdentities } from "./identities.js";

/**
 * The desk's customer-record actions (`mergeCustomers`, `linkIdentities`, `eraseCustomer`, `commerceContext`).
 *
 * @example
 * const { mergeCustomers } = customerRecordActions(ctx);
 */
export function customerRecordActions(ctx: DeskContext): Pick<Desk, "mergeCustomers" | "linkIdentities" | "eraseCustomer" | "commerceContext"> {
  return {
    async mergeCustomers(sourceId, targetId, actor) {
      parseInput(IdSchema, sourceId, "source customer id");
      parseInput(IdSchema, targetId, "target customer id");
      if (sourceId === targetId) throw new StoredeskError({ code: "INVALID_INPUT", message: "A customer cannot be merged into itself", path: ["targetId"] });
      const who = toActor(actor);
      const result = await withTx(ctx, async (tx) => {
        const now = ctx.clock.now();
        const [source, target] = [await tx.getCustomer(sourceId), await tx.getCustomer(targetId)];
        if (!source || !target) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${!source ? sourceId : targetId} not found` });
        if (source.mergedInto || target.mergedInto) {
          throw new StoredeskError({
            code: "INVALID_INPUT", message: "A customer already merged into another cannot take part in a merge",
            path: [source.mergedInto ? "sourceId" : "targetId"],
          });
        }
        // Free the identities first: each belongs to one customer at a time.
        // The source keeps only its id and the pointer: its personal data lives on in the target,
        // so erasing the target erases the person.
        await tx.updateCustomer({ ...source, identities: [], name: null, locale: null, attributes: {}, mergedInto: target.id, updatedAt: now });
        const merged: Customer = {
          ...target,
          identities: [...target.identities, ...source.identities],
          name: target.name ?? source.name,
          locale: target.locale ?? source.locale,
          attributes: { ...source.attributes, ...target.attributes },
          updatedAt: now,
        };
        await tx.updateCustomer(merged);
        const moved = await tx.listTickets({ customerId: source.id });
        for (const ticket of moved) {
          await tx.updateTicket({ ...ticket, customerId: target.id, version: ticket.version + 1, updatedAt: now }, ticket.version);
          await appendEvents(ctx, tx, ticket.id, [{ type: "customer.merged", data: { from: source.id, to: target.id } }], who, now);
        }
        return { customer: merged, moved: moved.length, identities: source.identities };
      });
      ctx.commerceCache.delete(sourceId);
      ctx.commerceCache.delete(targetId);
      if (result.identities.length > 0) ctx.emitter.emit("customer.linked", { customer: result.customer, identities: result.identities });
      return result.customer;
    },
    linkIdentities: (customerId, identities) => linkIdentities(ctx, customerId, identities),
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
