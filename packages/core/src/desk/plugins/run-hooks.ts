/** Runs the plugins' hooks of one stage and folds their decisions into the stage's change. */
import type { Ticket } from "../../domain/ticket.js";
import type { Effect, EventDraft } from "../../decision.js";
import type {
  AnyDeskPlugin,
  DeskPluginHooks,
  HookContext,
  HookDecision,
  PluginRecords,
  TicketPatch,
} from "../../ports/desk-plugin.js";
import type { StoreOps } from "../../ports/store.js";
import type { DeskContext } from "../context.js";
import { pluginRecords } from "./plugin-records.js";

/** Hooks that run inside a transaction and return a {@link HookDecision}. */
export type TicketHookName = "ticketCreated" | "customerMessage" | "statusChanged" | "ticketSaving";

/** A stage's change after its hooks: the ticket, the events and effects they added. */
export interface HookedChange {
  ticket: Ticket;
  events: EventDraft[];
  effects: Effect[];
}

type HookArgs<K extends TicketHookName> = Omit<
  Parameters<NonNullable<DeskPluginHooks[K]>>[0],
  keyof HookContext | "ticket"
>;

/**
 * Applies a hook decision's ticket patch (`meta` merged key by key).
 *
 * @example
 * applyPatch(ticket, { priority: "high", meta: { vip: true } });
 */
export function applyPatch(ticket: Ticket, patch: TicketPatch | undefined): Ticket {
  if (!patch) return ticket;
  const { meta, ...fields } = patch;
  return { ...ticket, ...fields, ...(meta ? { meta: { ...ticket.meta, ...meta } } : {}) };
}

/**
 * A hook's argument: the stage's fields (copied on by `Object.assign`), the ticket, the time and
 * the plugin's records, built only when the hook reads them (few do). A class, not an object
 * literal with a getter after a spread: on Node 20 that literal costs microseconds per call
 * (V8 adds keys to a spread copy on its slow path; bench/README.md, perf-d).
 */
class HookCall {
  readonly #pluginId: string;
  readonly #tx: StoreOps;
  #records: PluginRecords | undefined;
  constructor(
    pluginId: string,
    tx: StoreOps,
    readonly ticket: Ticket,
    readonly now: Date,
  ) {
    this.#pluginId = pluginId;
    this.#tx = tx;
  }
  get records(): PluginRecords {
    return (this.#records ??= pluginRecords(this.#pluginId, this.#tx, () => this.now));
  }
}

/**
 * Runs every plugin's `name` hook in registration order inside `tx`; each sees the ticket as
 * the previous one left it. Returns the ticket and what the hooks added.
 *
 * @example
 * const hooked = await runTicketHooks(ctx, tx, "ticketCreated", ticket, { customer, message, classification }, now);
 */
export async function runTicketHooks<K extends TicketHookName>(
  ctx: DeskContext,
  tx: StoreOps,
  name: K,
  ticket: Ticket,
  args: HookArgs<K>,
  now: Date,
): Promise<HookedChange> {
  const events: EventDraft[] = [];
  const effects: Effect[] = [];
  for (const plugin of ctx.hooks[name]) {
    const hooks = plugin.hooks as Record<K, (a: unknown) => HookDecision | void | Promise<HookDecision | void>>;
    // A synchronous hook is not awaited: measurable per message with several plugins on every stage.
    const answer = hooks[name](Object.assign(new HookCall(plugin.id, tx, ticket, now), args));
    const decision = answer instanceof Promise ? await answer : answer;
    if (!decision) continue;
    ticket = applyPatch(ticket, decision.ticket);
    if (decision.events) events.push(...decision.events);
    if (decision.effects) effects.push(...decision.effects);
  }
  return { ticket, events, effects };
}

/**
 * The plugins that have each hook, in registration order (looked up once, not per message).
 *
 * @example
 * const hooks = hooksByStage(plugins);
 */
export function hooksByStage(plugins: readonly AnyDeskPlugin[]): { [K in keyof DeskPluginHooks]-?: AnyDeskPlugin[] } {
  const names: (keyof DeskPluginHooks)[] = [
    "beforeClassify",
    "afterClassify",
    "ticketCreated",
    "customerMessage",
    "statusChanged",
    "ticketSaving",
    "beforeSend",
    "chooseTemplate",
    "afterTicketCreated",
    "authorizeAgentChange",
  ];
  return Object.fromEntries(
    names.map((n) => [
      n,
      plugins.filter((p) => typeof (p.hooks as Record<string, unknown> | undefined)?.[n] === "function"),
    ]),
  ) as { [K in keyof DeskPluginHooks]-?: AnyDeskPlugin[] };
}
