/**
 * The in-process sender: sends what this instance queued right after its commit, keeps the
 * sends in flight so `desk.settle()` and `desk.close()` can wait for them, and the
 * scheduler's `outbox.send` job for what is left (a retry, or a message queued by an
 * instance that died before sending).
 */
import type { Job } from "../../domain/job.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { DeskContext } from "../context.js";
import { deliver, type Delivery, type KnownState } from "./deliver.js";
import type { Queued } from "./queue.js";

/** How long `desk.reply` and friends wait: `queued` (the commit) or `sent` (the first attempt). */
export type OutboxWait = "queued" | "sent";

/**
 * Starts sending a message this instance just queued (it holds the job's lease). The
 * returned promise never rejects: errors are recorded on the message and reported.
 *
 * @example
 * const delivery = startSend(ctx, queued, { ticket, customer, thread });
 */
export function startSend(ctx: DeskContext, queued: Queued, known?: KnownState): Promise<Delivery> {
  const run = (async (): Promise<Delivery> => {
    try {
      const result = await deliver(ctx, queued.message, queued.job, known);
      if (result.retryAt) {
        if (ctx.scheduler) await ctx.scheduler.fail(queued.job, result.retryAt);
        else
          ctx.emitter.emit("error", {
            error: result.error,
            context: `message ${queued.message.id}: no scheduler to retry it`,
          });
      }
      return result;
    } catch (error) {
      // The store failed around the send: the job's lease ends and the scheduler tries again.
      ctx.emitter.emit("error", { error, context: `sending message ${queued.message.id}` });
      return { message: queued.message, error, retryAt: null };
    }
  })();
  ctx.outboxInFlight.add(run);
  void run.finally(() => ctx.outboxInFlight.delete(run));
  return run;
}

/**
 * Starts the sends of what a commit queued and, when `wait` is `sent`, waits for their first
 * attempt. Returns the messages as they stand: `queued` (or still queued with a retry
 * scheduled), `sent`; a message that failed for good rejects the call with the provider's error
 * when waited for.
 *
 * @example
 * const [message] = await sendQueued(ctx, ticket, [queued], "sent");
 */
export async function sendQueued(
  ctx: DeskContext,
  ticket: Ticket,
  queued: readonly Queued[],
  wait: OutboxWait | undefined,
  known?: KnownState,
): Promise<Message[]> {
  for (const q of queued) ctx.emitter.emit("message.queued", { ticket, message: q.message });
  const runs = queued.map((q) =>
    startSend(ctx, q, known && known.ticket.id === q.message.ticketId ? known : undefined),
  );
  if ((wait ?? ctx.settings.outbox.wait) !== "sent") return queued.map((q) => q.message);
  const done = await Promise.all(runs);
  const failed = done.find((d) => d.message.deliveryStatus === "failed");
  if (failed)
    throw failed.error instanceof Error
      ? failed.error
      : new StoredeskError({ code: "PROVIDER_ERROR", message: "The channel failed to send", cause: failed.error });
  return done.map((d) => d.message);
}

/**
 * Waits until every send this instance started has finished its attempt (a script's end, a
 * test). Retries scheduled for later are not waited for (`desk.runDue` runs them).
 *
 * @example
 * await settleOutbox(ctx);
 */
export async function settleOutbox(ctx: DeskContext): Promise<void> {
  while (ctx.outboxInFlight.size > 0) await Promise.all([...ctx.outboxInFlight]);
}

/**
 * The `outbox.send` job: sends a message still `queued` (a retry, or one whose first sender
 * died); a message already sent or failed is left alone, so a job run twice sends once.
 *
 * @example
 * const outcome = await outboxJob(ctx, job); // { retryAt } when it must run again
 */
export async function outboxJob(ctx: DeskContext, job: Job): Promise<{ retryAt: Date } | undefined> {
  const messageId = typeof job.payload.messageId === "string" ? job.payload.messageId : null;
  const message = messageId ? await ctx.store.getMessage(messageId) : null;
  if (!message || message.deliveryStatus !== "queued") return;
  const run = deliver(ctx, message, job);
  ctx.outboxInFlight.add(run);
  try {
    const result = await run;
    return result.retryAt ? { retryAt: result.retryAt } : undefined;
  } finally {
    ctx.outboxInFlight.delete(run);
  }
}
