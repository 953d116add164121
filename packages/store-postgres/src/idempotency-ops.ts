/** The idempotency records of the Store port on PostgreSQL (their deletion is in record-ops.ts). */
import { type StoreOps } from "@storedesk/core";
import type { Connection } from "./connection.js";
import { json, toIdempotency, type IdempotencyRow } from "./rows.js";
import type { SqlClient } from "./sql-client.js";
import { checkIdempotency, conflict } from "./store-checks.js";

/** The idempotency records of the Store port on PostgreSQL (their deletion is in record-ops.ts). */
export function idempotencyOps(
  conn: Connection,
  db: () => SqlClient,
): Pick<StoreOps, "getIdempotency" | "putIdempotency"> {
  const { s } = conn;

  return {
    async getIdempotency(scope, key) {
      await conn.ready();
      const { rows } = await db().query<IdempotencyRow>(
        `SELECT scope, key, result, created_at FROM ${s}.idempotency WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      return rows[0] ? toIdempotency(rows[0]) : null;
    },

    async putIdempotency(input) {
      const r = checkIdempotency(input);
      await conn.ready();
      const { rowCount } = await db().query(
        `INSERT INTO ${s}.idempotency (scope, key, result, created_at) VALUES ($1, $2, $3::text::jsonb, $4) ON CONFLICT DO NOTHING`,
        [r.scope, r.key, json(r.result), r.createdAt],
      );
      if (rowCount === 0)
        throw conflict(`idempotency key ${r.scope}/${r.key} already exists`, {
          duplicate: true,
          scope: r.scope,
          key: r.key,
        });
    },
  };
}
