/**
 * The automation sweep: every open ticket checked against the enabled automations, in batches;
 * a firing happens exactly once per ticket even when several instances sweep at once.
 */
import { randomUUID } from "node:crypto";
import type { Ticket } from "../../../domain/ticket.js";
import { defaultAutomations, evaluateAutomations, type Automation } from "../../../rules/automation.js";
import { evaluateCondition } from "../../../rules/evaluate-condition.js";
import type { LeafCondition, RuleCondition } from "../../../rules/rule-condition.js";
import type { RuleFacts } from "../../../rules/rule-facts.js";
import { performJobKey, performPending } from "./perform-rule-actions.js";
import { RULE_NAMESPACES, ruleCollection } from "./rule-records.js";
import { PERFORM_JOB, SWEEP_JOB, type RulesRuntime } from "./rules-runtime.js";
import { calendarForTicket } from "../../../calendar/team-calendar.js";
import { teamsOf } from "./service-hours-notice.js";

/** Why a default automation is not running. */
export type AutomationState = Automation & { source: "default" | "stored"; deferredTo?: string };

/**
 * The automations in force: the defaults (minus those switched off by option or at run time;
 * `solved-close-7d` defers to the built-in auto-close while that plugin runs, so a solved ticket
 * is not closed by two timers), then the stored ones.
 *
 * @example
 * const active = (await automationsInForce(rt)).filter((a) => a.enabled);
 */
export async function automationsInForce(rt: RulesRuntime): Promise<AutomationState[]> {
  const defaults =
    rt.options.defaults === false
      ? []
      : defaultAutomations({
          disabled: rt.options.defaults?.disabled ?? [],
          ...(rt.options.defaults?.clock ? { clock: rt.options.defaults.clock } : {}),
        });
  const switches = new Map(
    (await rt.records.list(RULE_NAMESPACES.switches)).map((r) => [r.key, (r.value as { enabled: boolean }).enabled]),
  );
  const autoClose = rt.desk.plugins.includes("auto-close");
  const states: AutomationState[] = defaults.map((a) => {
    const enabled = switches.get(a.id) ?? a.enabled;
    if (a.id === "solved-close-7d" && autoClose)
      return { ...a, enabled: false, source: "default", deferredTo: "auto-close" };
    return { ...a, enabled, source: "default" };
  });
  const stored = await ruleCollection(() => rt.records, "automation").list();
  return [...states, ...stored.map((a) => ({ ...a, source: "stored" as const }))];
}

/**
 * The facts an automation is checked against: the ticket, its calendar (its team's `serviceHours`,
 * else `rulesPlugin({ calendar })`, as for triggers) and the times the rules plugin keeps in `meta`.
 */
export function automationFacts(rt: RulesRuntime, ticket: Ticket): RuleFacts {
  const at = (v: unknown): Date | null => (typeof v === "string" ? new Date(v) : null);
  return {
    ticket,
    calendar: calendarForTicket(teamsOf(rt.desk.actionPlans), ticket, rt.options.calendar ?? null),
    times: {
      statusChangedAt: at(ticket.meta["rulesStatusChangedAt"]),
      lastAgentReplyAt: at(ticket.meta["rulesLastAgentReplyAt"]),
    },
  };
}

function hoursLeaves(c: RuleCondition): Array<Extract<LeafCondition, { type: "hours_since" }>> {
  if (c.type === "all" || c.type === "any") return c.conditions.flatMap(hoursLeaves);
  return c.type === "hours_since" ? [c] : [];
}

/**
 * What makes a firing "the same firing": the points in time the automation's clocks count from
 * (a ticket pending again later is a new firing; the same pending spell is not).
 *
 * @example
 * firingAnchor(automation, facts) // "status_changed=2026-03-02T01:00:00.000Z"
 */
export function firingAnchor(automation: Automation, facts: RuleFacts): string {
  const t = facts.ticket;
  const point = (since: string): string => {
    const d =
      since === "created"
        ? t.createdAt
        : since === "updated"
          ? t.updatedAt
          : since === "last_customer_message"
            ? t.lastCustomerMessageAt
            : since === "last_agent_reply"
              ? facts.times?.lastAgentReplyAt
              : (facts.times?.statusChangedAt ?? (t.status === "solved" ? t.solvedAt : null));
    return `${since}=${d ? new Date(d).toISOString() : "?"}`;
  };
  const leaves = hoursLeaves(automation.conditions);
  return leaves.length === 0 ? "once" : [...new Set(leaves.map((l) => point(l.since)))].join("|");
}

/**
 * Sweeps the open tickets (`batchSize` at a time) and fires what is due. Each firing is decided
 * in the ticket's own transaction: the automation is re-checked on the ticket as stored and a
 * marker (`meta.rulesFired[id] = anchor`) is written with the job that performs its actions, so
 * a second instance sweeping at the same moment loses the version race, re-reads the ticket,
 * finds the marker and does nothing. Returns how many tickets were checked and firings made.
 *
 * @example
 * const { fired } = await runAutomations(rt, new Date());
 */
export async function runAutomations(rt: RulesRuntime, now: Date): Promise<{ checked: number; fired: number }> {
  await rt.ready;
  const active = (await automationsInForce(rt)).filter((a) => a.enabled);
  if (active.length === 0) return { checked: 0, fired: 0 };
  const tickets = await rt.desk.listTickets({ status: ["new", "open", "pending", "on_hold", "solved"] });
  const batch = rt.options.batchSize ?? 200;
  let fired = 0;
  for (let i = 0; i < tickets.length; i += batch) {
    const slice = tickets.slice(i, i + batch);
    const results = await Promise.all(slice.map((t) => fireDue(rt, t, active, now)));
    fired += results.reduce((n, r) => n + r, 0);
  }
  return { checked: tickets.length, fired };
}

async function fireDue(rt: RulesRuntime, ticket: Ticket, active: readonly Automation[], now: Date): Promise<number> {
  const due = new Set(evaluateAutomations(active, automationFacts(rt, ticket), now).map((p) => p.ruleId));
  let fired = 0;
  for (const automation of active.filter((a) => due.has(a.id))) {
    let did = false;
    await rt.desk.decide(
      ticket.id,
      (fresh) => {
        did = false;
        if (fresh.status === "closed") return undefined;
        const facts = automationFacts(rt, fresh);
        const anchor = firingAnchor(automation, facts);
        const marks = (fresh.meta["rulesFired"] ?? {}) as Record<string, string>;
        if (marks[automation.id] === anchor || !evaluateCondition(automation.conditions, facts, now).passed)
          return undefined;
        did = true;
        const actions = automation.actions.map((action) => ({
          ruleId: automation.id,
          action,
          depth: 0,
          event: "automation",
        }));
        return {
          ticket: { meta: { rulesFired: { ...marks, [automation.id]: anchor } } },
          events: [{ type: "automation.fired", data: { automationId: automation.id, anchor } }],
          effects: [
            {
              type: "schedule",
              job: {
                key: performJobKey(fresh.id),
                type: PERFORM_JOB,
                ticketId: fresh.id,
                runAt: now,
                payload: { actions },
              },
            },
          ],
        };
      },
      { kind: "system", id: `rules:${automation.id}` },
    );
    if (did) {
      fired++;
      await performPending(rt, ticket.id, now);
    }
  }
  return fired;
}

/**
 * Schedules the next sweep (one pending sweep per store: the job key is fixed, so every instance
 * scheduling it replaces the same job).
 *
 * @example
 * await scheduleSweep(rt, new Date(Date.now() + 3_600_000));
 */
export async function scheduleSweep(rt: RulesRuntime, runAt: Date): Promise<void> {
  await rt.desk.store.scheduleJob({
    id: randomUUID(),
    key: "rules:automations",
    type: SWEEP_JOB,
    ticketId: null,
    runAt,
    payload: {},
    attempts: 0,
    lockedBy: null,
    lockedUntil: null,
  });
}
