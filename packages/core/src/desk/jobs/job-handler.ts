/** What a job handler is: the work of one scheduled job type. */
import type { Job } from "../../domain/job.js";
import type { DeskContext } from "../context.js";

/**
 * Runs one claimed job at `now`. Throwing retries the job with backoff (up to the desk's limit);
 * returning completes it. Must be safe to run twice (a lease can expire mid-run).
 *
 * @example
 * const handler: JobHandler = async (ctx, job, now) => { ... };
 */
export type JobHandler = (ctx: DeskContext, job: Job, now: Date) => Promise<void>;
