/**
 * The CommerceProvider port on the Shopify Admin GraphQL API: customer context
 * (orders, fulfillments, tracking) and the refund / cancel / discount-code actions.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  StoredeskError,
  parseInput,
  systemClock,
  type Clock,
  type CommerceAction,
  type CommerceActionResult,
  type CommerceProvider,
  type CustomerContext,
  type OrderSummary,
} from "@storedesk/core";
import { createGraphqlClient, type GraphqlClient, type ThrottleStatus } from "./graphql-client.js";
import { scrubberOf, userErrorsToError } from "./errors.js";
import {
  CUSTOMER_BY_ID,
  CUSTOMER_SEARCH,
  DISCOUNT_BY_CODE,
  DISCOUNT_CREATE,
  ORDER_BY_ID,
  ORDER_CANCEL,
  SUGGEST_REFUND,
  refundCreateMutation,
} from "./queries.js";
import {
  ApiVersionSchema,
  CommerceActionSchema,
  DiscountByCodeSchema,
  DiscountCreateSchema,
  GqlCustomerSchema,
  GqlOrderSchema,
  OrderCancelSchema,
  RefundCreateSchema,
  ShopDomainSchema,
  SuggestedRefundSchema,
} from "./schemas.js";

/** Options of {@link shopifyCommerce}. */
export interface ShopifyCommerceOptions {
  /** The permanent shop domain, e.g. `my-shop.myshopify.com`. */
  shop: string;
  /** Admin API access token (`shpat_…`). Never appears in errors. */
  accessToken: string;
  /** Admin API version; default `2025-10`. From `2026-01` refunds also carry `@idempotent(key:)`. */
  apiVersion?: string;
  /** Injected fetch (msw, proxies). */
  fetch?: typeof fetch;
  /** Injected wait used by throttle and retry back-off. */
  sleep?: (ms: number) => Promise<void>;
  clock?: Clock;
  /** How long a customer context stays cached per lookup; default 5 minutes. 0 disables. */
  cacheTtlMs?: number;
  /** How many recent orders a context carries; default 5. */
  recentOrders?: number;
  /** Attempts per API call (throttle waits and 429/5xx retries included); default 5. */
  attempts?: number;
  /** Prefix of generated discount codes; default `SORRY-`. */
  discountCodePrefix?: string;
  /** Validity of a discount code without `expiresAt`, in days; default 90. */
  discountValidDays?: number;
  /** Jitter source for back-off (tests pass a constant). */
  random?: () => number;
}

/** The Shopify provider: the port plus Shopify-only extras. */
export interface ShopifyCommerce extends CommerceProvider {
  readonly id: "shopify";
  /** The cost bucket as of the latest response (for dashboards and pacing). */
  throttleStatus(): ThrottleStatus | null;
  /** Drops every cached customer context. */
  clearCache(): void;
}

const OptionsSchema = z.object({
  shop: ShopDomainSchema,
  accessToken: z.string().min(1, "accessToken is required"),
  apiVersion: ApiVersionSchema.default("2025-10"),
  cacheTtlMs: z
    .number()
    .int()
    .nonnegative()
    .default(5 * 60_000),
  recentOrders: z.number().int().min(1).max(50).default(5),
  attempts: z.number().int().min(1).max(20).default(5),
  discountCodePrefix: z
    .string()
    .regex(/^[A-Z0-9-]{0,20}$/)
    .default("SORRY-"),
  discountValidDays: z.number().int().positive().default(90),
});

const CANCEL_REASONS = ["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"] as const;
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** `gid://shopify/<type>/<id>` for a numeric id; a gid passes through. */
export function toGid(type: string, id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`;
}

/** The numeric tail of a gid (or the id itself). */
export function fromGid(id: string): string {
  const tail = id.split("/").pop();
  return tail ?? id;
}

function money(value: string | number | undefined | null): number {
  const n = typeof value === "number" ? value : Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function searchValue(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function parseProvider<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new StoredeskError({
    code: "PROVIDER_ERROR",
    message: `shopify answered ${what} in an unexpected shape`,
    details: {
      provider: "shopify",
      issues: r.error.issues.slice(0, 3).map((i) => ({ path: i.path.map(String), message: i.message })),
    },
  });
}

function mapOrder(o: z.infer<typeof GqlOrderSchema>): OrderSummary {
  return {
    id: o.id,
    name: o.name,
    createdAt: o.createdAt,
    currency: o.totalPriceSet.shopMoney.currencyCode,
    total: money(o.totalPriceSet.shopMoney.amount),
    financialStatus: o.displayFinancialStatus ?? null,
    fulfillmentStatus: o.displayFulfillmentStatus ?? null,
    cancelledAt: o.cancelledAt ?? null,
    lines: o.lineItems.nodes.map((l) => ({
      id: l.id,
      title: l.title,
      quantity: l.quantity,
      price: money(l.originalUnitPriceSet.shopMoney.amount),
      sku: l.sku ?? null,
    })),
    shipments: o.fulfillments.map((f) => {
      const t = f.trackingInfo[0];
      return {
        id: f.id,
        status: f.displayStatus ?? f.status ?? "UNKNOWN",
        carrier: t?.company ?? null,
        trackingNumber: t?.number ?? null,
        trackingUrl: t?.url ?? null,
        estimatedDelivery: f.estimatedDeliveryAt ?? null,
        updatedAt: f.updatedAt ?? null,
      };
    }),
  };
}

/** Whether this API version accepts `@idempotent(key:)` on refundCreate (added in 2026-01). */
export function supportsIdempotentDirective(apiVersion: string): boolean {
  return apiVersion === "unstable" || apiVersion >= "2026-01";
}

/**
 * Creates the Shopify commerce provider.
 *
 * @example
 * const commerce = shopifyCommerce({ shop: "my-shop.myshopify.com", accessToken: process.env.SHOPIFY_TOKEN! });
 * const ctx = await commerce.customerContext({ email: "kim@example.com" });
 * await commerce.performAction({ type: "refund", orderId: "gid://shopify/Order/1", reason: "damaged" }, "ticket-42-refund-1");
 */
export function shopifyCommerce(options: ShopifyCommerceOptions): ShopifyCommerce {
  const opts = parseInput(
    OptionsSchema,
    { ...options, fetch: undefined, sleep: undefined, clock: undefined, random: undefined },
    "shopifyCommerce options",
  );
  const clock = options.clock ?? systemClock();
  const scrub = scrubberOf([options.accessToken]);
  const gql: GraphqlClient = createGraphqlClient({
    shop: opts.shop,
    accessToken: opts.accessToken,
    apiVersion: opts.apiVersion,
    attempts: opts.attempts,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const cache = new Map<string, { expiresAt: number; value: CustomerContext | null }>();

  async function fetchContext(lookup: {
    email?: string | null;
    phone?: string | null;
    providerCustomerId?: string | null;
  }): Promise<CustomerContext | null> {
    let raw: unknown = null;
    if (lookup.providerCustomerId) {
      const data = await gql.request<{ customer: unknown }>(CUSTOMER_BY_ID, {
        id: toGid("Customer", lookup.providerCustomerId),
        orders: opts.recentOrders,
      });
      raw = data.customer;
    }
    const searches: string[] = [];
    if (lookup.email) searches.push(`email:${searchValue(lookup.email.trim().toLowerCase())}`);
    if (lookup.phone) searches.push(`phone:${searchValue(lookup.phone.replace(/[^\d+]/g, ""))}`);
    for (const query of searches) {
      if (raw) break;
      const data = await gql.request<{ customers: { nodes: unknown[] } }>(CUSTOMER_SEARCH, {
        query,
        orders: opts.recentOrders,
      });
      raw = data.customers?.nodes?.[0] ?? null;
    }
    if (!raw) return null;
    const c = parseProvider(GqlCustomerSchema, raw, "a customer");
    const recentOrders = c.orders.nodes.map(mapOrder);
    return {
      providerCustomerId: c.id,
      name: c.displayName ?? null,
      email: c.defaultEmailAddress?.emailAddress ?? null,
      phone: c.defaultPhoneNumber?.phoneNumber ?? null,
      ordersCount: Number(c.numberOfOrders),
      totalSpent: money(c.amountSpent.amount),
      currency: c.amountSpent.currencyCode,
      lastOrderAt: recentOrders[0]?.createdAt ?? null,
      recentOrders,
      fetchedAt: clock.now().toISOString(),
    };
  }

  async function refund(
    action: Extract<CommerceAction, { type: "refund" }>,
    key: string,
  ): Promise<CommerceActionResult> {
    const orderId = toGid("Order", action.orderId);
    const lines = action.lines?.map((l) => ({ lineItemId: toGid("LineItem", l.lineId), quantity: l.quantity }));
    const wholeOrder = !lines && action.amount === undefined;
    const suggested = parseProvider(
      SuggestedRefundSchema,
      await gql.request(SUGGEST_REFUND, { id: orderId, lines: lines ?? null, full: !lines }),
      "a suggested refund",
    );
    if (!suggested.order)
      throw new StoredeskError({
        code: "NOT_FOUND",
        message: `shopify order ${action.orderId} not found`,
        details: { provider: "shopify" },
      });
    const s = suggested.order.suggestedRefund;
    const parents = s.suggestedTransactions.filter((t) => t.parentTransaction?.id);
    let transactions = parents.map((t) => ({
      orderId,
      parentId: t.parentTransaction!.id,
      gateway: t.gateway ?? "",
      kind: "REFUND",
      amount: money(t.amountSet.shopMoney.amount),
    }));
    if (action.amount !== undefined) {
      const refundable = transactions.reduce((sum, t) => sum + t.amount, 0);
      if (action.amount > refundable + 1e-9) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `refund amount ${action.amount} exceeds the refundable ${round2(refundable)}`,
          path: ["amount"],
          details: { refundable: round2(refundable) },
        });
      }
      // An explicit amount is spread over the suggested parent transactions in order.
      let left = action.amount;
      transactions = transactions
        .map((t) => {
          const take = Math.min(t.amount, left);
          left -= take;
          return { ...t, amount: round2(take) };
        })
        .filter((t) => t.amount > 0);
    }
    const input: Record<string, unknown> = {
      orderId,
      note: action.reason,
      notify: action.notify ?? true,
      transactions: transactions.map((t) => ({ ...t, amount: String(t.amount) })),
    };
    if (lines) input.refundLineItems = lines.map((l) => ({ ...l, restockType: "NO_RESTOCK" }));
    if (wholeOrder) {
      input.refundLineItems = s.refundLineItems.map((r) => ({
        lineItemId: r.lineItem.id,
        quantity: r.quantity,
        restockType: "NO_RESTOCK",
      }));
      input.shipping = { fullRefund: true };
    }
    const idempotent = supportsIdempotentDirective(opts.apiVersion);
    const data = parseProvider(
      RefundCreateSchema,
      await gql.request(refundCreateMutation(idempotent), { input, ...(idempotent ? { idempotencyKey: key } : {}) }),
      "refundCreate",
    );
    const payload = data.refundCreate;
    if (payload.userErrors.length > 0) throw userErrorsToError("refundCreate", payload.userErrors, scrub);
    if (!payload.refund)
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: "shopify refundCreate returned no refund",
        details: { provider: "shopify" },
      });
    const total = payload.refund.totalRefundedSet?.shopMoney;
    return {
      type: "refund",
      id: payload.refund.id,
      amount: total ? money(total.amount) : round2(transactions.reduce((sum, t) => sum + t.amount, 0)),
      currency: total?.currencyCode ?? s.amountSet.shopMoney.currencyCode,
      details: { orderId, wholeOrder, lines: lines?.length ?? s.refundLineItems.length },
    };
  }

  async function cancel(action: Extract<CommerceAction, { type: "cancel" }>): Promise<CommerceActionResult> {
    const orderId = toGid("Order", action.orderId);
    const upper = action.reason.trim().toUpperCase();
    const reason = (CANCEL_REASONS as readonly string[]).includes(upper) ? upper : "CUSTOMER";
    const data = parseProvider(
      OrderCancelSchema,
      await gql.request(ORDER_CANCEL, {
        orderId,
        notifyCustomer: action.notify ?? true,
        refundMethod: { originalPaymentMethodsRefund: action.refund },
        restock: action.restock,
        reason,
        staffNote: action.reason.slice(0, 255),
      }),
      "orderCancel",
    );
    const payload = data.orderCancel;
    const details = { orderId, refund: action.refund, restock: action.restock, reason };
    if (payload.orderCancelUserErrors.length > 0) {
      // A retry finds the order cancelled already: the port promises the first result, not an error.
      // Shopify has no idempotency key for orderCancel, so the order's own state is the record.
      const order = (await gql.request<{ order: unknown }>(ORDER_BY_ID, { id: orderId })).order;
      if (order && parseProvider(GqlOrderSchema, order, "an order").cancelledAt) {
        return {
          type: "cancel",
          id: orderId,
          amount: null,
          currency: null,
          details: { ...details, jobId: null, jobDone: true, replayed: true },
        };
      }
      throw userErrorsToError("orderCancel", payload.orderCancelUserErrors, scrub);
    }
    if (!payload.job)
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: "shopify orderCancel returned no job",
        details: { provider: "shopify" },
      });
    // The cancelled order is what the result names (a retry can name it too); the job id is in details.
    return {
      type: "cancel",
      id: orderId,
      amount: null,
      currency: null,
      details: { ...details, jobId: payload.job.id, jobDone: payload.job.done ?? false, replayed: false },
    };
  }

  function discountCode(key: string): string {
    // Derived from the idempotency key: a retry asks for the same code, which Shopify refuses as
    // TAKEN, and we then return the discount that already exists instead of creating a second one.
    const digest = createHash("sha256").update(`${opts.shop}\n${key}`).digest();
    let code = "";
    for (let i = 0; i < 10; i++) code += CODE_ALPHABET[digest[i]! % CODE_ALPHABET.length];
    return `${opts.discountCodePrefix}${code}`;
  }

  async function discount(
    action: Extract<CommerceAction, { type: "discount_code" }>,
    key: string,
  ): Promise<CommerceActionResult> {
    const code = discountCode(key);
    const now = clock.now();
    const endsAt = action.expiresAt ?? new Date(now.getTime() + opts.discountValidDays * 86_400_000).toISOString();
    const value =
      action.percent !== undefined
        ? { percentage: action.percent / 100 }
        : { discountAmount: { amount: String(action.amount), appliesOnEachItem: false } };
    const input = {
      title: `storedesk: ${action.reason}`.slice(0, 255),
      code,
      startsAt: now.toISOString(),
      endsAt,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: action.customerId ? { customers: { add: [toGid("Customer", action.customerId)] } } : { all: "ALL" },
      customerGets: { items: { all: true }, value },
    };
    const data = parseProvider(
      DiscountCreateSchema,
      await gql.request(DISCOUNT_CREATE, { input }),
      "discountCodeBasicCreate",
    );
    const payload = data.discountCodeBasicCreate;
    let id = payload.codeDiscountNode?.id ?? null;
    let replayed = false;
    if (payload.userErrors.length > 0) {
      const taken = payload.userErrors.every((e) => e.code === "TAKEN" || /taken|unique/i.test(e.message));
      if (!taken) throw userErrorsToError("discountCodeBasicCreate", payload.userErrors, scrub);
      const existing = parseProvider(
        DiscountByCodeSchema,
        await gql.request(DISCOUNT_BY_CODE, { code }),
        "codeDiscountNodeByCode",
      );
      if (!existing.codeDiscountNodeByCode)
        throw userErrorsToError("discountCodeBasicCreate", payload.userErrors, scrub);
      id = existing.codeDiscountNodeByCode.id;
      replayed = true;
    }
    if (!id)
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: "shopify discountCodeBasicCreate returned no discount",
        details: { provider: "shopify" },
      });
    return {
      type: "discount_code",
      id,
      code,
      amount: action.amount ?? null,
      currency: action.amount !== undefined ? (action.currency ?? null) : null,
      details: { percent: action.percent ?? null, endsAt, usageLimit: 1, customerId: action.customerId, replayed },
    };
  }

  return {
    specVersion: 1,
    id: "shopify",
    async customerContext(lookup) {
      const parts = [
        lookup.providerCustomerId ? `id:${fromGid(lookup.providerCustomerId)}` : null,
        lookup.email ? `email:${lookup.email.trim().toLowerCase()}` : null,
        lookup.phone ? `phone:${lookup.phone.replace(/[^\d+]/g, "")}` : null,
      ].filter((p): p is string => p !== null);
      if (parts.length === 0) return null;
      const key = parts.join("|");
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && hit.expiresAt > now) return hit.value === null ? null : structuredClone(hit.value);
      const value = await fetchContext(lookup);
      if (opts.cacheTtlMs > 0) cache.set(key, { expiresAt: now + opts.cacheTtlMs, value });
      return value === null ? null : structuredClone(value);
    },
    async getOrder(orderId) {
      const data = await gql.request<{ order: unknown }>(ORDER_BY_ID, { id: toGid("Order", orderId) });
      return data.order ? mapOrder(parseProvider(GqlOrderSchema, data.order, "an order")) : null;
    },
    async performAction(action, idempotencyKey) {
      const a: CommerceAction = parseInput(CommerceActionSchema, action, "commerce action");
      if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0 || idempotencyKey.length > 255) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "idempotencyKey must be 1–255 characters",
          path: ["idempotencyKey"],
        });
      }
      switch (a.type) {
        case "refund":
          return refund(a, idempotencyKey);
        case "cancel":
          return cancel(a);
        case "discount_code":
          return discount(a, idempotencyKey);
      }
    },
    throttleStatus: () => gql.throttleStatus(),
    clearCache: () => cache.clear(),
  };
}
