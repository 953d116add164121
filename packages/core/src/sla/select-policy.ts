import type { SlaPolicy } from "./sla-policy.js";
import type { SlaTicketFacts } from "./types.js";

/**
 * Whether all of the policy's conditions hold for the ticket (a policy without conditions matches
 * every ticket; an empty list in a condition is ignored).
 *
 * @example
 * policyMatches({ id: "s", name: "Shipping", targets: {}, conditions: { categories: ["shipping"] } }, facts);
 */
export function policyMatches(policy: SlaPolicy, facts: SlaTicketFacts): boolean {
  const c = policy.conditions;
  if (c === undefined) return true;
  if (c.categories?.length && !c.categories.includes(facts.category)) return false;
  if (c.priorities?.length && !c.priorities.includes(facts.priority)) return false;
  if (c.channels?.length && !c.channels.includes(facts.channel)) return false;
  if (c.tagsAny?.length && !c.tagsAny.some((t) => facts.tags.includes(t))) return false;
  if (c.tagsAll?.length && !c.tagsAll.every((t) => facts.tags.includes(t))) return false;
  if (c.customer !== undefined) {
    for (const [key, value] of Object.entries(c.customer)) if (facts.customer?.[key] !== value) return false;
  }
  return true;
}

/**
 * The first policy, in order, whose conditions match the ticket; `null` when none does.
 *
 * @example
 * const policy = selectPolicy(defaultSlaPolicies(), { category: "shipping", priority: "normal", channel: "email", tags: [] });
 * policy?.id; // "shipping"
 */
export function selectPolicy(policies: readonly SlaPolicy[], facts: SlaTicketFacts): SlaPolicy | null {
  for (const p of policies) if (policyMatches(p, facts)) return p;
  return null;
}
