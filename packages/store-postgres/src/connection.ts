/** Turns the user's connection option into a {@link SqlClient} and runs migrations once, lazily. */
import type { PGliteInterface } from "@electric-sql/pglite";
import pg from "pg";
import type { Pool, PoolConfig } from "pg";
import { StoredeskError, systemClock, type Clock } from "@storedesk/core";
import { pgDriver } from "./drivers/pg-driver.js";
import { pgliteDriver } from "./drivers/pglite-driver.js";
import { migrate, quoteSchema } from "./migrations.js";
import { observeStatements, type SqlClient } from "./sql-client.js";

/**
 * Where the data lives: a node-postgres `Pool` you own, a PGlite instance you own,
 * or a connection string (the store then creates the pool and ends it on `close()`).
 */
export type PostgresConnection =
  | { pool: Pool }
  | { pglite: PGliteInterface }
  | {
      connectionString: string;
      /** Extra node-postgres pool settings (max connections, timeouts, ssl…). */ poolConfig?: Omit<
        PoolConfig,
        "connectionString"
      >;
    };

/** Options shared by {@link postgresStore} and {@link postgresScheduler}. */
export interface PostgresOptions {
  /** Schema holding storedesk's tables; created if missing. Default `"storedesk"`. */
  schema?: string;
  /**
   * Apply pending migrations before the first statement (default `true`). Set `false` when
   * migrations run as a separate deploy step (call `store.migrate()` there).
   */
  migrate?: boolean;
  /**
   * Called with the text of every statement before it runs (never its parameter values),
   * including BEGIN, COMMIT, ROLLBACK and SAVEPOINTs: for logging, or counting the round
   * trips an operation costs.
   */
  onStatement?: (text: string) => void;
  /**
   * The clock that stamps a keyed record written without `updatedAt` and decides expiry for
   * record reads that pass no `now`. Default: the wall clock. Give it the desk's clock so record
   * stamps follow it (a test's manual clock), as `memoryStore({ clock })` does.
   */
  clock?: Clock;
}

/** Internal state shared by a store and the schedulers made from it. @internal */
export interface Connection {
  client: SqlClient;
  schema: string;
  /** The quoted schema, ready to interpolate into SQL. */
  s: string;
  /** The clock of record stamps and expiry defaults (see {@link PostgresOptions.clock}). */
  clock: Clock;
  /** Resolves once migrations ran (or immediately when `migrate: false`). */
  ready(): Promise<void>;
  /** Applies pending migrations now; returns the versions applied. */
  migrate(): Promise<number[]>;
}

const registry = new WeakMap<object, Connection>();

/** @internal Remembers the connection behind a store, so `postgresScheduler(store)` can share its pool. */
export function registerConnection(owner: object, conn: Connection): void {
  registry.set(owner, conn);
}

/** @internal The connection behind a store made by `postgresStore`, if `owner` is one. */
export function connectionOf(owner: object): Connection | undefined {
  return registry.get(owner);
}

/** @internal */
export function openConnection(connection: PostgresConnection, options: PostgresOptions = {}): Connection {
  const schema = options.schema ?? "storedesk";
  const s = quoteSchema(schema);
  const base = makeClient(connection);
  const client = options.onStatement ? observeStatements(base, options.onStatement) : base;
  const runMigrations = (): Promise<number[]> => migrate(client, schema);
  let pending: Promise<void> | undefined;
  return {
    client,
    schema,
    s,
    clock: options.clock ?? systemClock(),
    ready() {
      if (options.migrate === false) return Promise.resolve();
      // Memoized, but forgotten on failure so a store created while the server was down recovers.
      pending ??= runMigrations().then(
        () => undefined,
        (err: unknown) => {
          pending = undefined;
          throw err;
        },
      );
      return pending;
    },
    async migrate() {
      const applied = await runMigrations();
      // The schema is current now: the automatic run before the first statement has nothing left to do.
      pending ??= Promise.resolve();
      return applied;
    },
  };
}

function makeClient(connection: PostgresConnection): SqlClient {
  if (typeof connection !== "object" || connection === null) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "postgresStore needs { pool }, { pglite } or { connectionString }",
    });
  }
  if ("pool" in connection && connection.pool) return pgDriver(connection.pool, false);
  if ("pglite" in connection && connection.pglite) return pgliteDriver(connection.pglite, false);
  if (
    "connectionString" in connection &&
    typeof connection.connectionString === "string" &&
    connection.connectionString.length > 0
  ) {
    const pool = new pg.Pool({ ...connection.poolConfig, connectionString: connection.connectionString });
    // An idle pooled connection the server drops emits 'error' on the pool (and pgDriver guards
    // each client): without listeners Node would crash. The pool discards that client by itself.
    pool.on("error", () => undefined);
    return pgDriver(pool, true);
  }
  throw new StoredeskError({
    code: "INVALID_INPUT",
    message: "postgresStore needs { pool }, { pglite } or { connectionString }",
  });
}
