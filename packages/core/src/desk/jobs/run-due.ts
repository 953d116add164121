/** The scheduler loop: claim due jobs, hand each to the handler of its type, retry or abandon. */
import { z } from "zod";
import { StoredeskError } from "../../errors.js";
import { parseInput } from "../../validate.js";
import type { DeskContext } from "../context.js";
import { mutateTicket } from "../save-ticket.js";
import type { JobHandler } from "./job-handler.js";
import { OUTBOX_JOB } from "../outbox/queue.js";
import { outboxJob } from "../outbox/sender.js";

/** A job failing this many times is set aside with a `job.abandoned` audit event. */
export const MAX_JOB_ATTEMPTS = 5;

/**
 * How long a job whose type has no handler here waits before it is tried again (one hour).
 * It is never deleted for that: the handler may be back after the next deploy.
 */
export const UNHANDLED_JOB_RETRY_MS = 3_600_000;

/** What one `desk.runDue()` call did. */
export interface RunDueResult {
  /** Jobs whose handler finished (done, or asking to run again later). */
  ran: number;
  /** Jobs whose handler threw (retried with backoff, or abandoned after {@link MAX_JOB_ATTEMPTS}). */
  failed: number;
  /** Jobs of a type with no handler on this desk, kept and put off by {@link UNHANDLED_JOB_RETRY_MS}. */
  deferred: number;
}

/**
 * Fires every scheduled job due at `now` (SLA warnings and breaches, complaint updates,
 * auto-close, the outbox's sends and retries, plugins' jobs). Safe to call from several instances: the scheduler leases each
 * job to one of them. Returns how many jobs ran, failed and were deferred.
 *
 * A job whose type has no handler (a plugin removed or not yet deployed on this instance) is not
 * run and not deleted: it stays pending, put off by {@link UNHANDLED_JOB_RETRY_MS} (without
 * counting an attempt when the scheduler has `defer`), and every time it comes due the desk's
 * `error` event reports it (`UNSUPPORTED`, `details.jobType`). Re-register the handler to run it,
 * or cancel it by key (`store.cancelJob(key)`) to drop it.
 *
 * @example
 * await runDue(ctx, handlers, new Date());
 */
export async function runDue(
  ctx: DeskContext,
  handlers: ReadonlyMap<string, JobHandler>,
  now: Date = ctx.clock.now(),
  opts: { limit?: number; leaseMs?: number } = {},
): Promise<RunDueResult> {
  parseInput(
    z.date().refine((d) => !Number.isNaN(d.getTime()), "a valid date"),
    now,
    "time",
  );
  const { scheduler, emitter } = ctx;
  if (!scheduler)
    throw new StoredeskError({ code: "UNSUPPORTED", message: "This store has no scheduler; pass one to createDesk" });
  const limit = opts.limit ?? 50;
  let ran = 0;
  let failed = 0;
  let deferred = 0;
  for (;;) {
    const jobs = await scheduler.claimDue(now, { workerId: ctx.workerId, limit, leaseMs: opts.leaseMs ?? 60_000 });
    if (jobs.length === 0) break;
    for (const job of jobs) {
      try {
        const handler = job.type === OUTBOX_JOB ? undefined : handlers.get(job.type);
        if (job.type !== OUTBOX_JOB && !handler) {
          // Deleting it would lose work silently (a plugin removed between deploys, an instance not yet
          // upgraded): keep it, and move its runAt past `now` so this call's next claimDue skips it.
          const retryAt = new Date(now.getTime() + UNHANDLED_JOB_RETRY_MS);
          await (scheduler.defer ? scheduler.defer(job, retryAt) : scheduler.fail(job, retryAt));
          deferred++;
          const error = new StoredeskError({
            code: "UNSUPPORTED",
            message: `No handler for job type ${job.type}: kept, tried again at ${retryAt.toISOString()}`,
            details: {
              jobId: job.id,
              jobType: job.type,
              key: job.key,
              ticketId: job.ticketId,
              retryAt: retryAt.toISOString(),
            },
          });
          emitter.emit("error", { error, context: `job ${job.type} ${job.id} (no handler)` });
          continue;
        }
        const outcome = handler ? await handler(ctx, job, now) : await outboxJob(ctx, job);
        if (outcome?.retryAt) await scheduler.fail(job, outcome.retryAt);
        else await scheduler.complete(job);
        ran++;
      } catch (error) {
        failed++;
        emitter.emit("error", {
          error,
          context: `job ${job.type} ${job.id} (attempt ${job.attempts + 1} of ${MAX_JOB_ATTEMPTS})`,
        });
        if (job.attempts + 1 >= MAX_JOB_ATTEMPTS) {
          // Give up loudly: an audit event on the ticket says what was not done.
          await scheduler.complete(job);
          if (job.ticketId) {
            const data = {
              job: job.type,
              key: job.key,
              attempts: job.attempts + 1,
              error: error instanceof Error ? error.message : "unknown",
            };
            await mutateTicket(ctx, job.ticketId, { kind: "system", id: "scheduler" }, (current) => ({
              ok: true,
              value: current,
              events: [{ type: "job.abandoned", data }],
              effects: [],
            })).catch((e: unknown) =>
              emitter.emit("error", { error: e, context: `recording abandoned job ${job.id}` }),
            );
          }
        } else {
          await scheduler.fail(job, new Date(now.getTime() + Math.min(3_600_000, 30_000 * 2 ** job.attempts)));
        }
      }
    }
    if (jobs.length < limit) break;
  }
  return { ran, failed, deferred };
}
