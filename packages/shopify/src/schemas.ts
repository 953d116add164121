/**
 * zod shapes of what crosses this package's edges: the factory options, the
 * Admin GraphQL responses we read, the webhook payloads Shopify sends, and the
 * commerce actions callers ask for. Written from Shopify's published shapes;
 * only the fields we use are declared (unknown keys are stripped).
 */
import { z } from "zod";

/** A shop's permanent `*.myshopify.com` domain (the Admin API host). */
export const ShopDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "shop must be the permanent domain, e.g. my-shop.myshopify.com");

/** An Admin API version such as `2025-10` (or `unstable`). */
export const ApiVersionSchema = z.string().regex(/^(\d{4}-(01|04|07|10)|unstable)$/, "apiVersion like 2025-10");

// ---------------------------------------------------------------------------
// Commerce actions (the port's CommerceAction as a schema)

const LineSchema = z.object({ lineId: z.string().min(1), quantity: z.number().int().positive() });

/** Schema of core's `CommerceAction`. */
export const CommerceActionSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("refund"),
    orderId: z.string().min(1),
    lines: z.array(LineSchema).min(1).optional(),
    amount: z.number().positive().optional(),
    reason: z.string().min(1).max(1000),
    notify: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("cancel"),
    orderId: z.string().min(1),
    reason: z.string().min(1).max(1000),
    refund: z.boolean(),
    restock: z.boolean(),
    notify: z.boolean().optional(),
  }),
  z
    .object({
      type: z.literal("discount_code"),
      customerId: z.string().min(1).nullable(),
      percent: z.number().positive().max(100).optional(),
      amount: z.number().positive().optional(),
      currency: z.string().length(3).optional(),
      reason: z.string().min(1).max(1000),
      expiresAt: z.iso.datetime({ offset: true }).optional(),
    })
    .refine((a) => (a.percent === undefined) !== (a.amount === undefined), {
      message: "give exactly one of percent or amount",
      path: ["percent"],
    }),
]);

// ---------------------------------------------------------------------------
// Admin GraphQL responses

const MoneySchema = z.object({ amount: z.union([z.string(), z.number()]), currencyCode: z.string() });
const MoneyBagSchema = z.object({ shopMoney: MoneySchema });

/** Cost extension of every Admin GraphQL response. */
export const ThrottleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});

/** The envelope of an Admin GraphQL response. */
export const GraphqlEnvelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        extensions: z.object({ code: z.string().optional() }).loose().optional(),
        path: z.array(z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  extensions: z
    .object({
      cost: z
        .object({
          requestedQueryCost: z.number().nullable().optional(),
          actualQueryCost: z.number().nullable().optional(),
          throttleStatus: ThrottleStatusSchema.optional(),
        })
        .optional(),
    })
    .optional(),
});

/** An order as the StoredeskOrder fragment selects it. */
export const GqlOrderSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable().optional(),
  displayFinancialStatus: z.string().nullable().optional(),
  displayFulfillmentStatus: z.string().nullable().optional(),
  totalPriceSet: MoneyBagSchema,
  lineItems: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        quantity: z.number(),
        sku: z.string().nullable().optional(),
        originalUnitPriceSet: MoneyBagSchema,
      }),
    ),
  }),
  fulfillments: z.array(
    z.object({
      id: z.string(),
      status: z.string().nullable().optional(),
      displayStatus: z.string().nullable().optional(),
      updatedAt: z.string().nullable().optional(),
      estimatedDeliveryAt: z.string().nullable().optional(),
      trackingInfo: z.array(
        z.object({
          number: z.string().nullable().optional(),
          company: z.string().nullable().optional(),
          url: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
});

/** A customer as the StoredeskCustomer fragment selects it. */
export const GqlCustomerSchema = z.object({
  id: z.string(),
  displayName: z.string().nullable().optional(),
  defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable().optional(),
  defaultPhoneNumber: z.object({ phoneNumber: z.string().nullable() }).nullable().optional(),
  numberOfOrders: z.union([z.string(), z.number()]),
  amountSpent: MoneySchema,
  orders: z.object({ nodes: z.array(GqlOrderSchema) }),
});

/** `{ field, message, code? }` of a mutation payload. */
export const UserErrorSchema = z.object({
  field: z.array(z.string()).nullable().optional(),
  message: z.string(),
  code: z.string().nullable().optional(),
});

export const SuggestedRefundSchema = z.object({
  order: z
    .object({
      id: z.string(),
      suggestedRefund: z.object({
        amountSet: MoneyBagSchema,
        maximumRefundableSet: MoneyBagSchema.optional(),
        refundLineItems: z.array(z.object({ lineItem: z.object({ id: z.string() }), quantity: z.number() })),
        suggestedTransactions: z.array(
          z.object({
            gateway: z.string().nullable().optional(),
            kind: z.string().optional(),
            amountSet: MoneyBagSchema,
            parentTransaction: z.object({ id: z.string() }).nullable().optional(),
          }),
        ),
      }),
    })
    .nullable(),
});

export const RefundCreateSchema = z.object({
  refundCreate: z.object({
    refund: z.object({ id: z.string(), totalRefundedSet: MoneyBagSchema.optional() }).nullable().optional(),
    userErrors: z.array(UserErrorSchema),
  }),
});

export const OrderCancelSchema = z.object({
  orderCancel: z.object({
    job: z.object({ id: z.string(), done: z.boolean().optional() }).nullable().optional(),
    orderCancelUserErrors: z.array(UserErrorSchema),
  }),
});

export const DiscountCreateSchema = z.object({
  discountCodeBasicCreate: z.object({
    codeDiscountNode: z.object({ id: z.string() }).nullable().optional(),
    userErrors: z.array(UserErrorSchema),
  }),
});

export const DiscountByCodeSchema = z.object({ codeDiscountNodeByCode: z.object({ id: z.string() }).nullable() });

// ---------------------------------------------------------------------------
// Webhook payloads (REST-style JSON, snake_case)

// Ids and contact fields become customer identities: bounded here, so a payload the desk would
// refuse is refused before the webhook id is claimed (bad input writes nothing).
const Id = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .trim()
      .max(200)
      .regex(/[\p{L}\p{N}]/u, "an id needs a letter or a digit"),
  ])
  .transform((v) => String(v));
const Str = z.string().nullable().optional();
/** An email or phone: at most an identity's length (core's MAX_IDENTITY_CHARS); one without a letter or digit is none. */
const Contact = z
  .string()
  .max(320)
  .nullable()
  .optional()
  .transform((v) => (v && /[\p{L}\p{N}]/u.test(v) ? v : null));

const WebhookCustomerSchema = z.object({
  id: Id,
  email: Contact,
  phone: Contact,
  first_name: Str,
  last_name: Str,
  locale: Str,
});

/** `orders/create`, `orders/cancelled` (an Order resource). */
export const OrderWebhookSchema = z.object({
  id: Id,
  admin_graphql_api_id: Str,
  name: z.string(),
  email: Contact,
  contact_email: Contact,
  phone: Contact,
  created_at: Str,
  cancelled_at: Str,
  cancel_reason: Str,
  currency: Str,
  total_price: Str,
  order_status_url: Str,
  customer: WebhookCustomerSchema.nullable().optional(),
  customer_locale: Str,
  shipping_lines: z.array(z.object({ title: Str, code: Str })).optional(),
  line_items: z.array(z.object({ id: Id, title: Str, quantity: z.number().optional() })).optional(),
});
export type OrderWebhook = z.infer<typeof OrderWebhookSchema>;

/** `fulfillments/create`, `fulfillments/update` (a Fulfillment resource). */
export const FulfillmentWebhookSchema = z.object({
  id: Id,
  order_id: Id,
  name: Str,
  status: Str,
  shipment_status: Str,
  email: Contact,
  tracking_company: Str,
  tracking_number: Str,
  tracking_numbers: z.array(z.string()).optional(),
  tracking_url: Str,
  tracking_urls: z.array(z.string()).optional(),
  estimated_delivery_at: Str,
  updated_at: Str,
});
export type FulfillmentWebhook = z.infer<typeof FulfillmentWebhookSchema>;

/** `refunds/create` (a Refund resource). */
export const RefundWebhookSchema = z.object({
  id: Id,
  order_id: Id,
  created_at: Str,
  note: Str,
  transactions: z
    .array(z.object({ amount: z.union([z.string(), z.number()]).optional(), currency: Str, kind: Str, status: Str }))
    .optional(),
  refund_line_items: z.array(z.object({ line_item_id: Id.optional(), quantity: z.number().optional() })).optional(),
});
export type RefundWebhook = z.infer<typeof RefundWebhookSchema>;

/** `customers/create` (a Customer resource). */
export const CustomerWebhookSchema = WebhookCustomerSchema;
export type CustomerWebhook = z.infer<typeof CustomerWebhookSchema>;

/** `customers/data_request` (mandatory privacy webhook). */
export const DataRequestWebhookSchema = z.object({
  shop_id: Id,
  shop_domain: z.string(),
  orders_requested: z.array(Id).optional(),
  customer: z.object({ id: Id, email: Contact, phone: Contact }),
  data_request: z.object({ id: Id }).optional(),
});
export type DataRequestWebhook = z.infer<typeof DataRequestWebhookSchema>;

/** `customers/redact` (mandatory privacy webhook). */
export const CustomerRedactWebhookSchema = z.object({
  shop_id: Id,
  shop_domain: z.string(),
  customer: z.object({ id: Id, email: Contact, phone: Contact }),
  orders_to_redact: z.array(Id).optional(),
});
export type CustomerRedactWebhook = z.infer<typeof CustomerRedactWebhookSchema>;

/** `shop/redact` (mandatory privacy webhook). */
export const ShopRedactWebhookSchema = z.object({ shop_id: Id, shop_domain: z.string() });
export type ShopRedactWebhook = z.infer<typeof ShopRedactWebhookSchema>;
