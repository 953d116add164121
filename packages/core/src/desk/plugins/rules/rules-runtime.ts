/** What the rules plugin's parts share: the desk, its records, the options, the in-flight work. */
import type { BusinessCalendar } from "../../../calendar/index.js";
import type { PluginDesk, PluginRecords } from "../../../ports/desk-plugin.js";
import type { AutomationInput } from "../../../rules/automation.js";
import type { MacroInput } from "../../../rules/macro.js";
import type { TextAnalyzer } from "../../../rules/search-macros.js";
import type { RuleAction } from "../../../rules/rule-action.js";
import type { TriggerInput } from "../../../rules/trigger.js";
import type { Desk } from "../../types.js";

/** Options of {@link rulesPlugin}. */
export interface RulesPluginOptions {
  /** Triggers stored when the desk starts, unless one with the same id is stored already. */
  triggers?: TriggerInput[];
  /** Automations stored the same way (each must have a nullifying action). */
  automations?: AutomationInput[];
  /** Macros stored the same way. */
  macros?: MacroInput[];
  /**
   * The default automations (pending 48 h → reminder, pending 96 h → solved with a closing
   * message, solved 7 d → closed): `false` turns them all off, `disabled` some of them;
   * `desk.rules.automations.setEnabled(id, false)` does it at run time.
   */
  defaults?: false | { disabled?: string[]; clock?: "calendar" | "business" };
  /** The shop's secret for signing `notify` webhooks (a trigger with `notify` is refused without it). */
  notify?: { secret: string; fetch?: typeof fetch };
  /** Rounds of chained change events followed (default 3). */
  maxDepth?: number;
  /** Calendar for `business_hours` and business-clock conditions of tickets whose team has no `serviceHours` calendar. */
  calendar?: BusinessCalendar | null;
  /**
   * Tell a customer who writes outside their team's `serviceHours` calendar when a person will
   * answer (a `service_hours.notice` event and an automatic message; default true; teams whose
   * plan has a description string instead of a calendar never get one).
   */
  serviceHoursNotice?: boolean;
  /** Minutes between automation sweeps run by the scheduler (default 60). */
  sweepEveryMinutes?: number;
  /**
   * Search analysis for `desk.rules.macros.search`, e.g. the knowledge package's
   * `(text) => analyze(text).terms` (core does not depend on it). Default: `matchesText` per word.
   */
  analyzer?: TextAnalyzer;
  /**
   * Evaluate committed changes' triggers on this instance right after the commit (default true).
   * With false they wait for the scheduler (`desk.runDue`) like any `rules.fire` job.
   */
  fireAfterCommit?: boolean;
  /** Tickets per batch of an automation sweep (default 200). */
  batchSize?: number;
}

/** A rule action with the rule that decided it (kept in job payloads). */
export interface QueuedRuleAction {
  ruleId: string;
  action: RuleAction;
  depth: number;
  event: string;
}

/** The shared state of one desk's rules plugin. */
export interface RulesRuntime {
  readonly options: RulesPluginOptions;
  /** Set when the desk builds the plugin's methods. */
  desk: Desk & PluginDesk;
  records: PluginRecords;
  /** Seeding from the options (hooks and jobs wait for it). */
  ready: Promise<void>;
  /** Work started after a commit (performing queued actions): `desk.rules.settle()` waits for it. */
  inflight: Set<Promise<unknown>>;
  /**
   * Jobs being performed on this instance, by job key: a second caller (the approver's
   * request and the after-commit run it set off) waits for the first instead of finding the
   * actions claimed and returning before they are done.
   */
  performing: Map<string, Promise<void>>;
}

/**
 * Runs `work` for job `key` once on this instance at a time: a caller arriving while it runs
 * gets the same promise, so it returns only when the job's actions are done (or failed).
 *
 * @example
 * await performOnce(rt, job.key, () => performQueuedNow(rt, job, now));
 */
export function performOnce(rt: RulesRuntime, key: string, work: () => Promise<void>): Promise<void> {
  const running = rt.performing.get(key);
  if (running) return running;
  const started = work().finally(() => rt.performing.delete(key));
  rt.performing.set(key, started);
  return started;
}

/** The actor of everything rule `ruleId` does, so the audit log names the rule. */
export function ruleActor(ruleId: string): { system: string } {
  return { system: `rules:${ruleId}` };
}

/** Job type performing a rule's queued actions. */
export const PERFORM_JOB = "rules.perform";
/** Job type evaluating the triggers of committed changes (scheduled in their transaction). */
export const FIRE_JOB = "rules.fire";
/** Job type posting one `notify` webhook (retried with backoff by the scheduler). */
export const NOTIFY_JOB = "rules.notify";
/** Job type of the periodic automation sweep. */
export const SWEEP_JOB = "rules.automations";
/** Job type waking a snoozed ticket. */
export const WAKE_JOB = "rules.wake";
