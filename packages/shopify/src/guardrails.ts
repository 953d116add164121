/**
 * Compensation guardrails, pure: may this role do this action alone under the
 * category's action plan, or must the plan's approver decide?
 */
import type { ActionPlan, CommerceAction } from "@storedesk/core";

/** A compensation kind of an action plan (`refund`, `partial_refund`, `cancel`, `discount_code`, …). */
export type CompensationKind = ActionPlan["compensation"]["kinds"][number];

/** What {@link checkActionAllowed} needs besides the action. */
export interface GuardrailContext {
  /** Role of the agent asking. */
  role: string;
  /** The action plan of the ticket's category. */
  plan: ActionPlan;
  /** Order total in the plan currency, when the action touches an order. */
  orderTotal?: number | null;
  /** Value of the chosen lines (unit price × quantity) for a line-item refund. */
  linesTotal?: number | null;
}

/** The guardrail's answer; the extra fields say what was measured. */
export type GuardrailDecision =
  | { allowed: true; kind: CompensationKind; amount: number | null; percent: number | null }
  | {
      allowed: false;
      reason: "over_limit" | "kind_not_allowed";
      approverRole: string;
      kind: CompensationKind;
      amount: number | null;
      percent: number | null;
      /** The role's limit that was exceeded, or null when the role has none. */
      limit: { maxAmount: number; maxPercent: number } | null;
    };

/** The plan kind an action counts as: a refund of less than the whole order is `partial_refund`. */
export function compensationKind(action: CommerceAction, orderTotal?: number | null): CompensationKind {
  switch (action.type) {
    case "refund": {
      if (action.lines && action.lines.length > 0) return "partial_refund";
      if (action.amount !== undefined && (orderTotal == null || action.amount < orderTotal)) return "partial_refund";
      return "refund";
    }
    case "cancel":
      return "cancel";
    case "discount_code":
      return "discount_code";
  }
}

/** Money the action moves or grants, or null when it cannot be known from the inputs. */
export function actionAmount(
  action: CommerceAction,
  ctx: Pick<GuardrailContext, "orderTotal" | "linesTotal">,
): number | null {
  switch (action.type) {
    case "refund":
      if (action.amount !== undefined) return action.amount;
      if (action.lines && action.lines.length > 0) return ctx.linesTotal ?? null;
      return ctx.orderTotal ?? null;
    case "cancel":
      return action.refund ? (ctx.orderTotal ?? null) : 0;
    case "discount_code":
      return action.amount ?? (action.percent !== undefined ? 0 : null);
  }
}

/**
 * Decides whether `ctx.role` may perform `action` alone. The plan's approver role
 * may do anything (they are the one who decides); other roles need the kind in
 * `plan.compensation.kinds` (a plan allowing `refund` also allows `partial_refund`)
 * and the amount / percentage within their `limits` entry. An amount that cannot
 * be known, or a role without a limit entry, counts as over the limit.
 *
 * @example
 * checkActionAllowed({ type: "refund", orderId: "1", amount: 30000, reason: "damaged" }, { role: "agent", plan })
 * // → { allowed: false, reason: "over_limit", approverRole: "lead", … } when agents may give 20000
 */
export function checkActionAllowed(action: CommerceAction, ctx: GuardrailContext): GuardrailDecision {
  const { plan, role } = ctx;
  const comp = plan.compensation;
  const kind = compensationKind(action, ctx.orderTotal);
  const amount = actionAmount(action, ctx);
  const percent = action.type === "discount_code" ? (action.percent ?? null) : null;
  if (role === comp.approverRole) return { allowed: true, kind, amount, percent };

  const kinds = new Set<CompensationKind>(comp.kinds);
  const kindAllowed = kinds.has(kind) || (kind === "partial_refund" && kinds.has("refund"));
  // Cancelling with a refund moves money: the plan must allow refunds too.
  const cancelRefundAllowed = !(action.type === "cancel" && action.refund) || kinds.has("refund");
  if (!kindAllowed || !cancelRefundAllowed) {
    return {
      allowed: false,
      reason: "kind_not_allowed",
      approverRole: comp.approverRole,
      kind,
      amount,
      percent,
      limit: null,
    };
  }

  const entry = comp.limits.find((l) => l.role === role);
  const limit = entry ? { maxAmount: entry.maxAmount, maxPercent: entry.maxPercent } : null;
  const over = (): GuardrailDecision => ({
    allowed: false,
    reason: "over_limit",
    approverRole: comp.approverRole,
    kind,
    amount,
    percent,
    limit,
  });
  if (!limit) return over();
  if (amount === null || amount > limit.maxAmount) return over();
  if (percent !== null && percent > limit.maxPercent) return over();
  // A fixed-amount discount in another currency cannot be compared with the limit.
  if (
    action.type === "discount_code" &&
    action.amount !== undefined &&
    action.currency &&
    action.currency !== comp.currency
  )
    return over();
  return { allowed: true, kind, amount, percent };
}
