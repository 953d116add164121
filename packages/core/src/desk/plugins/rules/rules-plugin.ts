/**
 * The rules plugin: stored triggers fired on desk events, time-based automations run by the
 * scheduler, and macros (`desk.rules.*`). Decisions are the pure functions of `core/src/rules`;
 * this plugin stores the rules in its keyed records, feeds them the desk's events and performs
 * what they decide.
 *
 * @example
 * const desk = createDesk({ store, plugins: [rulesPlugin({ notify: { secret } }), routingPlugin()] });
 * await desk.rules.create({ id: "refunds", title: "환불 → refunds", events: ["ticket_created", "customer_message"],
 *   conditions: { type: "text", contains: ["환불"] }, actions: [{ type: "set_team", team: "refunds" }] });
 */
import type { Classification } from "../../../classify/classification.js";
import type { Customer } from "../../../domain/customer.js";
import type { Message } from "../../../domain/message.js";
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import {
  defineDeskPlugin,
  type DeskPlugin,
  type HookDecision,
  type PluginDesk,
  type PluginRecords,
} from "../../../ports/desk-plugin.js";
import type { Automation, AutomationInput } from "../../../rules/automation.js";
import { explainRule, type RuleExplanation } from "../../../rules/explain-rule.js";
import { searchMacros } from "../../../rules/search-macros.js";
import type { Macro, MacroInput } from "../../../rules/macro.js";
import { requiresDecision } from "../../../rules/decision-authority.js";
import { RuleActionSchema, type RuleAction } from "../../../rules/rule-action.js";
import type { z } from "zod";
import { parseInput } from "../../../validate.js";
import { askAsAgent, decideApproval, listApprovals, type ActionOutcome, type ApprovalRequest } from "./approvals.js";
import type { RuleFacts } from "../../../rules/rule-facts.js";
import { defineTrigger, type Trigger, type TriggerEventType, type TriggerInput } from "../../../rules/trigger.js";
import type { ActorInput, Desk } from "../../types.js";
import { decisionFor, evaluateEvents, expandMacros } from "./decide-triggers.js";
import { postNotification } from "./notify-webhook.js";
import { holdDecisions } from "./authorize-agent-change.js";
import { performPending, performQueued } from "./perform-rule-actions.js";
import { informationMissing } from "./information-needed.js";
import { calendarForTicket } from "../../../calendar/team-calendar.js";
import { mergeDecisions, serviceHoursDecision, teamsOf } from "./service-hours-notice.js";
import { fireCommitted, fireDue, scheduleFire, type FireDeps } from "./durable-fire.js";
import { RULE_NAMESPACES, ruleCollection } from "./rule-records.js";
import { automationsInForce, runAutomations, scheduleSweep, type AutomationState } from "./run-automations.js";
import {
  FIRE_JOB,
  NOTIFY_JOB,
  PERFORM_JOB,
  SWEEP_JOB,
  WAKE_JOB,
  type RulesPluginOptions,
  type RulesRuntime,
} from "./rules-runtime.js";

export type { RulesPluginOptions } from "./rules-runtime.js";
export type { ActionOutcome, ApprovalRequest } from "./approvals.js";

/** An action as an agent writes it (validated like a rule's). */
type RuleActionInput = z.input<typeof RuleActionSchema>;
const RuleActionSchemaParse = (a: RuleActionInput): RuleAction => parseInput(RuleActionSchema, a, "action");

/** `desk.rules.*`: triggers (at the top level), automations and macros. */
export interface RulesMethods {
  /** Stores a trigger (validated; CONFLICT when the id is taken); it runs after the existing ones. */
  create(input: TriggerInput): Promise<Trigger>;
  /** Changes a stored trigger (validated whole); it keeps its place in the order. */
  update(id: string, patch: Partial<TriggerInput>): Promise<Trigger>;
  /** Deletes a trigger; true when it was there. */
  delete(id: string): Promise<boolean>;
  /** The stored triggers, in the order they run. */
  list(): Promise<Trigger[]>;
  /**
   * Dry run: would `rule` (a stored trigger's id, or trigger data) fire on the ticket now, and if
   * not, which conditions failed (with the values they saw)? Performs nothing.
   */
  test(rule: string | TriggerInput, ticketId: string, event?: TriggerEventType): Promise<RuleExplanation>;
  /** Fires the triggers for an event by hand (e.g. an app's own `csat_received`); returns the rule ids that fired. */
  fire(ticketId: string, event: TriggerEventType): Promise<string[]>;
  /**
   * Marks items of the ticket's action plan `informationNeeded` as provided (an agent checked the
   * photo…); returns what is still missing (`ticket.meta.informationMissing`).
   */
  provideInformation(ticketId: string, items: string[], actor?: ActorInput): Promise<string[]>;
  /** Waits for the actions this instance is performing after a commit, and for the replies they queued to be sent. */
  settle(): Promise<void>;
  automations: {
    /** Stores an automation; refused (INVALID_INPUT) without a nullifying action. */
    create(input: AutomationInput): Promise<Automation>;
    update(id: string, patch: Partial<AutomationInput>): Promise<Automation>;
    delete(id: string): Promise<boolean>;
    /** Defaults and stored automations, with whether each is on (and what a default defers to). */
    list(): Promise<AutomationState[]>;
    /** Switches a default automation on or off (kept in the records, so every instance sees it). */
    setEnabled(id: string, enabled: boolean): Promise<void>;
    /** Runs one sweep now (the scheduler does it every `sweepEveryMinutes`). */
    run(now?: Date): Promise<{ checked: number; fired: number }>;
  };
  macros: {
    create(input: MacroInput): Promise<Macro>;
    update(id: string, patch: Partial<MacroInput>): Promise<Macro>;
    delete(id: string): Promise<boolean>;
    list(): Promise<Macro[]>;
    /**
     * Macros matching `query`, best first: with `rulesPlugin({ analyzer })` by the analyzer's terms
     * (at least half of the query's), else those containing every word (Korean-aware: 환불 finds 환불을).
     */
    search(query: string): Promise<Macro[]>;
    /**
     * Applies a macro to a ticket as one audited action (`macro.applied`): its reply in the
     * customer's language (through `desk.reply`, so reply-window rules apply), then its field
     * changes in one update. When the ticket's action plan reserves one of them (or the macro,
     * `run_macro:<id>`) to its `decisionMaker` and the agent lacks that role, nothing is applied:
     * an approval request is filed (`pending_approval`).
     */
    apply(macroId: string, ticketId: string, actor: ActorInput & { agentId: string }): Promise<ActionOutcome>;
  };
  /**
   * An agent's actions (reply, note, field changes) on a ticket, checked against the action plan's
   * `decisions` like a macro: performed, or filed for the `decisionMaker`'s approval.
   */
  perform(ticketId: string, actions: RuleActionInput[], actor: { agentId: string }): Promise<ActionOutcome>;
  /** Approval requests for the action plans' decision makers. */
  approvals: {
    /** Newest first; optionally one status or one ticket's. */
    list(filter?: { status?: ApprovalRequest["status"]; ticketId?: string }): Promise<ApprovalRequest[]>;
    /**
     * Approves (the agent must hold the request's role: APPROVAL_REQUIRED otherwise; CONFLICT when
     * decided already), then performs the actions as that agent (a rule's held action as the rule).
     */
    approve(approvalId: string, actor: { agentId: string; note?: string }): Promise<ApprovalRequest>;
    /** Declines, audited with the note; nothing is performed. */
    decline(approvalId: string, actor: { agentId: string; note?: string }): Promise<ApprovalRequest>;
  };
}

const MIN = 60_000;

/**
 * Creates the rules plugin. Put it before `routingPlugin()` so a trigger's team is set before
 * the ticket is routed.
 *
 * @example
 * createDesk({ store, plugins: [rulesPlugin({ defaults: { disabled: ["pending-solve-96h"] } })] });
 */
export function rulesPlugin(options: RulesPluginOptions = {}): DeskPlugin<"rules", RulesMethods> {
  const rt = {
    options,
    inflight: new Set(),
    performing: new Map(),
    ready: Promise.resolve(),
  } as unknown as RulesRuntime;
  const maxDepth = options.maxDepth ?? 3;
  const requireSecret = (t: { actions: readonly { type: string }[] }): void => {
    if (!options.notify && t.actions.some((a) => a.type === "notify")) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "A notify action needs rulesPlugin({ notify: { secret } }) to sign its webhook",
        path: ["actions"],
      });
    }
  };
  const triggers = ruleCollection(() => rt.records, "trigger", requireSecret);
  const automations = ruleCollection(() => rt.records, "automation", requireSecret);
  const macros = ruleCollection(() => rt.records, "macro");

  async function runnable(records: PluginRecords): Promise<Trigger[]> {
    const stored = (await records.list(RULE_NAMESPACES.triggers))
      .map((r) => r.value as { rule: Trigger; position: number })
      .sort((a, b) => a.position - b.position)
      .map((s) => s.rule);
    if (!stored.some((t) => t.actions.some((a) => a.type === "run_macro"))) return stored;
    const all = (await records.list(RULE_NAMESPACES.macros)).map((r) => (r.value as { rule: Macro }).rule);
    return expandMacros(stored, new Map(all.map((m) => [m.id, m])));
  }

  function facts(
    ticket: Ticket,
    customer: Customer | null,
    message: Message | null,
    classification: Classification | null,
  ): RuleFacts {
    const at = (v: unknown): Date | null => (typeof v === "string" ? new Date(v) : null);
    return {
      ticket,
      customer,
      classification,
      // The ticket's team calendar (its plan's serviceHours) first, then the plugin's.
      calendar: calendarForTicket(teamsOf(rt.desk.actionPlans), ticket, options.calendar ?? null),
      message: message ? { text: message.text, author: message.direction === "inbound" ? "customer" : "agent" } : null,
      startedBy: ticket.meta["rulesStartedBy"] === "agent" ? "agent" : "customer",
      times: {
        statusChangedAt: at(ticket.meta["rulesStatusChangedAt"]),
        lastAgentReplyAt: at(ticket.meta["rulesLastAgentReplyAt"]),
      },
    };
  }

  /** Adds the "a person will answer from …" line when the ticket's team is outside its hours. */
  function withNotice(
    decision: HookDecision | undefined,
    ticket: Ticket,
    customer: Customer,
    now: Date,
  ): HookDecision | undefined {
    if (options.serviceHoursNotice === false) return decision;
    const after = { ...ticket, ...decision?.ticket, meta: { ...ticket.meta, ...decision?.ticket?.meta } };
    const language = customer.locale ?? ticket.language;
    return mergeDecisions(decision, serviceHoursDecision(teamsOf(rt.desk.actionPlans), after, language, now));
  }

  let seeded = false;
  // Seeds the option's rules in the hook's own transaction when the background seeding has not
  // finished yet (waiting for it there would deadlock a store that serializes transactions).
  async function seedIn(records: PluginRecords): Promise<void> {
    if (seeded) return;
    for (const t of options.triggers ?? []) await ruleCollection(() => records, "trigger", requireSecret).seed(t);
    for (const m of options.macros ?? []) await ruleCollection(() => records, "macro").seed(m);
  }

  async function inTransaction(
    records: PluginRecords,
    events: TriggerEventType[],
    f: RuleFacts,
    now: Date,
  ): Promise<HookDecision | undefined> {
    await seedIn(records);
    const rules = await runnable(records);
    if (rules.length === 0) return undefined;
    const evaluation = evaluateEvents(rules, events, f, now, maxDepth, heldByPlan);
    const plan = rt.desk.actionPlans.get(evaluation.ticket.category);
    return decisionFor(f.ticket, evaluation, { immediate: true, now, held: (a) => requiresDecision(plan, a) });
  }

  // A rule's action the ticket's plan reserves to its decision maker is not done until approved.
  const heldByPlan = (action: RuleAction, ticket: Ticket): boolean =>
    requiresDecision(rt.desk.actionPlans.get(ticket.category), action);

  const fireDeps: FireDeps = {
    runnable: () => runnable(rt.records),
    facts: (ticket, customer) => facts(ticket, customer, null, null),
    maxDepth,
    held: heldByPlan,
  };

  async function fireOn(
    ticketId: string,
    events: TriggerEventType[],
    eventData: RuleFacts["eventData"] = {},
  ): Promise<string[]> {
    await rt.ready;
    const rules = await runnable(rt.records);
    if (rules.length === 0) return [];
    const current = await rt.desk.getTicket(ticketId);
    const customer = await rt.desk.getCustomer(current.customerId);
    let fired: string[] = [];
    await rt.desk.decide(
      ticketId,
      (ticket, now) => {
        const evaluation = evaluateEvents(
          rules,
          events,
          { ...facts(ticket, customer, null, null), eventData },
          now,
          maxDepth,
          heldByPlan,
        );
        fired = evaluation.fired;
        return decisionFor(ticket, evaluation, { immediate: false, now });
      },
      { kind: "system", id: "rules" },
    );
    return fired;
  }

  function track(work: Promise<unknown>): void {
    const p = work
      .catch((error: unknown) =>
        rt.desk.emit("plugin.rules.error", { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => rt.inflight.delete(p));
    rt.inflight.add(p);
  }

  return defineDeskPlugin({
    specVersion: 1,
    id: "rules",
    events: ["plugin.rules.error"],
    hooks: {
      ticketCreated: async ({ ticket, customer, message, classification, now, records }) => {
        const events: TriggerEventType[] =
          message?.direction === "inbound" ? ["ticket_created", "customer_message"] : ["ticket_created"];
        const startedBy = message?.direction === "inbound" ? "customer" : "agent";
        const decision = await inTransaction(
          records,
          events,
          facts({ ...ticket, meta: { ...ticket.meta, rulesStartedBy: startedBy } }, customer, message, classification),
          now,
        );
        const category = decision?.ticket?.category ?? ticket.category;
        const missing = informationMissing(rt.desk.actionPlans.get(category), ticket, message);
        const information = missing ? { informationMissing: missing, informationFor: category } : {};
        const decided = {
          ...decision,
          ticket: {
            ...decision?.ticket,
            meta: { rulesStartedBy: startedBy, rulesStatusChangedAt: now.toISOString(), ...information },
          },
        };
        return message?.direction === "inbound" ? withNotice(decided, ticket, customer, now) : decided;
      },
      customerMessage: async ({ ticket, customer, message, classification, now, records }) => {
        const decision = await inTransaction(
          records,
          ["customer_message"],
          facts(ticket, customer, message, classification),
          now,
        );
        const category = decision?.ticket?.category ?? ticket.category;
        const missing = informationMissing(rt.desk.actionPlans.get(category), ticket, message);
        if (!missing) return withNotice(decision, ticket, customer, now);
        const was = ticket.meta["informationMissing"] as string[] | undefined;
        const events =
          was && missing.length < was.length
            ? [{ type: "information.provided", data: { items: was.filter((i) => !missing.includes(i)), missing } }]
            : [];
        const decided = {
          ...decision,
          events: [...(decision?.events ?? []), ...events],
          ticket: {
            ...decision?.ticket,
            meta: { ...decision?.ticket?.meta, informationMissing: missing, informationFor: category },
          },
        };
        return withNotice(decided, ticket, customer, now);
      },
      ticketSaving: ({ before, ticket, log, now }) => {
        // The times automations count from, kept on the ticket as they happen.
        const meta: Record<string, unknown> = {};
        if (before && before.status !== ticket.status) {
          meta["rulesStatusChangedAt"] = now.toISOString();
          if (before.status === "pending" && ticket.meta["rulesSnooze"]) meta["rulesSnooze"] = null;
        }
        const last = log.at(-1);
        if (last && last.type === "reply.sent" && last.actor.kind === "agent" && last.at.getTime() === now.getTime())
          meta["rulesLastAgentReplyAt"] = now.toISOString();
        const fire = scheduleFire(before, ticket, log, now);
        if (Object.keys(meta).length === 0) return fire;
        return { ...fire, ticket: { meta: { ...fire?.ticket?.meta, ...meta } } };
      },
      authorizeAgentChange: (args) => holdDecisions(rt, args),
    },
    jobs: {
      [FIRE_JOB]: async ({ job }) => {
        if (!job.ticketId) return;
        await fireCommitted(rt, fireDeps, job.ticketId);
        await performPending(rt, job.ticketId);
      },
      [PERFORM_JOB]: async ({ job, now }) => {
        await rt.ready;
        await performQueued(rt, job, now);
      },
      [NOTIFY_JOB]: async ({ job, now }) => {
        if (!options.notify || !job.ticketId) return;
        const t = await rt.desk.getTicket(job.ticketId);
        const payload = {
          event: job.payload["event"] ?? "rule.notify",
          ruleId: job.payload["ruleId"],
          trigger: job.payload["trigger"],
          at: now.toISOString(),
          ticket: {
            id: t.id,
            number: t.number,
            status: t.status,
            priority: t.priority,
            category: t.category,
            channel: t.channel,
            team: t.team,
            assigneeId: t.assigneeId,
            tags: t.tags,
          },
        };
        await postNotification({
          url: String(job.payload["url"]),
          secret: options.notify.secret,
          payload,
          now,
          ...(options.notify.fetch ? { fetch: options.notify.fetch } : {}),
        });
      },
      [SWEEP_JOB]: async ({ now }) => {
        await runAutomations(rt, now);
        await scheduleSweep(rt, new Date(now.getTime() + (options.sweepEveryMinutes ?? 60) * MIN));
      },
      [WAKE_JOB]: async ({ job }) => {
        if (!job.ticketId) return;
        const t = await rt.desk.getTicket(job.ticketId);
        const snooze = t.meta["rulesSnooze"] as { until: string | null; ruleId: string } | null | undefined;
        if (t.status !== "pending" || !snooze || snooze.until !== job.payload["until"]) return; // woken already
        await rt.desk.setStatus(t.id, "open", { system: `rules:${snooze.ruleId}` });
      },
    },
    methods: ({ desk: pluginDesk, records }) => {
      const desk = pluginDesk as Desk & PluginDesk;
      rt.desk = desk;
      rt.records = records;
      rt.ready = (async () => {
        // Another instance (or an ingest's transaction) seeding the same rule first is fine.
        const once = (p: Promise<void>) =>
          p.catch((error: unknown) => {
            if (!StoredeskError.is(error, "CONFLICT")) throw error;
          });
        for (const t of options.triggers ?? []) await once(triggers.seed(t));
        for (const a of options.automations ?? []) await once(automations.seed(a));
        for (const m of options.macros ?? []) await once(macros.seed(m));
        await scheduleSweep(rt, desk.clock.now());
        seeded = true;
      })();
      rt.ready.catch((error: unknown) =>
        desk.emit("plugin.rules.error", { error: error instanceof Error ? error.message : String(error) }),
      );
      // The trigger evaluation itself is a job of the commit (durable); this runs it at once.
      if (options.fireAfterCommit !== false)
        rt.desk.on("ticket.updated", ({ ticket }) => track(fireDue(rt, fireDeps, ticket.id)));
      rt.desk.on("ticket.created", ({ ticket }) => track(performPending(rt, ticket.id)));
      rt.desk.on("message.received", ({ ticket }) => track(performPending(rt, ticket.id)));
      return {
        create: (input) => triggers.create(input),
        update: (id, patch) => triggers.update(id, patch),
        delete: (id) => triggers.delete(id),
        list: async () => {
          await rt.ready;
          return triggers.list();
        },
        async test(rule, ticketId, event) {
          await rt.ready;
          const trigger = typeof rule === "string" ? await triggers.get(rule) : defineTrigger(rule);
          if (!trigger)
            throw new StoredeskError({
              code: "NOT_FOUND",
              message: `No trigger "${typeof rule === "string" ? rule : rule.id}"`,
              path: ["rule"],
            });
          const ticket = await desk.getTicket(ticketId);
          const customer = await desk.getCustomer(ticket.customerId);
          const messages = await desk.listMessages(ticketId);
          const lastInbound = [...messages].reverse().find((m) => m.direction === "inbound") ?? null;
          return explainRule(trigger, facts(ticket, customer, lastInbound, null), desk.clock.now(), event);
        },
        fire: async (ticketId, event) => {
          const fired = await fireOn(ticketId, [event]);
          await performPending(rt, ticketId);
          return fired;
        },
        async provideInformation(ticketId, items, actor) {
          const who =
            actor && "agentId" in actor
              ? { kind: "agent" as const, id: actor.agentId }
              : { kind: "system" as const, id: "rules" };
          const saved = await desk.decide(
            ticketId,
            (t) => {
              const was = (t.meta["informationMissing"] as string[] | undefined) ?? [];
              const missing = was.filter((i) => !items.includes(i));
              return missing.length === was.length
                ? undefined
                : {
                    ticket: { meta: { informationMissing: missing } },
                    events: [
                      { type: "information.provided", data: { items: was.filter((i) => items.includes(i)), missing } },
                    ],
                  };
            },
            who,
          );
          return (saved.meta["informationMissing"] as string[] | undefined) ?? [];
        },
        perform: async (ticketId, actions, actor) =>
          askAsAgent(
            rt,
            ticketId,
            { actions: actions.map((a) => RuleActionSchemaParse(a)), macro: null },
            actor.agentId,
          ),
        approvals: {
          list: (filter) => listApprovals(rt, filter),
          approve: (approvalId, actor) => decideApproval(rt, approvalId, actor.agentId, "approved", actor.note ?? null),
          decline: (approvalId, actor) => decideApproval(rt, approvalId, actor.agentId, "declined", actor.note ?? null),
        },
        async settle() {
          while (rt.inflight.size > 0) await Promise.all([...rt.inflight]);
          await desk.settle(); // the replies rules queued in the outbox
        },
        automations: {
          create: (input) => automations.create(input),
          update: (id, patch) => automations.update(id, patch),
          delete: (id) => automations.delete(id),
          list: async () => {
            await rt.ready;
            return automationsInForce(rt);
          },
          async setEnabled(id, enabled) {
            await records.put({ namespace: RULE_NAMESPACES.switches, key: id, value: { enabled } });
          },
          run: (now) => runAutomations(rt, now ?? desk.clock.now()),
        },
        macros: {
          create: (input) => macros.create(input),
          update: (id, patch) => macros.update(id, patch),
          delete: (id) => macros.delete(id),
          list: async () => {
            await rt.ready;
            return macros.list();
          },
          async search(query) {
            await rt.ready;
            return searchMacros(await macros.list(), query, options.analyzer);
          },
          async apply(macroId, ticketId, actor) {
            await rt.ready;
            const macro = await macros.get(macroId);
            if (!macro)
              throw new StoredeskError({ code: "NOT_FOUND", message: `No macro "${macroId}"`, path: ["macroId"] });
            return askAsAgent(rt, ticketId, { actions: [], macro }, actor.agentId);
          },
        },
      };
    },
  });
}
