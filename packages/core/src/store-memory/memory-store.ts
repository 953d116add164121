import type { Store, StoreOps } from "../ports/store.js";
import type { Scheduler } from "../ports/scheduler.js";
import { systemClock, type Clock } from "../ports/clock.js";
import { AsyncLocalStorage } from "node:async_hooks";
import { clone, storedJob } from "./memory-copies.js";
import { deleteIn, newTables, rollback, setIn, type Tables, type UndoRef } from "./memory-tables.js";
import { memoryCustomerOps } from "./memory-customer-ops.js";
import { memoryTicketOps } from "./memory-ticket-ops.js";
import { memoryMessageOps } from "./memory-message-ops.js";
import { memoryRecordOps } from "./memory-record-ops.js";

/** A memory store: the Store port plus its scheduler. */
export interface MemoryStore extends Store {
  readonly scheduler: Scheduler;
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The store's now: it stamps a keyed record written without `updatedAt` and decides expiry
   * when a record read passes no `now`. Default: the wall clock. Give it the desk's clock so
   * records written or read outside the desk follow the same time as the desk's own.
   */
  clock?: Clock;
}

/**
 * The in-memory Store: for tests, examples and a single small process.
 * Transactions are serialized and undone on error from an undo log, so the
 * store invariants hold exactly as on PostgreSQL. Data is lost with the process.
 * Messages and events (immutable records) are handed out deep-frozen instead of
 * copied; customers, tickets and jobs as copies, except a ticket's SLA snapshot and
 * complaint case, which are stored deep-frozen and shared by every read of that version.
 *
 * @example
 * const desk = createDesk({ store: memoryStore() });
 * // On a test clock: the store's record stamps and expiry follow the desk's.
 * const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
 * const testDesk = createDesk({ store: memoryStore({ clock }), clock });
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const t: Tables = newTables();
  const clock = options.clock ?? systemClock();

  // One writer at a time; each transaction (and each single write) is a critical section.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  function makeOps(ref: UndoRef): StoreOps {
    const ops: StoreOps = {
      ...memoryCustomerOps(t, ref),
      ...memoryTicketOps(t, ref),
      ...memoryMessageOps(t, ref),
      ...memoryRecordOps(t, ref, clock),
      async scheduleJob(job) {
        setIn(ref.log, t.jobs, job.key, storedJob(job));
      },
      async cancelJob(key) {
        deleteIn(ref.log, t.jobs, key);
      },
      async listJobs(filter) {
        return [...t.jobs.values()]
          .filter((j) => !filter?.ticketId || j.ticketId === filter.ticketId)
          .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
          .map(clone);
      },
    };
    return ops;
  }

  const direct = makeOps({ log: null });
  // The operations handed to transactions: built once (building ~60 closures per transaction was
  // a tenth of ingest's CPU). Transactions are serialized, so the one in progress owns `txRef.log`;
  // operations a transaction leaks and calls after its end take no lock (as before) and log their
  // undo steps into the transaction then in progress, if any.
  const txRef: UndoRef = { log: null };
  const txOps = makeOps(txRef);
  // The transaction a call runs inside, so the store's own methods called from within it join it
  // (instead of waiting for the lock the transaction holds). Enabled only while a transaction is
  // open: on Node 20 an enabled AsyncLocalStorage installs promise hooks that tax every promise in
  // the process, and outside a transaction there is nothing to join. (Inside one they stay: they
  // are a fifth of ingest's instructions, the price of joining store calls made there.)
  const current = new AsyncLocalStorage<{ ops: StoreOps; undo: unknown[]; active: boolean }>();
  // Single operations outside a transaction still take the lock, so they never interleave with one.
  const locked = Object.fromEntries(
    Object.entries(direct).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        const tx = current.getStore();
        // Only while the transaction runs: work it started that outlives it takes the lock like any caller.
        if (tx?.active) return (tx.ops[name as keyof StoreOps] as (...a: unknown[]) => Promise<unknown>)(...args);
        return exclusive(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
      },
    ]),
  ) as unknown as StoreOps;

  const scheduler: Scheduler = {
    specVersion: 1,
    claimDue: (now, { workerId, limit, leaseMs }) =>
      exclusive(async () => {
        const due = [...t.jobs.values()]
          .filter((j) => j.runAt <= now && (!j.lockedUntil || j.lockedUntil <= now))
          .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
          .slice(0, limit);
        const lockedUntil = new Date(now.getTime() + leaseMs);
        for (const j of due) t.jobs.set(j.key, { ...j, lockedBy: workerId, lockedUntil });
        return due.map((j) => clone({ ...j, lockedBy: workerId, lockedUntil }));
      }),
    complete: (job) =>
      exclusive(async () => {
        if (t.jobs.get(job.key)?.id === job.id) t.jobs.delete(job.key);
      }),
    fail: (job, retryAt) =>
      exclusive(async () => {
        const current = t.jobs.get(job.key);
        if (current?.id === job.id)
          t.jobs.set(job.key, {
            ...current,
            attempts: current.attempts + 1,
            runAt: retryAt,
            lockedBy: null,
            lockedUntil: null,
          });
      }),
    defer: (job, runAt) =>
      exclusive(async () => {
        const current = t.jobs.get(job.key);
        if (current?.id === job.id) t.jobs.set(job.key, { ...current, runAt, lockedBy: null, lockedUntil: null });
      }),
  };

  return {
    specVersion: 1,
    ...locked,
    scheduler,
    transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
      const outer = current.getStore();
      if (outer?.active) {
        // Nested: a savepoint in the enclosing transaction. A failure undoes only its own writes.
        const mark = outer.undo.length;
        return fn(outer.ops).catch((err: unknown) => {
          rollback(outer.undo, mark);
          throw err;
        });
      }
      return exclusive(async () => {
        const undo: unknown[] = [];
        txRef.log = undo;
        const context = { ops: txOps, undo, active: true };
        try {
          return await current.run(context, () => fn(context.ops));
        } catch (err) {
          rollback(undo, 0);
          throw err;
        } finally {
          context.active = false;
          txRef.log = null;
          // No transaction is open now (they are serialized): drop the promise hooks until the next
          // one (`run` enables them again). Work this one leaked keeps its inactive context.
          current.disable();
        }
      });
    },
  };
}
