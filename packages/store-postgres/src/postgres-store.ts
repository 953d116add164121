/** The storedesk `Store` port on PostgreSQL (node-postgres) or PGlite, with one set of SQL for both. */
import { AsyncLocalStorage } from "node:async_hooks";
import { type Store, type StoreOps, type ReportSource } from "@storedesk/core";
import {
  openConnection,
  registerConnection,
  type Connection,
  type PostgresConnection,
  type PostgresOptions,
} from "./connection.js";
import { schedulerOn, type PostgresScheduler } from "./postgres-scheduler.js";
import type { SqlClient } from "./sql-client.js";
import { recordOps } from "./record-ops.js";
import { customerEventOps } from "./customer-event-ops.js";
import { postgresReports } from "./reports.js";
import { customerOps } from "./customer-ops.js";
import { ticketOps } from "./ticket-ops.js";
import { messageEventOps } from "./message-event-ops.js";
import { idempotencyOps } from "./idempotency-ops.js";
import { jobOps } from "./job-ops.js";

/** A {@link Store} on PostgreSQL, with its migration hook. */
export interface PostgresStore extends Store {
  /** The schema holding the tables. */
  readonly schema: string;
  /** The scheduler over this store's jobs (the same as `postgresScheduler(store)`); `createDesk` picks it up. */
  readonly scheduler: PostgresScheduler;
  /** Reports aggregated in SQL (core's `ReportSource`; `reportsPlugin()` uses it). */
  readonly reports: ReportSource;
  /**
   * Applies pending migrations now (they also run automatically before the first
   * statement unless `migrate: false`). Returns the versions applied.
   */
  migrate(): Promise<number[]>;
  /** Ends the pool or PGlite instance if the store created it (from `connectionString`); a pool or PGlite you passed stays open. */
  close(): Promise<void>;
}

/** The Store port's operations on `db()` (the pool, or the transaction's connection). */
function makeOps(conn: Connection, db: () => SqlClient): StoreOps {
  return {
    ...recordOps(conn, db),
    ...customerEventOps(conn, db),
    ...customerOps(conn, db),
    ...ticketOps(conn, db),
    ...messageEventOps(conn, db),
    ...idempotencyOps(conn, db),
    ...jobOps(conn, db),
  };
}

/**
 * The storedesk {@link Store} on PostgreSQL. The same SQL runs on a PostgreSQL
 * server through node-postgres (`{ pool }` or `{ connectionString }`) and on the
 * embedded PGlite (`{ pglite }`). Migrations run before the first statement.
 *
 * Inside `transaction(fn)`, every call, whether on the `tx` handed to `fn` or on the store
 * itself, runs on the transaction's connection; a nested `transaction()` becomes a SAVEPOINT.
 * A connection lost mid-transaction (server restart, killed backend) rolls back and
 * surfaces as a retryable `PROVIDER_UNAVAILABLE`; a duplicate or stale write as `CONFLICT`.
 *
 * @example
 * import { PGlite } from "@electric-sql/pglite";
 * const store = postgresStore({ pglite: new PGlite("./.data/storedesk") });
 * // or, for several instances: postgresStore({ connectionString: process.env.DATABASE_URL! })
 * const desk = createDesk({ store, scheduler: postgresScheduler(store) });
 */
export function postgresStore(connection: PostgresConnection, options: PostgresOptions = {}): PostgresStore {
  const conn = openConnection(connection, options);
  const context = new AsyncLocalStorage<{ tx: SqlClient; open: boolean }>();
  // Outside a transaction, calls use the pool; inside one (in fn's async context) its connection.
  const current = (): SqlClient => {
    const ctx = context.getStore();
    return ctx?.open ? ctx.tx : conn.client;
  };
  const ops = makeOps(conn, current);

  const store: PostgresStore = {
    specVersion: 1,
    schema: conn.schema,
    scheduler: schedulerOn(conn, false),
    reports: postgresReports(conn),
    ...ops,
    async transaction(fn) {
      await conn.ready();
      const outer = context.getStore();
      const base = outer?.open ? outer.tx : conn.client;
      return base.transaction(async (tx) => {
        const ctx = { tx, open: true };
        try {
          return await context.run(ctx, () => fn(makeOps(conn, () => tx)));
        } finally {
          // Work fn left running after it returned must not reuse a released connection.
          ctx.open = false;
        }
      });
    },
    migrate: () => conn.migrate(),
    close: () => conn.client.close(),
  };
  registerConnection(store, conn);
  return store;
}
