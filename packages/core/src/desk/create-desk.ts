/**
 * The desk: the one place that performs effects. `createDesk` only composes: it builds the
 * {@link DeskContext}, registers the plugins (built-in and the caller's) and hands the context
 * to the modules named after what they do — `ingest/` (the pipeline stages), `receipts.ts`,
 * `outbox/`, `actions/`, `jobs/`, `webhook.ts`, `queries.ts`.
 */
import type { Classification } from "../classify/classify-text.js";
import type { Priority } from "../domain/enums.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { AnyDeskPlugin, PluginNamespaces } from "../ports/desk-plugin.js";
import { StoredeskError } from "../errors.js";
import { advance } from "./actions/complaint.js";
import { conversationActions } from "./actions/conversation.js";
import { customerRecordActions } from "./actions/customer-records.js";
import { mergeTicketActions } from "./actions/merge-tickets.js";
import { proactiveActions } from "./actions/send-to-customer.js";
import { recordEventAction } from "./actions/record-event.js";
import { ticketFieldActions } from "./actions/ticket-fields.js";
import { createDeskContext } from "./context.js";
import { ingest } from "./ingest/index.js";
import { runDue } from "./jobs/run-due.js";
import { registerPlugins } from "./plugins/register-plugins.js";
import { pluginDeskOf } from "./plugins/plugin-desk.js";
import { deskQueries } from "./queries.js";
import type { Desk, DeskEvents, DeskListener, DeskOptions } from "./types.js";
import { webhookHandler } from "./webhook.js";
import { retryMessage } from "./outbox/retry-message.js";
import { settleOutbox } from "./outbox/sender.js";
import { accept, IdSchema, toActor } from "./schemas.js";

/**
 * Creates a support desk over a store and the channels, commerce provider, policies and
 * plugins you give it. Each plugin with `methods` gets its namespace on the desk, typed.
 *
 * @example
 * const desk = createDesk({ store: memoryStore(), channels: [emailChannel({ ... })], plugins: [vipTagger()] });
 * desk.on("ticket.created", ({ ticket }) => console.log(ticket.number, ticket.category));
 * await desk.ingest({ type: "message", channel: "email", externalId: "m1", occurredAt: new Date(),
 *   from: { identities: [{ kind: "email", value: "kim@example.com" }] }, text: "배송 언제 와요?" });
 */
export function createDesk<const P extends readonly AnyDeskPlugin[] = []>(
  options: DeskOptions & { plugins?: P },
): Desk & PluginNamespaces<P> {
  const ctx = createDeskContext(options);
  const { emitter } = ctx;
  const jobs = registerPlugins(ctx, options.plugins ?? []);
  const timers = new Set<ReturnType<typeof setInterval>>();
  const ingestEvent = (event: InboundEventInput) => ingest(ctx, event);

  const desk: Desk = {
    on<E extends keyof DeskEvents>(event: E, listener: DeskListener<E>) {
      emitter.on(event, listener);
      return desk;
    },
    off<E extends keyof DeskEvents>(event: E, listener?: DeskListener<E>) {
      emitter.off(event, listener);
      return desk;
    },
    once<E extends keyof DeskEvents>(event: E, listener: DeskListener<E>) {
      emitter.once(event, listener);
      return desk;
    },
    store: ctx.store,
    channels: ctx.channels,
    actionPlans: ctx.actionPlans,
    agents: ctx.agents,
    clock: ctx.clock,
    get plugins() {
      return ctx.plugins.map((p) => p.id);
    },
    ingest: ingestEvent,
    webhook: (channelId, options) => webhookHandler(ctx, channelId, options),
    ...conversationActions(ctx),
    ...ticketFieldActions(ctx),
    ...mergeTicketActions(ctx),
    advanceComplaint: (ticketId, input, actor, opts) => advance(ctx, ticketId, input, actor, opts),
    ...proactiveActions(ctx),
    ...customerRecordActions(ctx),
    ...recordEventAction(ctx),
    ...deskQueries(ctx),
    runDue: (now, opts) => runDue(ctx, jobs, now, opts),
    retryMessage: (messageId, opts) =>
      retryMessage(ctx, accept(IdSchema, messageId, "message id"), toActor(opts?.actor), opts?.wait),
    settle: () => settleOutbox(ctx),
    startScheduler(intervalMs = 5_000) {
      const timer = setInterval(() => {
        runDue(ctx, jobs).catch((error: unknown) => emitter.emit("error", { error, context: "scheduler" }));
      }, intervalMs);
      timer.unref?.();
      timers.add(timer);
      return () => {
        clearInterval(timer);
        timers.delete(timer);
      };
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      // Background work (an after-commit hook past its budget) is not waited for: a provider
      // that never answers must not hold the shutdown. Its timers are unref'd.
      ctx.background.clear();
      // Sends in flight get a moment to finish; one still waiting on its provider is left to
      // its lease: another instance (or this one after a restart) sends it.
      await Promise.race([settleOutbox(ctx), new Promise((resolve) => setTimeout(resolve, 2_000).unref?.())]);
      for (const plugin of ctx.plugins) await plugin.close?.();
      if (options.ownsStore) await ctx.store.close?.();
    },
  };

  ctx.pluginDesk = pluginDeskOf(ctx, desk);
  const namespaces: Record<string, unknown> = {};
  for (const plugin of ctx.plugins) {
    if (!plugin.methods) continue;
    if (plugin.id in desk) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Plugin id "${plugin.id}" names a desk method`,
        path: ["plugins"],
      });
    }
    namespaces[plugin.id] = plugin.methods({ desk: ctx.pluginDesk, records: ctx.recordsOf(plugin.id) });
  }
  return Object.assign(desk, namespaces) as Desk & PluginNamespaces<P>;
}

/** Convenience: the `Priority` and `Classification` types re-exported for desk users. */
export type { Priority, Classification };
