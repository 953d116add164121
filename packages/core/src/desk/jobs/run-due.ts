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
 * Fires every scheduled job due at `now` (SLA warnings and breaches, complaint updates,
 * auto-close, the outbox's sends and retries, plugins' jobs). Safe to call from several instances: the scheduler leases each
 * job to one of them. Returns how many jobs ran and failed.
 *
 * @example
 * await runDue(ctx, handlers, new Date());
 */
export async function runDue(
  ctx: DeskContext,
  handlers: ReadonlyMap<string, JobHandler>,
  now: Date = ctx.clock.now(),
  opts: { limit?: number; leaseMs?: number } = {},
): Promise<{ ran: number; failed: number }> {
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
  for (;;) {
    const jobs = await scheduler.claimDue(now, { workerId: ctx.workerId, limit, leaseMs: opts.leaseMs ?? 60_000 });
    if (jobs.length === 0) break;
    for (const job of jobs) {
      try {
        const handler = handlers.get(job.type);
        const outcome =
          job.type === OUTBOX_JOB ? await outboxJob(ctx, job) : handler ? await handler(ctx, job, now) : undefined;
        if (!handler && job.type !== OUTBOX_JOB && job.ticketId) {
          const unknown = new StoredeskError({ code: "UNSUPPORTED", message: `Unknown job type ${job.type}` });
          emitter.emit("error", { error: unknown, context: `job ${job.id}` });
        }
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
  return { ran, failed };
}
