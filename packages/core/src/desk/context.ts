/**
 * The desk's shared state: what every module of the desk (ingest stages, actions, jobs,
 * the webhook) is handed instead of closing over one big function.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "eventemitter3";
import { ActionPlanSchema, type ActionPlan } from "../domain/action-plan.js";
import { TemplateSchema, type Template } from "../domain/template.js";
import type { Classifier } from "../classify/classify-text.js";
import { classifyText } from "../classify/classify-text.js";
import { StoredeskError } from "../errors.js";
import { parseInput } from "../validate.js";
import { DEFAULT_TEMPLATES } from "../template/default-templates.js";
import { systemClock, type Clock } from "../ports/clock.js";
import type { ChannelAdapter } from "../ports/channel.js";
import type { CustomerContext } from "../ports/commerce.js";
import type { Scheduler } from "../ports/scheduler.js";
import type { Store } from "../ports/store.js";
import { defaultSlaPolicies, type SlaPolicy } from "../sla/index.js";
import type { BusinessCalendar } from "../calendar/index.js";
import { DEFAULT_ROOT_CAUSES, defineRootCauses, type RootCause } from "../complaint/root-causes.js";
import type { AnyDeskPlugin, PluginDesk, PluginRecords } from "../ports/desk-plugin.js";
import { pluginRecords } from "./plugins/plugin-records.js";
import { hooksByStage } from "./plugins/run-hooks.js";
import type { Agent, DeskEvents, DeskOptions } from "./types.js";
import { webhookMaxEvents } from "./webhook-max-events.js";

/** Settings read once from {@link DeskOptions}, with their defaults applied. */
export interface DeskSettings {
  slaPolicies: SlaPolicy[];
  calendar: BusinessCalendar | null;
  shopName: string | null;
  defaultLocale: string;
  timeZone: string;
  complaintIntervalMinutes: number;
  /** The complaint root-cause taxonomy (`complaint.rootCauses`, validated; default {@link DEFAULT_ROOT_CAUSES}). */
  rootCauses: readonly RootCause[];
  /** Most events `desk.webhook` takes from one body ({@link DeskOptions.webhook}, default 1,000). */
  webhookMaxEvents: number;
  /** The outbox's settings ({@link DeskOptions.outbox} with defaults). */
  outbox: {
    wait: "queued" | "sent";
    maxAttempts: number;
    sendTimeoutMs: number;
    leaseMs: number;
    backoffMs: number;
  };
}

/**
 * Everything a desk module needs. Built once by {@link createDeskContext}; modules
 * receive it as their first argument and keep no state of their own.
 *
 * @example
 * const ctx = createDeskContext({ store: memoryStore() });
 * await ingest(ctx, event);
 */
export interface DeskContext {
  readonly options: DeskOptions;
  readonly store: Store;
  readonly clock: Clock;
  readonly scheduler: Scheduler | undefined;
  readonly emitter: EventEmitter<DeskEvents>;
  readonly newId: () => string;
  readonly workerId: string;
  readonly classifier: Classifier;
  readonly channels: Map<string, ChannelAdapter>;
  readonly templates: Map<string, Template>;
  readonly actionPlans: Map<string, ActionPlan>;
  readonly agents: Map<string, Agent>;
  readonly settings: DeskSettings;
  /** Customers' commerce contexts by customer id, with when they were fetched (ms). */
  readonly commerceCache: Map<string, { at: number; context: CustomerContext | null }>;
  /** The desk's plugins (built-in first, then the caller's), set once by `createDesk`. */
  plugins: readonly AnyDeskPlugin[];
  /** The plugins that have each hook, in registration order. */
  hooks: ReturnType<typeof hooksByStage>;
  /** Background work the desk started (after-commit hooks past their budget): `close()` stops waiting for it. */
  readonly background: Set<Promise<unknown>>;
  /** Outbox sends this instance has started and not finished (`desk.settle()` waits for them). */
  readonly outboxInFlight: Set<Promise<unknown>>;
  /** The desk as plugins see it (set by `createDesk` once the desk exists). */
  pluginDesk: PluginDesk | null;
  /** A plugin's records outside any transaction (job handlers, methods). */
  recordsOf(pluginId: string): PluginRecords;
}

/**
 * Validates the options and builds the context every desk module shares.
 *
 * @example
 * const ctx = createDeskContext({ store: memoryStore(), channels: [memoryChannel({ id: "webchat" })] });
 */
export function createDeskContext(options: DeskOptions): DeskContext {
  const channels = new Map<string, ChannelAdapter>();
  for (const adapter of options.channels ?? []) {
    if (channels.has(adapter.id)) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Two channels share the id "${adapter.id}"`,
        path: ["channels"],
      });
    }
    channels.set(adapter.id, adapter);
  }
  const templates = new Map<string, Template>(DEFAULT_TEMPLATES.map((t) => [t.id, t]));
  for (const [i, t] of (options.templates ?? []).entries()) {
    const parsed = parseInput(TemplateSchema, t, `template ${i}`);
    templates.set(parsed.id, parsed);
  }
  const actionPlans = new Map<string, ActionPlan>();
  for (const [i, p] of (options.actionPlans ?? []).entries()) {
    const parsed = parseInput(ActionPlanSchema, p, `action plan ${i}`);
    actionPlans.set(parsed.category, parsed);
  }
  const clock = options.clock ?? systemClock();
  return {
    options,
    store: options.store,
    clock,
    scheduler: options.scheduler ?? options.store.scheduler,
    emitter: new EventEmitter<DeskEvents>(),
    newId: options.newId ?? randomUUID,
    workerId: options.workerId ?? `desk-${randomUUID().slice(0, 8)}`,
    classifier: options.classifier ?? classifyText,
    channels,
    templates,
    actionPlans,
    agents: new Map((options.agents ?? []).map((a) => [a.id, a])),
    settings: {
      // A shop that gives business hours and no policies means its default targets in those hours.
      slaPolicies: options.sla?.policies ?? defaultSlaPolicies(options.sla?.calendar ? { time: "business" } : {}),
      calendar: options.sla?.calendar ?? null,
      shopName: options.shop?.name ?? null,
      defaultLocale: options.shop?.defaultLocale ?? "ko",
      timeZone: options.shop?.timeZone ?? "Asia/Seoul",
      complaintIntervalMinutes: options.complaint?.updateIntervalMinutes ?? 24 * 60,
      rootCauses: options.complaint?.rootCauses ? defineRootCauses(options.complaint.rootCauses) : DEFAULT_ROOT_CAUSES,
      webhookMaxEvents: webhookMaxEvents(options.webhook?.maxEvents, ["webhook", "maxEvents"]),
      outbox: outboxSettings(options),
    },
    commerceCache: new Map(),
    plugins: [],
    hooks: hooksByStage([]),
    background: new Set(),
    outboxInFlight: new Set(),
    pluginDesk: null,
    recordsOf: (pluginId) => pluginRecords(pluginId, options.store, () => clock.now()),
  };
}

/** The outbox options with their defaults, validated (a lease must outlast a send's timeout). */
function outboxSettings(options: DeskOptions): DeskSettings["outbox"] {
  const o = options.outbox ?? {};
  const sendTimeoutMs = o.sendTimeoutMs ?? 20_000;
  const settings = {
    wait: o.wait ?? "queued",
    maxAttempts: o.maxAttempts ?? 5,
    sendTimeoutMs,
    leaseMs: o.leaseMs ?? Math.max(60_000, sendTimeoutMs * 3),
    backoffMs: o.backoffMs ?? 30_000,
  } as const;
  const bad = (what: string) =>
    new StoredeskError({ code: "INVALID_INPUT", message: `outbox.${what}`, path: ["outbox", what.split(" ")[0]!] });
  if (settings.wait !== "queued" && settings.wait !== "sent") throw bad('wait must be "queued" or "sent"');
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1 || settings.maxAttempts > 50)
    throw bad("maxAttempts must be an integer 1–50");
  if (!(settings.sendTimeoutMs > 0)) throw bad("sendTimeoutMs must be positive");
  if (!(settings.leaseMs > settings.sendTimeoutMs)) throw bad("leaseMs must be longer than sendTimeoutMs");
  if (!(settings.backoffMs >= 0)) throw bad("backoffMs must be zero or more");
  return settings;
}
