/** The customer's commerce context from the desk's provider, cached per customer. */
import type { Customer } from "../domain/customer.js";
import type { CustomerContext } from "../ports/commerce.js";
import type { DeskContext } from "./context.js";

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
