/**
 * The built-in commerce context as a plugin: after a new ticket commits, the customer's orders
 * come from the commerce provider (cached per customer) onto the ticket, the shop's identities
 * are linked, and high-value customers get at least `high` priority. The webhook's answer never
 * waits on the provider longer than the desk's budget (`commerceContext.budgetMs`).
 */
import type { Customer, Identity } from "../../../domain/customer.js";
import { priorityRank } from "../../../domain/enums.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { EventDraft } from "../../../decision.js";
import type { CommerceProvider, CustomerContext } from "../../../ports/commerce.js";
import type { DeskPlugin } from "../../../ports/desk-plugin.js";
import { linkIdentities } from "../../actions/identities.js";
import { commerceAttributes } from "../../customer-actions.js";
import type { DeskContext } from "../../context.js";
import { mutateTicket } from "../../save-ticket.js";

/**
 * The customer's commerce context, from the cache while fresh; null without a provider or a
 * way to look the customer up.
 *
 * @example
 * const context = await commerceContextFor(ctx, customer);
 */
export async function commerceContextFor(
  ctx: DeskContext,
  customer: Customer,
  force = false,
): Promise<CustomerContext | null> {
  const commerce = ctx.options.commerce;
  if (!commerce) return null;
  const cached = ctx.commerceCache.get(customer.id);
  const nowMs = ctx.clock.now().getTime();
  if (!force && cached && nowMs - cached.at < (ctx.options.commerceContext?.ttlMs ?? 5 * 60_000)) return cached.context;
  const email = customer.identities.find((i) => i.kind === "email")?.value ?? null;
  const phone =
    customer.identities.find((i) => i.kind === "phone")?.value ??
    customer.identities.find((i) => i.kind === "whatsapp")?.value ??
    null;
  const providerCustomerId = customer.identities.find((i) => i.kind === "shopify")?.value ?? null;
  if (!email && !phone && !providerCustomerId) return null;
  const context = await commerce.customerContext({
    email,
    phone: phone && !phone.startsWith("+") ? `+${phone}` : phone,
    providerCustomerId,
  });
  ctx.commerceCache.set(customer.id, { at: nowMs, context });
  return context;
}

/**
 * Fetches the customer's orders onto a new ticket, links the shop's identities, raises priority
 * for high-value customers. Returns the saved ticket, or null when nothing was attached.
 *
 * @example
 * ticket = (await attachCommerceContext(ctx, commerce, ticket, customer)) ?? ticket;
 */
export async function attachCommerceContext(
  ctx: DeskContext,
  commerce: CommerceProvider,
  ticket: Ticket,
  customer: Customer,
): Promise<Ticket | null> {
  let context: CustomerContext | null;
  try {
    context = await commerceContextFor(ctx, customer);
  } catch (error) {
    ctx.emitter.emit("error", { error, context: `commerce context for ticket ${ticket.id}` });
    return null;
  }
  if (!context) return null;
  const handles: Identity[] = [];
  if (context.providerCustomerId) handles.push({ kind: "shopify", value: context.providerCustomerId });
  if (context.email) handles.push({ kind: "email", value: context.email });
  if (context.phone) handles.push({ kind: "phone", value: context.phone });
  const highValue = ctx.options.commerceContext?.highValueTotalSpent ?? null;
  await linkIdentities(ctx, customer.id, handles, {
    onlyUnowned: true,
    source: "commerce",
    actor: { kind: "system", id: "commerce" },
    attributes: commerceAttributes(context, { vipTotalSpent: highValue }),
  });
  const { ticket: saved } = await mutateTicket(ctx, ticket.id, { kind: "system", id: "commerce" }, (current) => {
    const orderName = current.meta.orderName as string | undefined;
    const order =
      (orderName ? context.recentOrders.find((o) => o.name === orderName) : null) ?? context.recentOrders[0] ?? null;
    let next: Ticket = {
      ...current,
      meta: { ...current.meta, commerce: context, ...(order ? { orderId: order.id, orderName: order.name } : {}) },
    };
    const drafts: EventDraft[] = [
      {
        type: "commerce.context",
        data: {
          provider: commerce.id,
          ordersCount: context.ordersCount,
          totalSpent: context.totalSpent,
          orderId: order?.id ?? null,
        },
      },
    ];
    if (highValue !== null && context.totalSpent >= highValue && priorityRank(next.priority) < priorityRank("high")) {
      drafts.push({
        type: "priority.changed",
        data: { from: next.priority, to: "high", reason: "high_value_customer" },
      });
      next = { ...next, priority: "high" };
    }
    return { ok: true, value: next, events: drafts, effects: [] };
  });
  return saved;
}

/**
 * The built-in commerce-context plugin, registered when the desk has a commerce provider
 * (off with `builtins: { commerceContext: false }`).
 *
 * @example
 * const plugin = commerceContextPlugin(ctx, shopifyCommerce({ shop, accessToken }));
 */
export function commerceContextPlugin(ctx: DeskContext, commerce: CommerceProvider): DeskPlugin<"commerce-context"> {
  return {
    specVersion: 1,
    id: "commerce-context",
    hooks: {
      // The work itself runs here, after commit; the desk bounds how long ingest waits for it.
      afterTicketCreated: async ({ ticket, customer }) => {
        await attachCommerceContext(ctx, commerce, ticket, customer);
      },
    },
  };
}
