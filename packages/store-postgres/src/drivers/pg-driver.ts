/** The node-postgres driver of {@link SqlClient}: a Pool for single statements, one checked-out client per transaction. */
import { storableParams } from "../rows.js";
import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { StoredeskError } from "@storedesk/core";
import { toStoredeskError } from "../errors.js";
import { withSavepoint, type SqlClient, type SqlResult } from "../sql-client.js";

/**
 * Statements with parameters run as named prepared statements: each connection parses and
 * plans a statement once and then only binds and executes it. Names derive from the text
 * (which includes the schema), so one name never stands for two statements.
 */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `sd_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

async function run<R>(
  target: Pool | PoolClient,
  text: string,
  params: readonly unknown[] | undefined,
): Promise<SqlResult<R>> {
  try {
    const result =
      params === undefined || params.length === 0
        ? await target.query(text)
        : await target.query({ name: statementName(text), text, values: storableParams(params) });
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  } catch (err) {
    throw toStoredeskError(err, firstWords(text));
  }
}

/** "INSERT INTO x.messages" — enough to say what failed, without parameter values. */
function firstWords(text: string): string {
  return text.trim().split(/\s+/).slice(0, 3).join(" ");
}

const guarded = new WeakSet<Pool>();
const ignore = (): void => undefined;

/**
 * No connection loss may end the process. node-postgres emits `'error'` on a client whose
 * backend dies, and an EventEmitter without a listener throws: the pool listens only while a
 * client is idle, pg-pool's `query()` only once per call, and a checked-out client not at all
 * until its borrower adds a listener. So every client gets a permanent listener the moment the
 * pool creates it (`'connect'`, before anyone can borrow it); the failure itself still reaches
 * the statement that was running, and the pool discards the dead client. A pool without an
 * `'error'` listener of its own gets one too (an idle client dropped by the server).
 */
function guardPool(pool: Pool): void {
  if (guarded.has(pool)) return;
  guarded.add(pool);
  pool.on("connect", (client) => {
    client.on("error", ignore);
  });
  if (pool.listenerCount("error") === 0) pool.on("error", ignore);
}

function txClient(client: PoolClient): SqlClient {
  const tx: SqlClient = {
    inTransaction: true,
    query: (text, params) => run(client, text, params),
    transaction: (fn) => withSavepoint(tx, fn),
    close: async () => undefined,
  };
  return tx;
}

/**
 * Wraps a node-postgres Pool. `owned` pools (created from a connection string) are ended by `close()`.
 *
 * @internal
 */
export function pgDriver(pool: Pool, owned: boolean): SqlClient {
  guardPool(pool);
  return {
    inTransaction: false,
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        // Marked, so a retry can tell "the server is not there" (back off) from "this connection died".
        const failed = toStoredeskError(err, "connect");
        throw failed.code === "PROVIDER_UNAVAILABLE"
          ? new StoredeskError({
              code: "PROVIDER_UNAVAILABLE",
              message: failed.message,
              retryable: true,
              cause: err,
              details: { phase: "connect" },
            })
          : failed;
      }
      // A checked-out client has no listener of the pool's: without ours, a backend killed
      // while we wait between statements would emit an unhandled 'error' and crash the process.
      let broken: Error | undefined;
      const onError = (err: Error): void => {
        broken = err;
      };
      client.on("error", onError);
      try {
        await run(client, "BEGIN", undefined);
        const result = await fn(txClient(client));
        await run(client, "COMMIT", undefined);
        return result;
      } catch (err) {
        if (broken === undefined) {
          try {
            await client.query("ROLLBACK");
          } catch (rollbackErr) {
            broken = rollbackErr instanceof Error ? rollbackErr : new Error("ROLLBACK failed");
          }
        }
        if (broken === undefined && StoredeskError.is(err, "PROVIDER_UNAVAILABLE"))
          broken = new Error("connection lost", { cause: err });
        throw err;
      } finally {
        client.removeListener("error", onError);
        // release(err) discards the client instead of returning a dead connection to the pool.
        client.release(broken);
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
