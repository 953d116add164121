/**
 * The store conformance suite's scheduler family: jobs by key, leases and retries.
 */
import { describe, expect, it } from "vitest";
import type { Job } from "../domain/job.js";
import { T0, uid, type StoreSuite } from "./store-conformance-kit.js";

/** Registers the scheduler family's tests (inside `runStoreConformance`'s block). */
export function schedulerConformance(suite: StoreSuite): void {
  it("schedules, replaces and cancels jobs by key", async () => {
    const job = (runAt: Date, id = uid("job")): Job => ({
      id,
      key: "sla:t1",
      type: "sla.check",
      ticketId: null,
      runAt,
      payload: { n: 1 },
      attempts: 0,
      lockedBy: null,
      lockedUntil: null,
    });
    await suite.store.scheduleJob(job(new Date(T0.getTime() + 1000)));
    const replacement = job(new Date(T0.getTime() + 2000));
    await suite.store.scheduleJob(replacement);
    expect(await suite.store.listJobs()).toEqual([replacement]);
    await suite.store.cancelJob("sla:t1");
    expect(await suite.store.listJobs()).toEqual([]);
  });

  describe("scheduler", () => {
    it("hands each due job to one worker, and again after its lease expires", async () => {
      const scheduler = suite.store.scheduler;
      if (!scheduler) {
        expect.fail(
          `${suite.options.name} has no scheduler: every store should offer one (or the desk cannot fire SLA timers)`,
        );
      }
      const due = (key: string, at: number): Job => ({
        id: uid("job"),
        key,
        type: "sla.check",
        ticketId: null,
        runAt: new Date(T0.getTime() + at),
        payload: {},
        attempts: 0,
        lockedBy: null,
        lockedUntil: null,
      });
      await suite.store.scheduleJob(due("a", 0));
      await suite.store.scheduleJob(due("b", 10));
      await suite.store.scheduleJob(due("later", 60_000));
      const now = new Date(T0.getTime() + 1000);
      const [w1, w2] = await Promise.all([
        scheduler.claimDue(now, { workerId: "w1", limit: 10, leaseMs: 30_000 }),
        scheduler.claimDue(now, { workerId: "w2", limit: 10, leaseMs: 30_000 }),
      ]);
      expect([...w1, ...w2].map((j) => j.key).sort()).toEqual(["a", "b"]);
      // w1/w2 die: after the lease the jobs come back, with no double-claim meanwhile.
      expect(
        await scheduler.claimDue(new Date(now.getTime() + 1000), { workerId: "w3", limit: 10, leaseMs: 30_000 }),
      ).toEqual([]);
      const again = await scheduler.claimDue(new Date(now.getTime() + 31_000), {
        workerId: "w3",
        limit: 10,
        leaseMs: 30_000,
      });
      expect(again.map((j) => j.key).sort()).toEqual(["a", "b"]);
      for (const j of again) await scheduler.complete(j);
      expect((await suite.store.listJobs()).map((j) => j.key)).toEqual(["later"]);
    });

    it("keeps a job re-scheduled while its old copy ran, and retries a failed one later", async () => {
      const scheduler = suite.store.scheduler!;
      const job: Job = {
        id: uid("job"),
        key: "sla:x",
        type: "sla.check",
        ticketId: null,
        runAt: T0,
        payload: {},
        attempts: 0,
        lockedBy: null,
        lockedUntil: null,
      };
      await suite.store.scheduleJob(job);
      const [claimed] = await scheduler.claimDue(T0, { workerId: "w1", limit: 1, leaseMs: 60_000 });
      expect(claimed?.id).toBe(job.id);
      const replacement = { ...job, id: uid("job"), runAt: new Date(T0.getTime() + 5000) };
      await suite.store.scheduleJob(replacement);
      await scheduler.complete(claimed!);
      expect((await suite.store.listJobs()).map((j) => j.id)).toEqual([replacement.id]);
      const [second] = await scheduler.claimDue(new Date(T0.getTime() + 5000), {
        workerId: "w1",
        limit: 1,
        leaseMs: 60_000,
      });
      await scheduler.fail(second!, new Date(T0.getTime() + 9000));
      const [after] = await suite.store.listJobs();
      expect(after?.attempts).toBe(1);
      expect(after?.runAt.getTime()).toBe(T0.getTime() + 9000);
      expect(
        await scheduler.claimDue(new Date(T0.getTime() + 8000), { workerId: "w2", limit: 1, leaseMs: 60_000 }),
      ).toEqual([]);
      expect(
        await scheduler.claimDue(new Date(T0.getTime() + 9000), { workerId: "w2", limit: 1, leaseMs: 60_000 }),
      ).toHaveLength(1);
    });

    it("puts off a job that did not run without counting an attempt, and only that copy of it", async () => {
      const scheduler = suite.store.scheduler!;
      // Optional in the port (the desk falls back to `fail`): checked where a store offers it.
      if (!scheduler.defer) return;
      const job: Job = {
        id: uid("job"),
        key: "gone:1",
        type: "removed-plugin.check",
        ticketId: null,
        runAt: T0,
        payload: { n: 1 },
        attempts: 2,
        lockedBy: null,
        lockedUntil: null,
      };
      await suite.store.scheduleJob(job);
      const [claimed] = await scheduler.claimDue(T0, { workerId: "w1", limit: 1, leaseMs: 60_000 });
      const later = new Date(T0.getTime() + 3_600_000);
      await scheduler.defer(claimed!, later);
      expect(await suite.store.listJobs()).toEqual([{ ...job, runAt: later }]);
      expect(
        await scheduler.claimDue(new Date(later.getTime() - 1), { workerId: "w2", limit: 1, leaseMs: 60_000 }),
      ).toEqual([]);
      const [again] = await scheduler.claimDue(later, { workerId: "w2", limit: 1, leaseMs: 60_000 });
      expect(again).toMatchObject({ id: job.id, attempts: 2, lockedBy: "w2" });
      // A replacement scheduled meanwhile under the same key is left alone.
      const replacement = { ...job, id: uid("job"), runAt: new Date(later.getTime() + 5000), attempts: 0 };
      await suite.store.scheduleJob(replacement);
      await scheduler.defer(again!, new Date(later.getTime() + 99_000));
      expect(await suite.store.listJobs()).toEqual([replacement]);
    });
  });
}
