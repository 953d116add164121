/** The keyed-records and idempotency-delete parts of the Store port on PostgreSQL. */
import { StoredeskError, checkRecordInput, checkRecordKey, type KeyedRecord, type StoreOps } from "@storedesk/core";
import type { Connection } from "./connection.js";
import { json } from "./rows.js";
import type { SqlClient } from "./sql-client.js";

interface RecordRow {
  namespace: string;
  key: string;
  value: unknown;
  version: number;
  updated_at: Date;
  expires_at: Date | null;
}

const RECORD_COLUMNS = "namespace, key, value, version, updated_at, expires_at";

function toRecord(r: RecordRow): KeyedRecord {
  return {
    namespace: r.namespace,
    key: r.key,
    value: r.value,
    version: r.version,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  };
}

type RecordOps = Pick<
  StoreOps,
  "getRecord" | "putRecord" | "deleteRecord" | "listRecords" | "deleteIdempotency" | "purgeExpiredRecords"
>;

/**
 * Keyed records on the `records` table. A compare-and-set is one statement: the row is
 * written only when the stored version (an expired row counts as absent) is the expected one.
 *
 * @internal
 */
export function recordOps(conn: Connection, db: () => SqlClient): RecordOps {
  const { s } = conn;
  const conflict = (message: string, details?: Record<string, unknown>) =>
    new StoredeskError({ code: "CONFLICT", message, retryable: true, ...(details ? { details } : {}) });
  return {
    async getRecord(namespace, key, now = conn.clock.now()) {
      await conn.ready();
      const { rows } = await db().query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM ${s}.records
         WHERE namespace = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $3)`,
        [namespace, key, now],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async putRecord(input, expectedVersion) {
      const r = checkRecordInput(input);
      const at = r.updatedAt ?? conn.clock.now();
      await conn.ready();
      const live = `(${s}.records.expires_at IS NULL OR ${s}.records.expires_at > $4)`;
      const params: unknown[] = [r.namespace, r.key, json(r.value), at, r.expiresAt];
      let sql: string;
      if (typeof expectedVersion === "number") {
        // Compare-and-set: only a live row at exactly that version is replaced.
        params.push(expectedVersion);
        sql = `UPDATE ${s}.records SET value = $3::text::jsonb, version = version + 1, updated_at = $4, expires_at = $5
          WHERE namespace = $1 AND key = $2 AND ${live} AND version = $6 RETURNING ${RECORD_COLUMNS}`;
      } else {
        // Insert, or replace (an expired row always, a live one unless insert-only); expired rows restart at 1.
        sql = `INSERT INTO ${s}.records (${RECORD_COLUMNS}) VALUES ($1, $2, $3::text::jsonb, 1, $4, $5)
          ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at,
            expires_at = EXCLUDED.expires_at, version = CASE WHEN ${live} THEN ${s}.records.version + 1 ELSE 1 END
          ${expectedVersion === null ? `WHERE NOT ${live}` : ""}
          RETURNING ${RECORD_COLUMNS}`;
      }
      const { rows } = await db().query<RecordRow>(sql, params);
      if (rows[0]) return toRecord(rows[0]);
      throw expectedVersion === null
        ? conflict(`record ${r.namespace}/${r.key} exists`, { duplicate: true })
        : conflict(`record ${r.namespace}/${r.key} changed (expected version ${expectedVersion})`);
    },

    async deleteRecord(namespace, key) {
      checkRecordKey(key);
      await conn.ready();
      const { rowCount } = await db().query(`DELETE FROM ${s}.records WHERE namespace = $1 AND key = $2`, [
        namespace,
        key,
      ]);
      return (rowCount ?? 0) > 0;
    },

    async listRecords(namespace, query = {}) {
      const limit = query.limit ?? 1000;
      if (!Number.isSafeInteger(limit) || limit < 0) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "limit must be a non-negative integer",
          path: ["limit"],
        });
      }
      await conn.ready();
      // COLLATE "C": keys in code-point order on every server, as the memory store sorts them.
      const { rows } = await db().query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM ${s}.records
         WHERE namespace = $1 AND (expires_at IS NULL OR expires_at > $2)
           AND ($3::text IS NULL OR starts_with(key, $3)) AND ($4::text IS NULL OR key COLLATE "C" > $4)
         ORDER BY key COLLATE "C" LIMIT $5`,
        [namespace, query.now ?? conn.clock.now(), query.prefix ?? null, query.afterKey ?? null, limit],
      );
      return rows.map(toRecord);
    },

    async purgeExpiredRecords(namespace, now, limit = 1000) {
      if (!Number.isSafeInteger(limit) || limit < 0) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "limit must be a non-negative integer",
          path: ["limit"],
        });
      }
      await conn.ready();
      // SKIP LOCKED: two instances purging at once split the rows instead of waiting on each other.
      const { rowCount } = await db().query(
        `DELETE FROM ${s}.records WHERE (namespace, key) IN (
           SELECT namespace, key FROM ${s}.records WHERE namespace = $1 AND expires_at <= $2 LIMIT $3 FOR UPDATE SKIP LOCKED)`,
        [namespace, now, limit],
      );
      return rowCount ?? 0;
    },

    async deleteIdempotency(scope, key) {
      await conn.ready();
      const { rowCount } = await db().query(`DELETE FROM ${s}.idempotency WHERE scope = $1 AND key = $2`, [scope, key]);
      return (rowCount ?? 0) > 0;
    },
  };
}
