import { describe, expect, it } from "vitest";
import { StoredeskError } from "../../errors.js";
import type { Job } from "../../domain/job.js";
import type { Scheduler } from "../../ports/scheduler.js";
import { defineDeskPlugin } from "../../ports/desk-plugin.js";
import { memoryStore } from "../../store-memory/index.js";
import { T0, msg, setup } from "../create-desk-kit.js";
import { MAX_JOB_ATTEMPTS, UNHANDLED_JOB_RETRY_MS } from "./run-due.js";

const HOUR = UNHANDLED_JOB_RETRY_MS;

/** A pending job due at `at` (default T0). */
function job(key: string, type: string, ticketId: string | null, at = T0): Job {
  return {
    id: `job_${key}`,
    key,
    type,
    ticketId,
    runAt: at,
    payload: { key },
    attempts: 0,
    lockedBy: null,
    lockedUntil: null,
  };
}

/** A desk on a memory store with its `error` events collected. */
function deskWithErrors(opts: Parameters<typeof setup>[0] = {}) {
  const kit = setup({ autoAcknowledge: false, ...opts });
  const errors: Array<{ error: unknown; context: string }> = [];
  kit.desk.on("error", (e) => errors.push(e));
  return { ...kit, errors };
}

describe("runDue with a job whose type has no handler", () => {
  it("keeps the job, puts it off by an hour and reports it, with or without a ticket", async () => {
    const { desk, store, errors } = deskWithErrors();
    const { ticket } = await desk.ingest(msg("배송 언제 와요?"));
    await store.scheduleJob(job("gone:ticket", "removed-plugin.check", ticket!.id));
    await store.scheduleJob(job("gone:none", "removed-plugin.sweep", null));

    expect(await desk.runDue(T0)).toEqual({ ran: 0, failed: 0, deferred: 2 });

    const kept = (await store.listJobs()).filter((j) => j.key.startsWith("gone:"));
    expect(kept.map((j) => [j.key, j.runAt.getTime(), j.attempts, j.lockedBy]).sort()).toEqual([
      ["gone:none", T0.getTime() + HOUR, 0, null],
      ["gone:ticket", T0.getTime() + HOUR, 0, null],
    ]);
    expect(errors.map((e) => [StoredeskError.is(e.error, "UNSUPPORTED"), e.context]).sort()).toEqual([
      [true, "job removed-plugin.check job_gone:ticket (no handler)"],
      [true, "job removed-plugin.sweep job_gone:none (no handler)"],
    ]);
    const sweep = errors.find((e) => e.context.includes("sweep"))!.error as StoredeskError;
    expect(sweep.details).toEqual({
      jobId: "job_gone:none",
      jobType: "removed-plugin.sweep",
      key: "gone:none",
      ticketId: null,
      retryAt: new Date(T0.getTime() + HOUR).toISOString(),
    });
  });

  it("reports it again each time it comes due, and not before", async () => {
    const { desk, store, errors } = deskWithErrors();
    await store.scheduleJob(job("gone:1", "removed-plugin.check", null));
    await desk.runDue(T0);
    expect(await desk.runDue(new Date(T0.getTime() + HOUR - 1))).toEqual({ ran: 0, failed: 0, deferred: 0 });
    expect(errors).toHaveLength(1);
    for (let hour = 1; hour <= MAX_JOB_ATTEMPTS + 2; hour++)
      expect((await desk.runDue(new Date(T0.getTime() + hour * HOUR))).deferred).toBe(1);
    expect(errors).toHaveLength(MAX_JOB_ATTEMPTS + 3);
    // Waiting for a handler is not failing: however often it was put off, it keeps all its attempts.
    expect(await store.listJobs()).toMatchObject([{ key: "gone:1", attempts: 0 }]);
  });

  it("does not spin in one call: a looping runDue (limit 1) puts each off once and still runs the jobs behind them", async () => {
    const ran: string[] = [];
    const known = defineDeskPlugin({
      specVersion: 1,
      id: "known",
      jobs: { "known.task": async ({ job: j }) => void ran.push(j.key) },
    });
    const { desk, store, errors } = deskWithErrors({ plugins: [known] });
    for (const n of [1, 2, 3]) await store.scheduleJob(job(`gone:${n}`, "removed-plugin.check", null));
    // Due after them: the loop must get past the unhandled jobs to reach it.
    await store.scheduleJob(job("known:1", "known.task", null, new Date(T0.getTime() + 1)));
    const result = await desk.runDue(new Date(T0.getTime() + 1000), { limit: 1 });
    expect(result).toEqual({ ran: 1, failed: 0, deferred: 3 });
    expect(ran).toEqual(["known:1"]);
    expect(errors).toHaveLength(3);
    expect((await store.listJobs()).map((j) => j.key)).toEqual(["gone:1", "gone:2", "gone:3"]);
  });

  it("falls back to fail on a scheduler without defer: kept and put off, the wait counted as an attempt", async () => {
    const store = memoryStore();
    const memory = store.scheduler;
    const scheduler: Scheduler = {
      specVersion: 1,
      claimDue: (now, options) => memory.claimDue(now, options),
      complete: (j) => memory.complete(j),
      fail: (j, retryAt) => memory.fail(j, retryAt),
    };
    const { desk, errors } = deskWithErrors({ store, scheduler });
    await store.scheduleJob(job("gone:1", "removed-plugin.check", null));
    expect(await desk.runDue(T0)).toEqual({ ran: 0, failed: 0, deferred: 1 });
    expect(await store.listJobs()).toMatchObject([
      { key: "gone:1", attempts: 1, runAt: new Date(T0.getTime() + HOUR), lockedBy: null },
    ]);
    expect(errors).toHaveLength(1);
  });
});
