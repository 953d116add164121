/**
 * The conformance suite of the {@link CommerceProvider} port: what every commerce back end
 * (Shopify, Naver Commerce, a shop's own) must do, read from the port's TSDoc. A provider runs
 * it in its own tests against a back end that holds a known customer with orders (a mock server
 * built from the back end's documented shapes, or a sandbox shop).
 */
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../errors.js";
import { StoredeskError } from "../errors.js";
import type {
  CommerceAction,
  CommerceActionResult,
  CommerceProvider,
  CustomerContext,
  OrderSummary,
} from "../ports/commerce.js";

/** A back-end failure the suite asks the world to stage for the next request. */
export type CommerceFailure = "auth" | "rate_limited" | "unavailable";

/** One provider over a back end in a known state, made fresh for every test. */
export interface CommerceWorld {
  provider: CommerceProvider;
  /** A customer the back end knows, by each handle the port looks up. */
  customer: { email: string; phone: string; providerCustomerId: string };
  /** An order of that customer: paid, not cancelled, with at least one line. */
  order: { id: string; lineId: string };
  /** Another order of that customer that may be cancelled. */
  cancellableOrderId: string;
  /** Writes (refunds, cancellations, discounts) the back end has carried out so far. */
  effects(): number;
  /**
   * Makes the back end answer every request from now on with this failure, its own way (status,
   * body), so retries inside the provider fail too.
   */
  failWith(failure: CommerceFailure): void;
}

/** Options of {@link runCommerceConformance}. */
export interface CommerceConformanceOptions {
  /** Suite name shown in the test report. */
  name: string;
  /** A fresh world per test, so one test's refund does not change the next test's order. */
  makeWorld: () => CommerceWorld | Promise<CommerceWorld>;
}

/** The storedesk code the port's TSDoc gives each staged failure. */
const FAILURE_CODES: Record<CommerceFailure, ErrorCode> = {
  auth: "PROVIDER_AUTH",
  rate_limited: "RATE_LIMITED",
  unavailable: "PROVIDER_UNAVAILABLE",
};

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

function expectOrderShape(order: OrderSummary): void {
  expect(order).toMatchObject({
    id: expect.any(String),
    name: expect.any(String),
    currency: expect.any(String),
    total: expect.any(Number),
  });
  expect(Number.isNaN(Date.parse(order.createdAt))).toBe(false);
  for (const line of order.lines) {
    expect(line).toMatchObject({
      id: expect.any(String),
      title: expect.any(String),
      quantity: expect.any(Number),
      price: expect.any(Number),
    });
  }
  for (const s of order.shipments) expect(typeof s.id).toBe("string");
}

/** The parts of a result that name what was done; `details` may say a retry was replayed. */
function identity(
  result: CommerceActionResult,
): Pick<CommerceActionResult, "type" | "id" | "amount" | "currency" | "code"> {
  return {
    type: result.type,
    id: result.id,
    amount: result.amount,
    currency: result.currency,
    code: result.code ?? null,
  };
}

/**
 * Registers the commerce provider conformance tests (vitest): customer context by each handle
 * and null for strangers, JSON-safe contexts, orders by id and null for unknown ones, refunds
 * (whole, by line, by amount), cancellations and discount codes, a retry with the same
 * idempotency key as a no-op returning the first result, and back-end failures as typed
 * StoredeskErrors.
 *
 * @example
 * runCommerceConformance({ name: "shopify", makeWorld: () => fakeShop() });
 */
export function runCommerceConformance(options: CommerceConformanceOptions): void {
  const { makeWorld } = options;

  describe(`CommerceProvider conformance: ${options.name}`, () => {
    it("declares spec version 1 and an id", async () => {
      const { provider } = await makeWorld();
      expect(provider.specVersion).toBe(1);
      expect(typeof provider.id).toBe("string");
      expect(provider.id.length).toBeGreaterThan(0);
    });

    it("finds the customer's context by email, by phone and by provider id, with their orders", async () => {
      const { provider, customer, order } = await makeWorld();
      const byEmail = await provider.customerContext({ email: customer.email });
      const byPhone = await provider.customerContext({ phone: customer.phone });
      const byId = await provider.customerContext({ providerCustomerId: customer.providerCustomerId });
      for (const ctx of [byEmail, byPhone, byId]) {
        expect(ctx).not.toBeNull();
        expect(ctx!.providerCustomerId).toBe(byEmail!.providerCustomerId);
        expect(ctx!.recentOrders.map((o) => o.id)).toContain(order.id);
        expect(ctx!.ordersCount).toBeGreaterThanOrEqual(ctx!.recentOrders.length);
        ctx!.recentOrders.forEach(expectOrderShape);
      }
    });

    it("answers null for a customer the shop does not know and for an empty lookup", async () => {
      const { provider } = await makeWorld();
      expect(await provider.customerContext({ email: "nobody-conformance@example.invalid" })).toBeNull();
      expect(await provider.customerContext({})).toBeNull();
    });

    it("gives a JSON-safe context (it is stored on tickets as it is)", async () => {
      const { provider, customer } = await makeWorld();
      const ctx = (await provider.customerContext({ email: customer.email })) as CustomerContext;
      expect(JSON.parse(JSON.stringify(ctx))).toEqual(ctx);
      expect(Number.isNaN(Date.parse(ctx.fetchedAt))).toBe(false);
    });

    it("reads one order with its lines and shipments, and null for an unknown one", async () => {
      const { provider, order } = await makeWorld();
      const found = await provider.getOrder(order.id);
      expect(found?.id).toBe(order.id);
      expectOrderShape(found!);
      expect(found!.lines.map((l) => l.id)).toContain(order.lineId);
      expect(await provider.getOrder("999999999999")).toBeNull();
    });

    it("refunds a whole order, one line and an amount within what was paid", async () => {
      const world = await makeWorld();
      const { provider, order } = world;
      const paid = (await provider.getOrder(order.id))!;
      const line = await provider.performAction(
        {
          type: "refund",
          orderId: order.id,
          lines: [{ lineId: order.lineId, quantity: 1 }],
          reason: "conformance: damaged",
        },
        "conf-refund-line",
      );
      expect(line).toMatchObject({ type: "refund", id: expect.any(String), currency: paid.currency });
      expect(line.amount).toBeGreaterThan(0);
      expect(line.amount!).toBeLessThanOrEqual(paid.total);
      const partial = await provider.performAction(
        { type: "refund", orderId: order.id, amount: 1000, reason: "conformance: goodwill" },
        "conf-refund-amount",
      );
      expect(partial).toMatchObject({ type: "refund", amount: 1000 });
      expect(partial.id).not.toBe(line.id);
      expect(world.effects()).toBe(2);
    });

    it("cancels an order", async () => {
      const world = await makeWorld();
      const result = await world.provider.performAction(
        { type: "cancel", orderId: world.cancellableOrderId, reason: "customer", refund: true, restock: true },
        "conf-cancel",
      );
      expect(result).toMatchObject({ type: "cancel", id: expect.any(String) });
      expect(world.effects()).toBe(1);
    });

    it("creates a discount code (percent or amount) to give the customer", async () => {
      const world = await makeWorld();
      const percent = await world.provider.performAction(
        { type: "discount_code", customerId: world.customer.providerCustomerId, percent: 10, reason: "late delivery" },
        "conf-discount-1",
      );
      const amount = await world.provider.performAction(
        { type: "discount_code", customerId: null, amount: 5000, currency: "KRW", reason: "sorry" },
        "conf-discount-2",
      );
      for (const r of [percent, amount]) {
        expect(r.type).toBe("discount_code");
        expect(typeof r.code).toBe("string");
        expect(r.code!.length).toBeGreaterThan(0);
      }
      expect(amount.code).not.toBe(percent.code);
      expect(amount).toMatchObject({ amount: 5000, currency: "KRW" });
      expect(world.effects()).toBe(2);
    });

    describe("a retry with the same idempotency key is a no-op that returns the first result", () => {
      const actions = (world: CommerceWorld): Record<CommerceAction["type"], CommerceAction> => ({
        refund: {
          type: "refund",
          orderId: world.order.id,
          lines: [{ lineId: world.order.lineId, quantity: 1 }],
          reason: "retry",
        },
        cancel: {
          type: "cancel",
          orderId: world.cancellableOrderId,
          reason: "customer",
          refund: false,
          restock: false,
        },
        discount_code: { type: "discount_code", customerId: null, percent: 5, reason: "retry" },
      });
      for (const type of ["refund", "cancel", "discount_code"] as const) {
        it(type, async () => {
          const world = await makeWorld();
          const action = actions(world)[type];
          const first = await world.provider.performAction(action, `conf-retry-${type}`);
          const again = await world.provider.performAction(action, `conf-retry-${type}`);
          expect(identity(again)).toEqual(identity(first));
          expect(world.effects()).toBe(1);
        });
      }
    });

    it("reports back-end failures as typed StoredeskErrors", async () => {
      for (const failure of Object.keys(FAILURE_CODES) as CommerceFailure[]) {
        const world = await makeWorld();
        world.failWith(failure);
        const err = await caught(world.provider.getOrder(world.order.id));
        expect(StoredeskError.is(err), `${failure} → StoredeskError`).toBe(true);
        expect((err as StoredeskError).code, failure).toBe(FAILURE_CODES[failure]);
      }
    });

    it("refuses a malformed action with INVALID_INPUT before touching the back end", async () => {
      const world = await makeWorld();
      const both = {
        type: "discount_code",
        customerId: null,
        percent: 10,
        amount: 5,
        reason: "both",
      } as CommerceAction;
      expect(await caught(world.provider.performAction(both, "conf-bad"))).toMatchObject({ code: "INVALID_INPUT" });
      expect(
        await caught(world.provider.performAction({ type: "refund", orderId: world.order.id, reason: "x" }, "")),
      ).toMatchObject({ code: "INVALID_INPUT" });
      expect(world.effects()).toBe(0);
    });
  });
}
