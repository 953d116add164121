/** The jobs table of the Store port on PostgreSQL (claiming is the scheduler's, postgres-scheduler.ts). */
import { JobSchema, parseInput, type StoreOps } from "@storedesk/core";
import type { Connection } from "./connection.js";
import { JOB_COLUMNS, json, toJob, type JobRow } from "./rows.js";
import type { SqlClient } from "./sql-client.js";

/** The SET list of a job written by key: the new job replaces the old one whole (a new id). */
export const JOB_UPSERT =
  "id = EXCLUDED.id, type = EXCLUDED.type, ticket_id = EXCLUDED.ticket_id, run_at = EXCLUDED.run_at, " +
  "payload = EXCLUDED.payload, attempts = EXCLUDED.attempts, locked_by = EXCLUDED.locked_by, locked_until = EXCLUDED.locked_until";

/** The jobs table of the Store port on PostgreSQL (claiming is the scheduler's, postgres-scheduler.ts). */
export function jobOps(
  conn: Connection,
  db: () => SqlClient,
): Pick<StoreOps, "scheduleJob" | "cancelJob" | "listJobs"> {
  const { s } = conn;

  return {
    async scheduleJob(input) {
      const j = parseInput(JobSchema, input, "job");
      await conn.ready();
      // Replacing by key gives a new id, so a running copy's complete(id) leaves the replacement alone.
      // A lease given with the job is kept (the outbox's own send): claimDue skips it until it ends.
      await db().query(
        `INSERT INTO ${s}.jobs (${JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9)
           ON CONFLICT (key) DO UPDATE SET ${JOB_UPSERT}`,
        [j.id, j.key, j.type, j.ticketId, j.runAt, json(j.payload), j.attempts, j.lockedBy, j.lockedUntil],
      );
    },

    async cancelJob(key) {
      await conn.ready();
      await db().query(`DELETE FROM ${s}.jobs WHERE key = $1`, [key]);
    },

    async listJobs(filter) {
      await conn.ready();
      const byTicket = filter?.ticketId !== undefined;
      const { rows } = await db().query<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM ${s}.jobs${byTicket ? " WHERE ticket_id = $1" : ""} ORDER BY run_at, id`,
        byTicket ? [filter.ticketId] : [],
      );
      return rows.map(toJob);
    },
  };
}
