/**
 * The one seam between the store's SQL and a PostgreSQL driver. Both drivers
 * (node-postgres and PGlite) run exactly the same statements through it.
 *
 * @internal
 */

/** Rows of one statement; `rowCount` is the number of rows an INSERT/UPDATE/DELETE touched. */
export interface SqlResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * A minimal SQL connection. Errors are already {@link StoredeskError}s
 * (see `toStoredeskError`), with the driver's error as `cause`.
 *
 * @internal
 */
export interface SqlClient {
  /** True for a client bound to an open transaction. */
  readonly inTransaction: boolean;
  /** Runs one statement with `$1…$n` parameters. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /**
   * Runs `fn` on one connection between BEGIN and COMMIT (ROLLBACK when it throws,
   * rethrowing the error). On a client that is already in a transaction, runs `fn`
   * inside a SAVEPOINT instead, so a failure undoes only what `fn` wrote.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Ends the connections this client created (never a pool or database it was handed). */
  close(): Promise<void>;
}

let savepointCounter = 0;

/**
 * Runs `fn` inside a SAVEPOINT of the open transaction `tx`; shared by both drivers.
 *
 * @internal
 */
export async function withSavepoint<T>(tx: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const name = `sd_sp_${++savepointCounter}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    // If the connection died, this fails too; the outer transaction then fails as a whole.
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw err;
  }
}

/**
 * Wraps `client` so `onStatement` hears the text of every statement before it runs
 * (never its parameters), including the BEGIN / COMMIT / ROLLBACK and SAVEPOINTs of
 * transactions: a debugging aid that counts round trips.
 *
 * @internal
 */
export function observeStatements(client: SqlClient, onStatement: (text: string) => void): SqlClient {
  const observed: SqlClient = {
    inTransaction: client.inTransaction,
    query(text, params) {
      onStatement(text);
      return client.query(text, params);
    },
    transaction: client.inTransaction
      ? (fn) => withSavepoint(observed, fn)
      : async (fn) => {
          onStatement("BEGIN");
          let inner: SqlClient | undefined;
          try {
            const result = await client.transaction((tx) => fn((inner = observeStatements(tx, onStatement))));
            onStatement("COMMIT");
            return result;
          } catch (err) {
            // A transaction that never started (no connection) issued no ROLLBACK either.
            if (inner) onStatement("ROLLBACK");
            throw err;
          }
        },
    close: () => client.close(),
  };
  return observed;
}
