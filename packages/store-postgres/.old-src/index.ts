/**
 * @storedesk/store-postgres: the storedesk `Store` and `Scheduler` ports on
 * PostgreSQL, through node-postgres for a server or PGlite embedded in the process,
 * with versioned migrations applied at start-up.
 *
 * @packageDocumentation
 */
export { postgresStore, type PostgresStore } from "./postgres-store.js";
export { postgresScheduler, type PostgresScheduler } from "./postgres-scheduler.js";
export type { PostgresConnection, PostgresOptions } from "./connection.js";
export { MIGRATIONS, type Migration } from "./migrations.js";
