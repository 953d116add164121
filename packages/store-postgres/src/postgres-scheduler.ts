/** The storedesk `Scheduler` port on PostgreSQL: leases due jobs with FOR UPDATE SKIP LOCKED, so each fires once across instances. */
import { StoredeskError, type Job, type Scheduler } from "@storedesk/core";
import {
  connectionOf,
  openConnection,
  type Connection,
  type PostgresConnection,
  type PostgresOptions,
} from "./connection.js";
import type { PostgresStore } from "./postgres-store.js";
import { JOB_COLUMNS, toJob, type JobRow } from "./rows.js";

/** A {@link Scheduler} on PostgreSQL. */
export interface PostgresScheduler extends Scheduler {
  /** Always present here: a job is put off without counting an attempt (see {@link Scheduler.defer}). */
  defer(job: Job, runAt: Date): Promise<void>;
  /** Ends the connection if this scheduler created it (from connection options); one sharing a store's pool leaves it to the store. */
  close(): Promise<void>;
}

/**
 * The storedesk {@link Scheduler} on the same tables as {@link postgresStore}.
 * `claimDue` leases due jobs atomically (`FOR UPDATE SKIP LOCKED`), so several
 * instances claiming at once never get the same job; a job whose runner died is
 * claimable again once its lease (`leaseMs`) ran out. Pass the store to share its pool.
 *
 * @example
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL! });
 * const scheduler = postgresScheduler(store);
 * const desk = createDesk({ store, scheduler });
 * setInterval(() => void desk.runDue(), 5_000);
 */
export function postgresScheduler(
  source: PostgresStore | PostgresConnection,
  options: PostgresOptions = {},
): PostgresScheduler {
  const shared = connectionOf(source);
  return schedulerOn(shared ?? openConnection(source as PostgresConnection, options), shared === undefined);
}

/** @internal The scheduler on an open connection; `owned` says whether `close()` ends it. */
export function schedulerOn(conn: Connection, owned: boolean): PostgresScheduler {
  const { s } = conn;
  return {
    specVersion: 1,
    async claimDue(now, { workerId, limit, leaseMs }) {
      if (!(now instanceof Date) || Number.isNaN(now.getTime()))
        throw new StoredeskError({ code: "INVALID_INPUT", message: "now must be a valid Date", path: ["now"] });
      if (typeof workerId !== "string" || workerId.length === 0)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "workerId must be a non-empty string",
          path: ["workerId"],
        });
      if (!Number.isSafeInteger(limit) || limit < 0)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "limit must be a non-negative integer",
          path: ["limit"],
        });
      if (!Number.isFinite(leaseMs) || leaseMs <= 0)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "leaseMs must be a positive number",
          path: ["leaseMs"],
        });
      if (limit === 0) return [];
      await conn.ready();
      // One statement: pick due, unleased (or lease-expired) rows, skipping rows another
      // instance is claiming this very moment, and lease them to this worker.
      const { rows } = await conn.client.query<JobRow>(
        `UPDATE ${s}.jobs SET locked_by = $2, locked_until = $3
          WHERE id IN (
            SELECT id FROM ${s}.jobs
             WHERE run_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
             ORDER BY run_at, id
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
          RETURNING ${JOB_COLUMNS}`,
        [now, workerId, new Date(now.getTime() + leaseMs), limit],
      );
      return rows
        .map(toJob)
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async complete(job: Job) {
      await conn.ready();
      await conn.client.query(`DELETE FROM ${s}.jobs WHERE id = $1`, [job.id]);
    },

    async fail(job: Job, retryAt: Date) {
      if (!(retryAt instanceof Date) || Number.isNaN(retryAt.getTime()))
        throw new StoredeskError({ code: "INVALID_INPUT", message: "retryAt must be a valid Date", path: ["retryAt"] });
      await conn.ready();
      await conn.client.query(
        `UPDATE ${s}.jobs SET attempts = attempts + 1, run_at = $2, locked_by = NULL, locked_until = NULL WHERE id = $1`,
        [job.id, retryAt],
      );
    },

    async defer(job: Job, runAt: Date) {
      if (!(runAt instanceof Date) || Number.isNaN(runAt.getTime()))
        throw new StoredeskError({ code: "INVALID_INPUT", message: "runAt must be a valid Date", path: ["runAt"] });
      await conn.ready();
      // No attempt counted: the job did not run (no handler for its type on this instance).
      await conn.client.query(`UPDATE ${s}.jobs SET run_at = $2, locked_by = NULL, locked_until = NULL WHERE id = $1`, [
        job.id,
        runAt,
      ]);
    },

    async close() {
      if (owned) await conn.client.close();
    },
  };
}
