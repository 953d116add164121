/**
 * Shopify webhooks → support actions: post-purchase and welcome messages,
 * shipping updates that also answer open "where is my order" tickets, refund and
 * cancellation notes, and the mandatory privacy topics (export / erase).
 */
import { randomUUID } from "node:crypto";
import { isSafeNumber, parse as parseLossless } from "lossless-json";
import type { z } from "zod";
import {
  StoredeskError,
  errorResponse,
  jsonResponse,
  normalizeIdentity,
  parseInput,
  readRawBytes,
  systemClock,
  verifyHmacSignature,
  type Category,
  type Customer,
  type Identity,
  type Ticket,
} from "@storedesk/core";
import { renderMessage, type ShopifyMessageTemplate } from "./render-template.js";
import { fromGid } from "./shopify-commerce.js";
import { claimOnce, failClaim, type ClaimContext } from "./claim.js";
import {
  FULFILLMENT_NOTICE_SCOPE,
  ORDER_TICKET_SCOPE,
  WEBHOOK_SCOPE,
  WEBHOOK_SCOPES,
  type ShopifyWebhooksOptions,
} from "./webhook-options.js";
import {
  DEFAULT_FULFILLMENT,
  DEFAULT_SUBJECTS,
  OPEN_STATUSES,
  dateOnly,
  mentionsOrder,
  metaPointsAt,
  orderNameOf,
} from "./webhook-texts.js";
import {
  CustomerRedactWebhookSchema,
  CustomerWebhookSchema,
  DataRequestWebhookSchema,
  FulfillmentWebhookSchema,
  OrderWebhookSchema,
  RefundWebhookSchema,
  ShopRedactWebhookSchema,
  type OrderWebhook,
} from "./schemas.js";

export {
  FULFILLMENT_NOTICE_SCOPE,
  ORDER_TICKET_SCOPE,
  WEBHOOK_CLAIM_RELEASE_SCOPE,
  WEBHOOK_CLAIM_SCOPE,
  WEBHOOK_SCOPE,
  WEBHOOK_SCOPES,
  type ShopifyWebhookMessages,
  type ShopifyWebhooksOptions,
} from "./webhook-options.js";

/** The payload shape of each handled topic, checked before the webhook id is claimed (bad input writes nothing). */
const TOPIC_SCHEMAS: Record<string, z.ZodType> = {
  "orders/create": OrderWebhookSchema,
  "orders/cancelled": OrderWebhookSchema,
  "fulfillments/create": FulfillmentWebhookSchema,
  "fulfillments/update": FulfillmentWebhookSchema,
  "refunds/create": RefundWebhookSchema,
  "customers/create": CustomerWebhookSchema,
  "customers/data_request": DataRequestWebhookSchema,
  "customers/redact": CustomerRedactWebhookSchema,
  "shop/redact": ShopRedactWebhookSchema,
};

/**
 * Parses a webhook body keeping every digit of ids past 2^53 (Shopify's ids are 64-bit):
 * numbers JSON would round come back as strings, the schemas read ids as strings anyway.
 */
function parseShopifyJson(text: string): unknown {
  try {
    return parseLossless(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
  } catch (cause) {
    throw new StoredeskError({ code: "INVALID_INPUT", message: "Body is not valid JSON", cause });
  }
}

type Outcome = Record<string, unknown>;

/**
 * Creates the Shopify webhook handler: verifies `X-Shopify-Hmac-Sha256`
 * (401 when wrong), drops redeliveries by `X-Shopify-Webhook-Id`, and acts on
 * the topic in `X-Shopify-Topic`.
 *
 * At most once per webhook id, also across concurrent deliveries and processes:
 * a delivery first claims the id (`putIdempotency` in `WEBHOOK_CLAIM_SCOPE`,
 * unique in the store), runs the topic, then records the answer in
 * {@link WEBHOOK_SCOPE}. A duplicate arriving meanwhile waits for that answer
 * (see `claimWait`) and gets 200 `{ duplicate: true }`. When the topic fails, the
 * claim is released (a record in `WEBHOOK_CLAIM_RELEASE_SCOPE`) and the
 * error answered (5xx when retryable), so Shopify's redelivery runs it again.
 * A claim whose holder died after acting but before recording stays "running":
 * redeliveries then get 503 instead of a second message.
 *
 * @example
 * const handle = shopifyWebhooks({ secret: process.env.SHOPIFY_API_SECRET!, store, desk,
 *   messages: { orderCreated: "Thanks for order {{order.name}}! Questions? Reply here." } });
 * app.post("/webhooks/shopify", (c) => handle(c.req.raw));
 */
export function shopifyWebhooks(options: ShopifyWebhooksOptions): (request: Request) => Promise<Response> {
  if (typeof options.secret !== "string" || options.secret.length === 0) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "shopifyWebhooks needs the app secret",
      path: ["secret"],
    });
  }
  const { store, desk } = options;
  const clock = options.clock ?? systemClock();
  const newId = options.newId ?? randomUUID;
  const bot = options.botName ?? "shopify";
  const fallbackLocale = options.defaultLocale ?? "en";
  const messages = options.messages ?? {};
  const refundStatus = options.refundStatus ?? "solved";
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = Math.max(1, options.claimWait?.pollMs ?? 200);
  const maxPolls = Math.max(0, Math.ceil((options.claimWait?.maxWaitMs ?? 3_000) / pollMs));
  const claims: ClaimContext = { store, clock, sleep, pollMs, maxPolls };

  function vars(extra: Record<string, unknown>): Record<string, unknown> {
    return { ...(options.variables ?? {}), ...extra };
  }

  /** Runs a send; a final (non-retryable) refusal is recorded, not thrown, so Shopify does not redeliver forever. */
  async function deliver(what: string, fn: () => Promise<unknown>): Promise<Outcome> {
    try {
      await fn();
      return { [what]: "sent" };
    } catch (err) {
      if (StoredeskError.is(err) && !err.retryable) return { [what]: "failed", [`${what}Error`]: err.code };
      throw err;
    }
  }

  function identitiesOf(info: { shopifyId?: string | null; email?: string | null; phone?: string | null }): Identity[] {
    const out: Identity[] = [];
    if (info.shopifyId) out.push({ kind: "shopify", value: fromGid(info.shopifyId) });
    if (info.email) out.push({ kind: "email", value: info.email });
    if (info.phone && info.phone.replace(/\D/g, "").length >= 5) out.push({ kind: "phone", value: info.phone });
    return out.map(normalizeIdentity);
  }

  /** Every distinct desk customer holding one of these identities. */
  async function customersFor(identities: Identity[]): Promise<Customer[]> {
    const found = new Map<string, Customer>();
    for (const identity of identities) {
      const c = await desk.findCustomer(identity);
      if (c) found.set(c.id, c);
    }
    return [...found.values()];
  }

  /** Finds the customer, links identities they lack, or (with `create`) adds them to the store. */
  async function resolveCustomer(
    info: {
      shopifyId?: string | null;
      email?: string | null;
      phone?: string | null;
      name?: string | null;
      locale?: string | null;
    },
    create: boolean,
  ): Promise<Customer | null> {
    const identities = identitiesOf(info);
    if (identities.length === 0) return null;
    const [existing] = await customersFor(identities);
    const now = clock.now();
    if (existing) {
      const have = new Set(existing.identities.map((i) => `${i.kind}:${i.value}`));
      const missing: Identity[] = [];
      for (const i of identities) {
        if (have.has(`${i.kind}:${i.value}`)) continue;
        if ((await store.findCustomerByIdentity(i)) === null) missing.push(i);
      }
      if (missing.length === 0) return existing;
      const updated: Customer = { ...existing, identities: [...existing.identities, ...missing], updatedAt: now };
      try {
        await store.updateCustomer(updated);
        return updated;
      } catch (err) {
        if (StoredeskError.is(err, "CONFLICT")) return existing; // someone linked it meanwhile
        throw err;
      }
    }
    if (!create) return null;
    const customer: Customer = {
      id: newId(),
      name: info.name ?? null,
      locale: info.locale ?? null,
      identities,
      attributes: {},
      createdAt: now,
      updatedAt: now,
      mergedInto: null,
    };
    try {
      await store.insertCustomer(customer);
      return customer;
    } catch (err) {
      if (!StoredeskError.is(err, "CONFLICT")) throw err;
      const [raced] = await customersFor(identities); // created concurrently by another webhook
      return raced ?? null;
    }
  }

  function preferredChannel(customer: Customer): { channel?: string } {
    const pref = customer.attributes.preferredChannel;
    return typeof pref === "string" && pref.length > 0 ? { channel: pref } : {};
  }

  /**
   * A notice to the customer. Notices about one order go on one ticket (the order's, recorded in
   * {@link ORDER_TICKET_SCOPE}), so an agent sees the history; the subject comes from the template,
   * else a default per notice in the customer's language.
   */
  async function send(
    customer: Customer,
    template: ShopifyMessageTemplate,
    v: Record<string, unknown>,
    reason: string,
    what: string,
    orderId?: string | null,
  ): Promise<Outcome> {
    const { text, subject } = renderMessage(template, vars(v), customer.locale, fallbackLocale);
    const defaults = DEFAULT_SUBJECTS[reason];
    const fallbackSubject = defaults
      ? renderMessage(
          { locales: { en: { body: defaults.en }, ko: { body: defaults.ko } } },
          vars(v),
          customer.locale,
          fallbackLocale,
        ).text
      : null;
    const orderKey = orderId ? fromGid(orderId) : null;
    const recorded = orderKey ? await store.getIdempotency(ORDER_TICKET_SCOPE, orderKey) : null;
    const known = (recorded?.result as { ticketId?: string } | undefined)?.ticketId;
    const ticket = known
      ? (await desk.listTickets({ customerId: customer.id })).find((t) => t.id === known && t.status !== "closed")
      : undefined;
    return deliver(what, async () => {
      const sent = await desk.sendToCustomer(customer.id, {
        ...preferredChannel(customer),
        text,
        reason,
        ...(ticket ? { ticketId: ticket.id } : {}),
        ...(subject || fallbackSubject ? { subject: subject || fallbackSubject } : {}),
      });
      const ticketId = (sent as { ticket?: { id?: unknown } } | null)?.ticket?.id;
      if (orderKey && !ticket && typeof ticketId === "string") {
        await store
          .putIdempotency({ scope: ORDER_TICKET_SCOPE, key: orderKey, result: { ticketId }, createdAt: clock.now() })
          .catch((err: unknown) => {
            if (!StoredeskError.is(err, "CONFLICT")) throw err;
          });
      }
    });
  }

  /** Open tickets of `customerId` (of `category`, when given) about this order. */
  async function ticketsAboutOrder(
    customerId: string,
    category: Category | null,
    order: { id: string; name: string | null },
    allowOnlyOne: boolean,
  ): Promise<Ticket[]> {
    const open = (await desk.listTickets({ customerId, status: OPEN_STATUSES })).filter(
      (t) => !t.mergedInto && (category === null || t.category === category),
    );
    const byMeta = open.filter((t) => metaPointsAt(t, order) === "match");
    if (byMeta.length > 0) return byMeta;
    const unclaimed = open.filter((t) => metaPointsAt(t, order) === "none");
    const mentioning: Ticket[] = [];
    const silent: Ticket[] = [];
    for (const t of unclaimed) {
      const texts = (await desk.listMessages(t.id)).map((m) => m.text);
      if (order.name && texts.some((text) => mentionsOrder(text, order.name!))) mentioning.push(t);
      else if (!texts.some((text) => /#\d{3,}/.test(text))) silent.push(t); // names no other order either
    }
    if (mentioning.length > 0) return mentioning;
    return allowOnlyOne && open.length === 1 && silent.length === 1 ? silent : [];
  }

  function orderVars(order: OrderWebhook): Record<string, unknown> {
    return {
      id: order.id,
      name: order.name,
      total: order.total_price ?? null,
      currency: order.currency ?? null,
      statusUrl: order.order_status_url ?? null,
      shippingMethod: order.shipping_lines?.[0]?.title ?? null,
      estimatedDelivery: options.estimateDelivery?.(order, clock.now()) ?? null,
      cancelReason: order.cancel_reason ?? null,
    };
  }

  function customerVars(customer: Customer, first?: string | null): Record<string, unknown> {
    return { name: customer.name, firstName: first ?? customer.name?.split(" ")[0] ?? null };
  }

  const handlers: Record<string, (body: unknown) => Promise<Outcome>> = {
    async "orders/create"(body) {
      const order = parseInput(OrderWebhookSchema, body, "orders/create payload");
      const c = order.customer;
      const name = [c?.first_name, c?.last_name].filter(Boolean).join(" ") || null;
      const customer = await resolveCustomer(
        {
          shopifyId: c?.id ?? null,
          email: c?.email ?? order.email ?? order.contact_email,
          phone: c?.phone ?? order.phone,
          name,
          locale: order.customer_locale ?? c?.locale ?? null,
        },
        true,
      );
      if (!customer) return { customer: null };
      if (!messages.orderCreated) return { customerId: customer.id, postPurchase: "not_configured" };
      return {
        customerId: customer.id,
        ...(await send(
          customer,
          messages.orderCreated,
          { order: orderVars(order), customer: customerVars(customer, c?.first_name) },
          "shopify.order_created",
          "postPurchase",
          order.id,
        )),
      };
    },

    async "fulfillments/create"(body) {
      return fulfillment(body);
    },
    async "fulfillments/update"(body) {
      return fulfillment(body);
    },

    async "refunds/create"(body) {
      const refund = parseInput(RefundWebhookSchema, body, "refunds/create payload");
      const amount = (refund.transactions ?? [])
        .filter((t) => !t.kind || t.kind === "refund")
        .reduce((sum, t) => sum + Number(t.amount ?? 0), 0);
      const currency = refund.transactions?.[0]?.currency ?? null;
      let orderName: string | null = null;
      if (options.commerce)
        orderName = (await options.commerce.getOrder(refund.order_id).catch(() => null))?.name ?? null;
      const open = (await desk.listTickets({ status: OPEN_STATUSES })).filter(
        (t) => t.category === "refund_exchange" && !t.mergedInto,
      );
      let matched = open.filter((t) => metaPointsAt(t, { id: refund.order_id, name: orderName }) === "match");
      if (matched.length === 0 && orderName) {
        matched = [];
        for (const t of open.filter((x) => metaPointsAt(x, { id: refund.order_id, name: orderName }) === "none")) {
          if ((await desk.listMessages(t.id)).some((m) => mentionsOrder(m.text, orderName))) matched.push(t);
        }
      }
      for (const t of matched) {
        const parts = [
          `Shopify refund ${refund.id} processed for order ${orderName ?? refund.order_id}: ${amount.toFixed(2)}${currency ? ` ${currency}` : ""}.`,
        ];
        if (refund.note) parts.push(`Note: ${refund.note}`);
        await desk.note(t.id, { text: parts.join(" ") });
        await desk.setStatus(t.id, refundStatus, { bot });
      }
      return { tickets: matched.map((t) => t.id), status: matched.length > 0 ? refundStatus : null };
    },

    async "orders/cancelled"(body) {
      const order = parseInput(OrderWebhookSchema, body, "orders/cancelled payload");
      const c = order.customer;
      const customer = await resolveCustomer(
        { shopifyId: c?.id ?? null, email: c?.email ?? order.email, phone: c?.phone ?? order.phone },
        false,
      );
      if (!customer) return { tickets: [] };
      const tickets = await ticketsAboutOrder(customer.id, null, { id: order.id, name: order.name }, false);
      for (const t of tickets) {
        const reason = order.cancel_reason ? ` (reason: ${order.cancel_reason})` : "";
        await desk.note(t.id, { text: `Order ${order.name} was cancelled in Shopify${reason}.` });
      }
      return { tickets: tickets.map((t) => t.id) };
    },

    async "customers/create"(body) {
      const c = parseInput(CustomerWebhookSchema, body, "customers/create payload");
      const name = [c.first_name, c.last_name].filter(Boolean).join(" ") || null;
      const customer = await resolveCustomer(
        { shopifyId: c.id, email: c.email, phone: c.phone, name, locale: c.locale ?? null },
        true,
      );
      if (!customer) return { customer: null };
      if (!messages.welcome) return { customerId: customer.id, welcome: "not_configured" };
      return {
        customerId: customer.id,
        ...(await send(
          customer,
          messages.welcome,
          { customer: customerVars(customer, c.first_name) },
          "shopify.welcome",
          "welcome",
        )),
      };
    },

    async "customers/data_request"(body) {
      const payload = parseInput(DataRequestWebhookSchema, body, "customers/data_request payload");
      const customers = await customersFor(
        identitiesOf({ shopifyId: payload.customer.id, email: payload.customer.email, phone: payload.customer.phone }),
      );
      const exports: unknown[] = [];
      for (const c of customers) exports.push(await desk.exportCustomer(c.id));
      if (options.onDataRequest) await options.onDataRequest({ payload, exports });
      return { customers: customers.length, delivered: options.onDataRequest !== undefined };
    },

    async "customers/redact"(body) {
      const payload = parseInput(CustomerRedactWebhookSchema, body, "customers/redact payload");
      const customers = await customersFor(
        identitiesOf({ shopifyId: payload.customer.id, email: payload.customer.email, phone: payload.customer.phone }),
      );
      for (const c of customers) await desk.eraseCustomer(c.id);
      return { erased: customers.length };
    },

    async "shop/redact"(body) {
      const payload = parseInput(ShopRedactWebhookSchema, body, "shop/redact payload");
      if (options.onShopRedact) {
        await options.onShopRedact(payload);
        return { erased: "delegated" };
      }
      const ids = new Set((await desk.listTickets({})).map((t) => t.customerId));
      let erased = 0;
      for (const id of ids) {
        const c = await desk.getCustomer(id);
        if (c?.identities.some((i) => i.kind === "shopify")) {
          await desk.eraseCustomer(c.id);
          erased++;
        }
      }
      return { erased };
    },
  };

  async function fulfillment(body: unknown): Promise<Outcome> {
    const f = parseInput(FulfillmentWebhookSchema, body, "fulfillment payload");
    const customer = await resolveCustomer({ email: f.email }, true);
    if (!customer) return { customer: null };
    const tracking = {
      number: f.tracking_number ?? f.tracking_numbers?.[0] ?? null,
      company: f.tracking_company ?? null,
      url: f.tracking_url ?? f.tracking_urls?.[0] ?? null,
      status: f.shipment_status ?? f.status ?? null,
    };
    // fulfillments/update fires on any change: notify once per (fulfillment, tracking number, shipment status).
    const noticeKey = `${f.id}:${tracking.number ?? "-"}:${tracking.status ?? "-"}`;
    if (await store.getIdempotency(FULFILLMENT_NOTICE_SCOPE, noticeKey))
      return { customerId: customer.id, notice: "already_sent" };
    const order = { id: f.order_id, name: orderNameOf(f), estimatedDelivery: dateOnly(f.estimated_delivery_at) };
    const v = vars({ order, tracking, customer: customerVars(customer) });
    const tickets = await ticketsAboutOrder(customer.id, "shipping", order, true);
    let outcome: Outcome = { customerId: customer.id, tickets: tickets.map((t) => t.id) };
    if (tickets.length > 0) {
      // The customer asked: answer on their ticket instead of sending a second, separate update.
      const template = messages.trackingReply ?? (messages.fulfillment || DEFAULT_FULFILLMENT);
      const { text } = renderMessage(template, v, customer.locale, fallbackLocale);
      for (const t of tickets) {
        outcome = {
          ...outcome,
          ...(await deliver("ticketReply", () => desk.reply(t.id, { text, authorKind: "bot", status: "pending" }))),
        };
      }
    } else if (messages.fulfillment !== false) {
      outcome = {
        ...outcome,
        ...(await send(
          customer,
          messages.fulfillment ?? DEFAULT_FULFILLMENT,
          { order, tracking, customer: customerVars(customer) },
          "shopify.fulfillment",
          "shippingUpdate",
          f.order_id,
        )),
      };
    }
    try {
      await store.putIdempotency({
        scope: FULFILLMENT_NOTICE_SCOPE,
        key: noticeKey,
        result: { sentAt: clock.now().toISOString() },
        createdAt: clock.now(),
      });
    } catch (err) {
      if (!StoredeskError.is(err, "CONFLICT")) throw err;
    }
    return outcome;
  }

  /**
   * Claims the webhook id for this delivery: `{ key }` of the claim when this delivery
   * runs the topic, `"done"` when another delivery recorded its answer (now or while we
   * waited). Throws a retryable CONFLICT (503) when another delivery still holds it.
   */
  async function claimWebhook(webhookId: string, topic: string): Promise<{ key: string } | "done"> {
    const claimed = await claimOnce(
      claims,
      WEBHOOK_SCOPES,
      webhookId,
      { topic },
      ({ runningSince }) =>
        new StoredeskError({
          code: "CONFLICT",
          message: "Another delivery of this webhook is being processed; deliver it again later",
          retryable: true,
          details: { webhookId, runningSince, retryAfterSeconds: 60 },
        }),
    );
    return "stored" in claimed ? "done" : claimed;
  }

  return async (request: Request): Promise<Response> => {
    try {
      if (request.method !== "POST")
        return jsonResponse({ error: { code: "INVALID_INPUT", message: "POST only" } }, 405);
      const bytes = await readRawBytes(request);
      // The HMAC covers the bytes Shopify sent: verified before decoding, so a BOM or a swapped invalid byte fails.
      const ok = verifyHmacSignature({
        rawBody: bytes,
        secret: options.secret,
        signature: request.headers.get("x-shopify-hmac-sha256"),
        encoding: "base64",
      });
      if (!ok)
        throw new StoredeskError({
          code: "SIGNATURE_INVALID",
          message: "X-Shopify-Hmac-Sha256 does not match the body",
        });
      const rawBody = new TextDecoder("utf-8").decode(bytes);
      const topic = request.headers.get("x-shopify-topic") ?? "";
      const webhookId = request.headers.get("x-shopify-webhook-id");
      if (!webhookId)
        throw new StoredeskError({ code: "INVALID_INPUT", message: "X-Shopify-Webhook-Id header missing" });
      const shop = request.headers.get("x-shopify-shop-domain");
      if (options.shopDomain && shop && shop.toLowerCase() !== options.shopDomain.toLowerCase()) {
        return jsonResponse({ ok: true, ignored: "other_shop" });
      }
      if (await store.getIdempotency(WEBHOOK_SCOPE, webhookId)) return jsonResponse({ ok: true, duplicate: true });
      const body = parseShopifyJson(rawBody);
      // Own keys only: a topic header of "constructor" or "__proto__" must not find Object's.
      const handler = Object.hasOwn(handlers, topic) ? handlers[topic] : undefined;
      const schema = Object.hasOwn(TOPIC_SCHEMAS, topic) ? TOPIC_SCHEMAS[topic] : undefined;
      // A topic we do not handle does nothing, so there is nothing to claim or record.
      if (!handler || !schema) return jsonResponse({ ok: true, topic, ignored: "unknown_topic" });
      parseInput(schema, body, `${topic} payload`); // the handler parses again; this keeps a bad payload from claiming the id
      const claim = await claimWebhook(webhookId, topic);
      if (claim === "done") return jsonResponse({ ok: true, duplicate: true });
      let outcome: Outcome;
      try {
        outcome = await handler(body);
      } catch (err) {
        // The topic did not finish: free the id so Shopify's redelivery may run it again.
        await failClaim(claims, WEBHOOK_SCOPES, claim.key, err);
        throw err;
      }
      // If this write fails the claim stays "running": a redelivery gets 503, never a second message.
      try {
        await store.putIdempotency({
          scope: WEBHOOK_SCOPE,
          key: webhookId,
          result: { topic, outcome },
          createdAt: clock.now(),
        });
      } catch (err) {
        if (!StoredeskError.is(err, "CONFLICT")) throw err;
      }
      return jsonResponse({ ok: true, topic, ...outcome });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
