/** The PGlite driver of {@link SqlClient}: one embedded connection, transactions serialized by PGlite's own mutex. */
import { storableParams } from "../rows.js";
import { parse, protocol, types, type PGliteInterface, type Transaction } from "@electric-sql/pglite";
import { toStoredeskError } from "../errors.js";
import { withSavepoint, type SqlClient, type SqlResult } from "../sql-client.js";

type Queryable = Pick<PGliteInterface, "query"> | Transaction;

function what(text: string): string {
  return text.trim().split(/\s+/).slice(0, 3).join(" ");
}

async function run<R>(target: Queryable, text: string, params: readonly unknown[] | undefined): Promise<SqlResult<R>> {
  try {
    const result = await target.query<R>(text, storableParams(params));
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
  } catch (err) {
    throw toStoredeskError(err, what(text));
  }
}

/** A statement parsed once on a PGlite instance: its name and the parameter types PostgreSQL inferred. */
interface Prepared {
  name: string;
  paramTypes: number[];
}

type Serializer = (value: unknown) => string;
type Parser = (text: string, typeId?: number) => unknown;

/** Queries worth preparing (not SAVEPOINTs with their changing names, nor one-off DDL). */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/** Prepared statements of each PGlite instance (they live as long as its single connection). */
const preparedByDb = new WeakMap<PGliteInterface, Map<string, Prepared>>();
let preparedCounter = 0;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Runs a statement with parameters as a named prepared statement, through PGlite's wire
 * protocol entry point (`execProtocol`): PGlite's `query()` parses, plans and describes the
 * text again on every call in six protocol exchanges, while here a statement is parsed once
 * per instance and each run is one exchange (Bind, Describe, Execute, Sync) on a cached plan.
 * Values are serialized and rows parsed with PGlite's own type tables, as `query()` does.
 * Only called inside a transaction, which holds PGlite's transaction mutex; `runExclusive`
 * takes its statement mutex.
 */
async function runPrepared<R>(db: PGliteInterface, text: string, params: readonly unknown[]): Promise<SqlResult<R>> {
  const { serialize } = protocol;
  const own = db as unknown as { serializers?: Record<number, Serializer>; parsers?: Record<number, Parser> };
  const serializers = own.serializers ?? types.serializers;
  const parsers = own.parsers ?? types.parsers;
  try {
    return await db.runExclusive(async () => {
      let cache = preparedByDb.get(db);
      if (cache === undefined) preparedByDb.set(db, (cache = new Map()));
      let prepared = cache.get(text);
      if (prepared === undefined) {
        const name = `sd_${++preparedCounter}`;
        const described = await db.execProtocol(
          concat([serialize.parse({ name, text }), serialize.describe({ type: "S", name }), serialize.sync()]),
          { syncToFs: false },
        );
        prepared = { name, paramTypes: parse.parseDescribeStatementResults(described.messages) };
        cache.set(text, prepared);
      }
      const paramTypes = prepared.paramTypes;
      const values = (storableParams(params) ?? []).map((v, i) => {
        if (v === null || v === undefined) return null;
        const serializer = serializers[paramTypes[i] ?? 0];
        if (serializer) return serializer(v);
        if (typeof v === "string") return v;
        if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return v.toString();
        return JSON.stringify(v);
      });
      const { messages } = await db.execProtocol(
        concat([
          serialize.bind({ statement: prepared.name, values }),
          serialize.describe({ type: "P" }),
          serialize.execute({}),
          serialize.sync(),
        ]),
        { syncToFs: false },
      );
      const [result] = parse.parseResults(messages, parsers);
      return { rows: (result?.rows ?? []) as R[], rowCount: result?.affectedRows ?? 0 };
    });
  } catch (err) {
    throw toStoredeskError(err, what(text));
  }
}

/**
 * Wraps a PGlite instance. PGlite has a single connection: `db.transaction()` holds
 * its transaction mutex, and `db.query()` waits for that mutex, so a statement
 * issued outside a transaction never lands inside someone else's open transaction.
 * Inside a transaction, queries (SELECT, INSERT, UPDATE, DELETE, WITH) run as named prepared statements.
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
            query: (text, params) => {
              // A statement left running after the transaction ended must not run outside it.
              if (raw.closed || !PREPARABLE.test(text)) return run(raw, text, params);
              return runPrepared(db, text, params ?? []);
            },
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
  return (
    typeof (err as { severity?: unknown }).severity === "string" ||
    err.name === "TransactionAbortedError" ||
    /pglite/i.test(err.message)
  );
}
