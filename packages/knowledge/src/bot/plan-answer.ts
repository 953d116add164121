/**
 * The shop's action plan as a bot answer: the return rules and the numbered claim procedure of
 * the plan for returns, exchanges and claims, quoted in the customer's language (ko/en).
 */
import type { ActionPlan } from "@storedesk/core";

/** The part of an action plan the bot quotes (a core `ActionPlan` fits). */
export type BotPlan = Pick<ActionPlan, "category" | "returnRules" | "claimProcedure">;

const RETURNS =
  /반품|교환|환불|클레임|파손|불량|하자|\b(?:return(?:s|ed|ing)?|exchang\w*|refund\w*|claims?|damaged|defective)\b/i;

const quotable = (p: BotPlan | undefined): p is BotPlan =>
  p !== undefined && (Boolean(p.returnRules?.trim()) || p.claimProcedure.length > 0);

/**
 * The plan whose return rules and claim procedure answer this question: the ticket's category's
 * plan when it has them, else (when the question is about returns, exchanges or claims) the
 * `refund_exchange` plan, else the first plan that has them; null otherwise.
 *
 * @example
 * planForQuestion(desk.actionPlans, ticket.category, "반품하고 싶어요") // the refund_exchange plan
 */
export function planForQuestion(
  plans: ReadonlyMap<string, BotPlan> | undefined,
  category: string | null,
  text: string,
): BotPlan | null {
  if (!plans || plans.size === 0) return null;
  const own = category ? plans.get(category) : undefined;
  if (quotable(own)) return own;
  if (!RETURNS.test(text)) return null;
  const refund = plans.get("refund_exchange");
  if (quotable(refund)) return refund;
  return [...plans.values()].find(quotable) ?? null;
}

/**
 * The plan's return rules and numbered claim procedure as chat text in the customer's language.
 *
 * @example
 * planAnswerText({ category: "refund_exchange", returnRules: "수령 후 7일 이내", claimProcedure: ["사진 첨부"] }, "ko")
 * // "반품·교환 규정: 수령 후 7일 이내\n\n접수 절차:\n1. 사진 첨부"
 */
export function planAnswerText(plan: BotPlan, locale: string): string {
  const ko = locale.startsWith("ko");
  const parts: string[] = [];
  const rules = plan.returnRules?.trim();
  if (rules) parts.push(`${ko ? "반품·교환 규정" : "Return and exchange rules"}: ${rules}`);
  if (plan.claimProcedure.length > 0) {
    const steps = plan.claimProcedure.map((step, i) => `${i + 1}. ${step}`).join("\n");
    parts.push(`${ko ? "접수 절차" : "How to file a claim"}:\n${steps}`);
  }
  return parts.join("\n\n");
}
