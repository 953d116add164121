/**
 * The desk: the one place that performs effects. `createDesk` only composes: it builds the
 * {@link DeskContext} and hands it to the modules named after what they do — `ingest/` (the
 * pipeline stages), `receipts.ts`, `outbox/`, `actions/`, `jobs/`, `webhook.ts`, `queries.ts`.
 */
import type { Classification } from "../classify/classify-text.js";
import type { Priority } from "../domain/enums.js";
import type { InboundEventInput } from "../domain/inbound.js";
import { advance } from "./actions/complaint.js";
import { conversationActions } from "./actions/conversation.js";
import { customerRecordActions } from "./actions/customer-records.js";
import { mergeTicketActions } from "./actions/merge-tickets.js";
import { proactiveActions } from "./actions/send-to-customer.js";
import { recordEventAction } from "./actions/record-event.js";
import { ticketFieldActions } from "./actions/ticket-fields.js";
import { createDeskContext } from "./context.js";
import { ingest } from "./ingest/index.js";
import { autoCloseJob } from "./jobs/auto-close.js";
import { complaintUpdateJob } from "./jobs/complaint-update.js";
import type { JobHandler } from "./jobs/job-handler.js";
import { runDue } from "./jobs/run-due.js";
import { slaCheckJob } from "./jobs/sla-check.js";
import { deskQueries } from "./queries.js";
import { SLA_JOB } from "./sla-refresh.js";
import { AUTO_CLOSE_JOB } from "./ticket-timers.js";
import type { Desk, DeskListener, DeskOptions } from "./types.js";
import { webhookHandler } from "./webhook.js";
import type { DeskEvents } from "./types.js";

/**
 * Creates a support desk over a store and the channels, commerce provider and policies you
 * give it.
 *
 * @example
 * const desk = createDesk({ store: memoryStore(), channels: [emailChannel({ ... })] });
 * desk.on("ticket.created", ({ ticket }) => console.log(ticket.number, ticket.category));
 * await desk.ingest({ type: "message", channel: "email", externalId: "m1", occurredAt: new Date(),
 *   from: { identities: [{ kind: "email", value: "kim@example.com" }] }, text: "배송 언제 와요?" });
 */
export function createDesk(options: DeskOptions): Desk {
  const ctx = createDeskContext(options);
  const { emitter } = ctx;
  const jobs = new Map<string, JobHandler>([
    [SLA_JOB, slaCheckJob],
    ["complaint.update_due", complaintUpdateJob],
    [AUTO_CLOSE_JOB, autoCloseJob],
  ]);
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
    ingest: ingestEvent,
    webhook: (channelId) => webhookHandler(ctx, channelId, ingestEvent),
    ...conversationActions(ctx),
    ...ticketFieldActions(ctx),
    ...mergeTicketActions(ctx),
    advanceComplaint: (ticketId, input, actor, opts) => advance(ctx, ticketId, input, actor, opts),
    ...proactiveActions(ctx),
    ...customerRecordActions(ctx),
    ...recordEventAction(ctx),
    ...deskQueries(ctx),
    runDue: (now, opts) => runDue(ctx, jobs, now, opts),
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
      if (options.ownsStore) await ctx.store.close?.();
    },
  };
  return desk;
}

/** Convenience: the `Priority` and `Classification` types re-exported for desk users. */
export type { Priority, Classification };
