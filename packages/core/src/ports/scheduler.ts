import type { Job } from "../domain/job.js";

/**
 * Claims due jobs for execution. Jobs themselves are written through the
 * {@link StoreOps} (`scheduleJob`) inside the transaction that causes them, so a
 * job exists exactly when the change that needs it landed. The scheduler hands
 * each due job to one runner at a time across every instance sharing the store.
 */
export interface Scheduler {
  readonly specVersion: 1;
  /**
   * Atomically leases up to `limit` jobs with `runAt <= now` that no live lease holds,
   * to `workerId` until `now + leaseMs`. A job whose lease expired (its worker died) is claimable again.
   */
  claimDue(now: Date, options: { workerId: string; limit: number; leaseMs: number }): Promise<Job[]>;
  /** The job ran: remove the job with this `id` (a replacement scheduled meanwhile under the same key has another id and stays). */
  complete(job: Job): Promise<void>;
  /** The job failed: release it to run again at `retryAt`, counting the attempt. */
  fail(job: Job, retryAt: Date): Promise<void>;
  /**
   * The job did not run (this instance has no handler for its type, e.g. a plugin removed between
   * deploys): release it to run at `runAt` without counting an attempt, so it keeps all its attempts
   * for when a handler is back. Like `complete` and `fail`, it acts only on the job with this `id`.
   * Optional: the desk calls `fail` on a scheduler without it (the wait then counts as an attempt).
   */
  defer?(job: Job, runAt: Date): Promise<void>;
}
