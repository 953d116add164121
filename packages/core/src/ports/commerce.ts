/** One line of an order. */
export interface OrderLine {
  id: string;
  title: string;
  quantity: number;
  /** Unit price in the order currency. */
  price: number;
  sku: string | null;
}

/** A shipment of an order. */
export interface Shipment {
  id: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  estimatedDelivery: string | null;
  updatedAt: string | null;
}

/** An order as support needs it. Amounts are in `currency`. */
export interface OrderSummary {
  id: string;
  /** The shop's order name, e.g. `#1001`. */
  name: string;
  createdAt: string;
  currency: string;
  total: number;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  lines: OrderLine[];
  shipments: Shipment[];
}

/** The commerce context attached to a ticket. JSON-safe. */
export interface CustomerContext {
  providerCustomerId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  ordersCount: number;
  totalSpent: number;
  currency: string | null;
  lastOrderAt: string | null;
  recentOrders: OrderSummary[];
  fetchedAt: string;
}

/** A refund, cancel or compensation request. */
export type CommerceAction =
  | {
      type: "refund";
      orderId: string;
      lines?: Array<{ lineId: string; quantity: number }>;
      amount?: number;
      reason: string;
      notify?: boolean;
    }
  | { type: "cancel"; orderId: string; reason: string; refund: boolean; restock: boolean; notify?: boolean }
  | {
      type: "discount_code";
      customerId: string | null;
      percent?: number;
      amount?: number;
      currency?: string;
      reason: string;
      expiresAt?: string;
    };

/** The result of an action. */
export interface CommerceActionResult {
  type: CommerceAction["type"];
  /** Provider id of what was created (refund id, discount id…). */
  id: string;
  /** Money moved or granted, in `currency`. */
  amount: number | null;
  currency: string | null;
  /** For discounts: the code to give the customer. */
  code?: string | null;
  details?: Record<string, unknown>;
}

/**
 * A commerce back end (Shopify first). Reads the customer's orders and acts on them.
 * Every method may throw StoredeskError with PROVIDER_AUTH (credentials refused), RATE_LIMITED
 * and PROVIDER_UNAVAILABLE (both retryable) or PROVIDER_ERROR; `performAction` refuses a
 * malformed action or key with INVALID_INPUT before any request. `runCommerceConformance` from
 * `@storedesk/core/testing` checks a provider against this contract.
 */
export interface CommerceProvider {
  readonly specVersion: 1;
  readonly id: string;
  /** Context for a customer found by any of these handles; null when the shop does not know them. */
  customerContext(lookup: {
    email?: string | null;
    phone?: string | null;
    providerCustomerId?: string | null;
  }): Promise<CustomerContext | null>;
  /** One order with its lines and shipments; null when the shop has no such order. */
  getOrder(orderId: string): Promise<OrderSummary | null>;
  /**
   * Performs an action. `idempotencyKey` must make a retry a no-op that returns the first result
   * (guardrails such as limits and approvals are enforced by the desk before this is called).
   */
  performAction(action: CommerceAction, idempotencyKey: string): Promise<CommerceActionResult>;
}
