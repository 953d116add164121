/** Turns a trigger evaluation into a hook decision: field changes now (on ingest), the rest queued as jobs. */
import type { Effect } from "../../../decision.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { HookDecision, HookEventDraft, TicketPatch } from "../../../ports/desk-plugin.js";
import {
  evaluateTriggers,
  type EvaluateTriggersOptions,
  type TriggerEvaluation,
} from "../../../rules/evaluate-triggers.js";
import type { Macro } from "../../../rules/macro.js";
import type { RuleAction } from "../../../rules/rule-action.js";
import type { RuleFacts } from "../../../rules/rule-facts.js";
import type { Trigger, TriggerEventType } from "../../../rules/trigger.js";
import { performJobKey } from "./perform-rule-actions.js";
import { NOTIFY_JOB, PERFORM_JOB, type QueuedRuleAction } from "./rules-runtime.js";

/** Field changes a new ticket or a customer's message takes in its own transaction. */
const IMMEDIATE = new Set<RuleAction["type"]>([
  "set_priority",
  "set_category",
  "add_tags",
  "remove_tags",
  "set_team",
  "set_assignee",
]);

/**
 * Triggers with every `run_macro` expanded into the macro's reply plus its field changes, so the
 * evaluator chains through what the macro changes.
 *
 * @example
 * const runnable = expandMacros(triggers, macros);
 */
export function expandMacros(triggers: readonly Trigger[], macros: ReadonlyMap<string, Macro>): Trigger[] {
  return triggers.map((t) =>
    t.actions.some((a) => a.type === "run_macro")
      ? {
          ...t,
          actions: t.actions.flatMap((a) =>
            a.type === "run_macro" ? [a, ...(macros.get(a.macroId)?.actions ?? [])] : [a],
          ),
        }
      : t,
  );
}

/**
 * Evaluates several events of one change in order (a new ticket from a customer is both
 * `ticket_created` and `customer_message`); a rule fires at most once across all of them.
 * `held` actions (see `EvaluateTriggersOptions.held`) raise no change for chained rules.
 *
 * @example
 * const evaluation = evaluateEvents(triggers, ["ticket_created", "customer_message"], facts, now, 3);
 */
export function evaluateEvents(
  triggers: readonly Trigger[],
  events: readonly TriggerEventType[],
  facts: RuleFacts,
  now: Date,
  maxDepth: number,
  held?: EvaluateTriggersOptions["held"],
): TriggerEvaluation & { eventOf: Map<string, TriggerEventType> } {
  let ticket = facts.ticket;
  const all: TriggerEvaluation = { actions: [], fired: [], ticket, truncated: [] };
  const eventOf = new Map<string, TriggerEventType>();
  for (const event of events) {
    const remaining = triggers.filter((t) => !all.fired.includes(t.id));
    const result = evaluateTriggers(remaining, event, { ...facts, ticket }, now, {
      maxDepth,
      ...(held ? { held } : {}),
    });
    for (const id of result.fired) eventOf.set(id, event);
    all.actions.push(...result.actions);
    all.fired.push(...result.fired);
    all.truncated.push(...result.truncated);
    ticket = result.ticket;
  }
  return { ...all, ticket, eventOf };
}

/**
 * The decision for an evaluation. With `immediate`, field changes land as a patch in the
 * stage's transaction (so SLA and routing see them); everything else becomes a `rules.perform`
 * job and each `notify` a `rules.notify` job, scheduled in the same transaction. An action `held`
 * for the action plan's decision maker is never immediate: the perform job files its approval request. Every fired
 * rule and every action gets an audit event naming the rule.
 *
 * @example
 * return decisionFor(ticket, evaluation, { immediate: true, now });
 */
export function decisionFor(
  ticket: Ticket,
  evaluation: ReturnType<typeof evaluateEvents>,
  opts: { immediate: boolean; now: Date; held?: (action: RuleAction) => boolean },
): HookDecision | undefined {
  if (evaluation.actions.length === 0) return undefined;
  const events: HookEventDraft[] = [];
  const queued: QueuedRuleAction[] = [];
  const effects: Effect[] = [];
  let patched = ticket;
  for (const ruleId of evaluation.fired) {
    const depth = evaluation.actions.find((a) => a.ruleId === ruleId)?.depth ?? 0;
    events.push({
      type: "rule.fired",
      data: { ruleId, event: evaluation.eventOf.get(ruleId) ?? null, depth },
      actor: { kind: "system", id: `rules:${ruleId}` },
    });
  }
  if (evaluation.truncated.length > 0) {
    events.push({ type: "rule.depth_capped", data: { events: evaluation.truncated } });
  }
  for (const planned of evaluation.actions) {
    const event = evaluation.eventOf.get(planned.ruleId) ?? "ticket_created";
    const actor = { kind: "system" as const, id: `rules:${planned.ruleId}` };
    if (planned.action.type === "notify") {
      const job = {
        key: `rules-notify:${ticket.id}:${performJobKey(ticket.id)}`,
        type: NOTIFY_JOB,
        ticketId: ticket.id,
        runAt: opts.now,
        payload: {
          url: planned.action.url,
          event: planned.action.event ?? null,
          ruleId: planned.ruleId,
          trigger: event,
        },
      };
      effects.push({ type: "schedule", job });
      events.push({
        type: "rule.action",
        data: { ruleId: planned.ruleId, action: "notify", event, depth: planned.depth, queued: true },
        actor,
      });
    } else if (opts.immediate && IMMEDIATE.has(planned.action.type) && !opts.held?.(planned.action)) {
      const next = applyImmediate(patched, planned.action);
      events.push({
        type: "rule.action",
        data: {
          ruleId: planned.ruleId,
          action: planned.action.type,
          event,
          depth: planned.depth,
          ...changeOf(patched, next),
        },
        actor,
      });
      patched = next;
    } else {
      queued.push({ ruleId: planned.ruleId, action: planned.action, depth: planned.depth, event });
    }
  }
  if (queued.length > 0) {
    effects.push({
      type: "schedule",
      job: {
        key: performJobKey(ticket.id),
        type: PERFORM_JOB,
        ticketId: ticket.id,
        runAt: opts.now,
        payload: { actions: queued },
      },
    });
  }
  const patch: TicketPatch = {};
  if (patched !== ticket) {
    for (const key of ["priority", "category", "tags", "team", "assigneeId", "status"] as const) {
      if (patched[key] !== ticket[key]) (patch as Record<string, unknown>)[key] = patched[key];
    }
  }
  return { ...(Object.keys(patch).length > 0 ? { ticket: patch } : {}), events, effects };
}

function applyImmediate(t: Ticket, a: RuleAction): Ticket {
  switch (a.type) {
    case "set_priority":
      return { ...t, priority: a.priority };
    case "set_category":
      return { ...t, category: a.category };
    case "add_tags":
      return { ...t, tags: [...new Set([...t.tags, ...a.tags])] };
    case "remove_tags":
      return { ...t, tags: t.tags.filter((x) => !a.tags.includes(x)) };
    case "set_team":
      return { ...t, team: a.team };
    // Assigning a new ticket means someone is on it, as `desk.assign` does.
    case "set_assignee":
      return { ...t, assigneeId: a.assigneeId, status: t.status === "new" && a.assigneeId ? "open" : t.status };
    default:
      return t;
  }
}

function changeOf(before: Ticket, after: Ticket): Record<string, unknown> {
  for (const key of ["priority", "category", "tags", "team", "assigneeId"] as const) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      return { field: key, from: before[key], to: after[key] };
  }
  return {};
}
