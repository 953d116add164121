/** Customer attributes derived from the shop's commerce context. */
import type { CustomerContext } from "../ports/commerce.js";

/** Options of {@link commerceAttributes}. */
export interface CommerceAttributeOptions {
  /** `vip: true` from this total spent on (in the shop's currency); without it `vip` is not set. */
  vipTotalSpent?: number | null;
  /** `vip: true` from this many orders on. */
  vipOrdersCount?: number | null;
}

/**
 * Customer attributes from the shop's context, for SLA and routing conditions
 * (`conditions: { customer: { vip: true } }`): `ordersCount`, `totalSpent`, `currency`,
 * `lastOrderAt`, and `vip` when a threshold is given (true at or past either threshold).
 * Pure: the same context gives the same attributes.
 *
 * @example
 * commerceAttributes({ ...context, ordersCount: 12, totalSpent: 830000 }, { vipTotalSpent: 500000 })
 * // { ordersCount: 12, totalSpent: 830000, currency: "KRW", lastOrderAt: "2026-03-01T…", vip: true }
 */
export function commerceAttributes(
  context: CustomerContext,
  opts: CommerceAttributeOptions = {},
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {
    ordersCount: Number.isFinite(context.ordersCount) ? context.ordersCount : 0,
    totalSpent: Number.isFinite(context.totalSpent) ? context.totalSpent : 0,
    currency: context.currency,
    lastOrderAt: context.lastOrderAt,
  };
  const bySpent = opts.vipTotalSpent != null ? (out.totalSpent as number) >= opts.vipTotalSpent : null;
  const byOrders = opts.vipOrdersCount != null ? (out.ordersCount as number) >= opts.vipOrdersCount : null;
  if (bySpent !== null || byOrders !== null) out.vip = bySpent === true || byOrders === true;
  return out;
}
