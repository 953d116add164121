/** The PGlite driver of {@link SqlClient}: one embedded connection, transactions serialized by PGlite's own mutex. */
import type { PGliteInterface, Transaction } from "@electric-sql/pglite";
import { toStoredeskError } from "../errors.js";
import { withSavepoint, type SqlClient, type SqlResult } from "../sql-client.js";

type Queryable = Pick<PGliteInterface, "query"> | Transaction;

async function run<R>(target: Queryable, text: string, params: readonly unknown[] | undefined): Promise<SqlResult<R>> {
  try {
    const result = await target.query<R>(text, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
  } catch (err) {
    throw toStoredeskError(err, text.trim().split(/\s+/).slice(0, 3).join(" "));
  }
}

/**
 * Wraps a PGlite instance. PGlite has a single connection: `db.transaction()` holds
 * its transaction mutex, and `db.query()` waits for that mutex, so a statement
 * issued outside a transaction never lands inside someone else's open transaction.
 *
 * @internal
 */
export function pgliteDriver(db: PGliteInterface, owned: boolean): SqlClient {
  return {
    inTransaction: false,
    query: (text, params) => run(db, text, params),
    async transaction(fn) {
      try {
        return await db.transaction(async (raw) => {
          const tx: SqlClient = {
            inTransaction: true,
            query: (text, params) => run(raw, text, params),
            transaction: (inner) => withSavepoint(tx, inner),
            close: async () => undefined,
          };
          return fn(tx);
        });
      } catch (err) {
        // Errors of BEGIN/COMMIT come raw from PGlite; the ones of fn are rethrown as they are.
        throw isDriverError(err) ? toStoredeskError(err, "transaction") : err;
      }
    },
    async close() {
      if (owned) await db.close();
    },
  };
}

function isDriverError(err: unknown): boolean {
  // PGlite's classes are minified, so recognize its errors by shape: a server error has a
  // `severity`; an aborted COMMIT is a TransactionAbortedError.
  if (!(err instanceof Error)) return false;
  return typeof (err as { severity?: unknown }).severity === "string" || err.name === "TransactionAbortedError" || /pglite/i.test(err.message);
}
