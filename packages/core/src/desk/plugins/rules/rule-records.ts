/** Triggers, automations and macros kept in the rules plugin's keyed records (memory, PGlite, PostgreSQL). */
import { StoredeskError } from "../../../errors.js";
import type { PluginRecords } from "../../../ports/desk-plugin.js";
import { validateAutomation, type Automation, type AutomationInput } from "../../../rules/automation.js";
import { defineMacro, type Macro, type MacroInput } from "../../../rules/macro.js";
import { defineTrigger, type Trigger, type TriggerInput } from "../../../rules/trigger.js";

/** The record namespaces of the rules plugin (stored as `rules.<namespace>`). */
export const RULE_NAMESPACES = {
  triggers: "triggers",
  automations: "automations",
  macros: "macros",
  switches: "default-switches",
} as const;

type Kind = "trigger" | "automation" | "macro";
type Parsed<K extends Kind> = K extends "trigger" ? Trigger : K extends "automation" ? Automation : Macro;
type Input<K extends Kind> = K extends "trigger" ? TriggerInput : K extends "automation" ? AutomationInput : MacroInput;

const NAMESPACE: Record<Kind, string> = {
  trigger: RULE_NAMESPACES.triggers,
  automation: RULE_NAMESPACES.automations,
  macro: RULE_NAMESPACES.macros,
};

function parse<K extends Kind>(kind: K, input: Input<K>): Parsed<K> {
  if (kind === "trigger") return defineTrigger(input as TriggerInput) as Parsed<K>;
  if (kind === "automation") return validateAutomation(input as AutomationInput) as Parsed<K>;
  return defineMacro(input) as Parsed<K>;
}

/** A stored rule with its place in the evaluation order. */
interface StoredRule<T> {
  rule: T;
  position: number;
}

/**
 * CRUD over one kind of rule in the plugin's records. Order is kept as a `position` (creation
 * order unless given), so triggers run in the order the shop wrote them, whatever the store's
 * key order.
 *
 * @example
 * const triggers = ruleCollection(records, "trigger");
 * await triggers.create({ id: "vip", title: "VIP", events: ["ticket_created"], conditions, actions });
 */
export function ruleCollection<K extends Kind>(
  records: () => PluginRecords,
  kind: K,
  check: (rule: Parsed<K>) => void = () => undefined,
) {
  const namespace = NAMESPACE[kind];
  const all = async (): Promise<Array<StoredRule<Parsed<K>> & { version: number }>> =>
    (await records().list(namespace))
      .map((r) => ({ ...(r.value as StoredRule<Parsed<K>>), version: r.version }))
      .sort((a, b) => a.position - b.position || (a.rule.id < b.rule.id ? -1 : 1));
  return {
    /** Every stored rule of this kind, in evaluation order. */
    async list(): Promise<Parsed<K>[]> {
      return (await all()).map((s) => s.rule);
    },
    /** One rule, or null. */
    async get(id: string): Promise<Parsed<K> | null> {
      const record = await records().get(namespace, id);
      return record ? (record.value as StoredRule<Parsed<K>>).rule : null;
    },
    /** Validates and stores a new rule (CONFLICT when the id is taken); it runs after the existing ones. */
    async create(input: Input<K>): Promise<Parsed<K>> {
      const rule = parse(kind, input);
      check(rule);
      const last = (await all()).at(-1)?.position ?? 0;
      try {
        await records().put({ namespace, key: rule.id, value: { rule, position: last + 1 } }, null);
      } catch (error) {
        if (StoredeskError.is(error, "CONFLICT")) {
          throw new StoredeskError({
            code: "CONFLICT",
            message: `A ${kind} with id "${rule.id}" exists; update it instead`,
            path: ["id"],
          });
        }
        throw error;
      }
      return rule;
    },
    /** Replaces fields of a stored rule (validated whole; NOT_FOUND when absent); keeps its place. */
    async update(id: string, patch: Partial<Input<K>>): Promise<Parsed<K>> {
      const record = await records().get(namespace, id);
      if (!record) throw new StoredeskError({ code: "NOT_FOUND", message: `No ${kind} "${id}"`, path: ["id"] });
      const stored = record.value as StoredRule<Parsed<K>>;
      const rule = parse(kind, { ...stored.rule, ...patch, id });
      check(rule);
      await records().put({ namespace, key: id, value: { rule, position: stored.position } }, record.version);
      return rule;
    },
    /** Deletes a rule; true when it was there. */
    delete: (id: string): Promise<boolean> => records().delete(namespace, id),
    /** Stores `input` unless a rule with its id exists (seeding from the plugin's options). */
    async seed(input: Input<K>): Promise<void> {
      const rule = parse(kind, input);
      if (await records().get(namespace, rule.id)) return;
      check(rule);
      // Insert-only: when another instance (or transaction) seeded it first, CONFLICT.
      await records().put(
        { namespace, key: rule.id, value: { rule, position: ((await all()).at(-1)?.position ?? 0) + 1 } },
        null,
      );
    },
  };
}

/** The CRUD of one rule kind. */
export type RuleCollection<K extends Kind> = ReturnType<typeof ruleCollection<K>>;
