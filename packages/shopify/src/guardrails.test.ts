import { describe, expect, it } from "vitest";
import { ActionPlanSchema, type ActionPlan } from "@storedesk/core";
import { checkActionAllowed, compensationKind } from "./guardrails.js";

const plan: ActionPlan = ActionPlanSchema.parse({
  category: "refund_exchange",
  responsibleTeam: "cs",
  decisionMaker: "cs-lead",
  informationNeeded: ["order number", "photo"],
  channels: ["email"],
  serviceHours: "Mon–Fri 09:00–18:00 KST",
  compensation: {
    currency: "KRW",
    kinds: ["refund", "discount_code"],
    limits: [
      { role: "agent", maxAmount: 30000, maxPercent: 10 },
      { role: "senior", maxAmount: 100000, maxPercent: 20 },
    ],
    approverRole: "lead",
  },
});

describe("checkActionAllowed", () => {
  it("allows a refund within the role's amount limit", () => {
    expect(
      checkActionAllowed(
        { type: "refund", orderId: "1", amount: 30000, reason: "x" },
        { role: "agent", plan, orderTotal: 59000 },
      ),
    ).toEqual({ allowed: true, kind: "partial_refund", amount: 30000, percent: null });
  });

  it("sends a refund over the limit to the approver role", () => {
    expect(
      checkActionAllowed({ type: "refund", orderId: "1", reason: "x" }, { role: "agent", plan, orderTotal: 59000 }),
    ).toEqual({
      allowed: false,
      reason: "over_limit",
      approverRole: "lead",
      kind: "refund",
      amount: 59000,
      percent: null,
      limit: { maxAmount: 30000, maxPercent: 10 },
    });
    expect(
      checkActionAllowed({ type: "refund", orderId: "1", reason: "x" }, { role: "senior", plan, orderTotal: 59000 })
        .allowed,
    ).toBe(true);
  });

  it("counts line refunds by the chosen lines' value", () => {
    const action = { type: "refund" as const, orderId: "1", lines: [{ lineId: "a", quantity: 1 }], reason: "x" };
    expect(checkActionAllowed(action, { role: "agent", plan, orderTotal: 59000, linesTotal: 20000 }).allowed).toBe(
      true,
    );
    expect(checkActionAllowed(action, { role: "agent", plan, orderTotal: 59000, linesTotal: 39000 }).allowed).toBe(
      false,
    );
  });

  it("treats an amount it cannot know as over the limit", () => {
    const d = checkActionAllowed({ type: "refund", orderId: "1", reason: "x" }, { role: "agent", plan });
    expect(d).toMatchObject({ allowed: false, reason: "over_limit", amount: null });
  });

  it("checks a discount's percentage against maxPercent", () => {
    expect(
      checkActionAllowed({ type: "discount_code", customerId: null, percent: 10, reason: "x" }, { role: "agent", plan })
        .allowed,
    ).toBe(true);
    expect(
      checkActionAllowed(
        { type: "discount_code", customerId: null, percent: 15, reason: "x" },
        { role: "agent", plan },
      ),
    ).toMatchObject({ allowed: false, reason: "over_limit", percent: 15 });
  });

  it("refuses a fixed discount in another currency than the plan's", () => {
    expect(
      checkActionAllowed(
        { type: "discount_code", customerId: null, amount: 10, currency: "USD", reason: "x" },
        { role: "agent", plan },
      ).allowed,
    ).toBe(false);
    expect(
      checkActionAllowed(
        { type: "discount_code", customerId: null, amount: 10000, currency: "KRW", reason: "x" },
        { role: "agent", plan },
      ).allowed,
    ).toBe(true);
  });

  it("refuses a kind the plan does not list, naming the approver", () => {
    expect(
      checkActionAllowed(
        { type: "cancel", orderId: "1", reason: "x", refund: false, restock: true },
        { role: "senior", plan },
      ),
    ).toMatchObject({
      allowed: false,
      reason: "kind_not_allowed",
      approverRole: "lead",
      kind: "cancel",
    });
  });

  it("refuses a role without a limit entry and allows the approver role anything", () => {
    expect(
      checkActionAllowed({ type: "refund", orderId: "1", amount: 1, reason: "x" }, { role: "intern", plan }),
    ).toMatchObject({ allowed: false, reason: "over_limit", limit: null });
    expect(
      checkActionAllowed(
        { type: "cancel", orderId: "1", reason: "x", refund: true, restock: true },
        { role: "lead", plan, orderTotal: 1e9 },
      ).allowed,
    ).toBe(true);
  });

  it("names a refund of the whole order `refund` and anything less `partial_refund`", () => {
    expect(compensationKind({ type: "refund", orderId: "1", reason: "x" })).toBe("refund");
    expect(compensationKind({ type: "refund", orderId: "1", amount: 59000, reason: "x" }, 59000)).toBe("refund");
    expect(compensationKind({ type: "refund", orderId: "1", amount: 100, reason: "x" }, 59000)).toBe("partial_refund");
  });
});
