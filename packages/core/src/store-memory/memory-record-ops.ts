/** Idempotency records and keyed records in the memory store. */
import type { Clock } from "../ports/clock.js";
import type { StoreOps } from "../ports/store.js";
import { checkRecordInput, checkRecordKey } from "../domain/keyed-record.js";
import type { KeyedRecord } from "../ports/store.js";
import { StoredeskError } from "../errors.js";
import { clone } from "./memory-copies.js";
import { byCodePoint, conflict, deleteIn, live, setIn, type Tables, type UndoRef } from "./memory-tables.js";

/**
 * Idempotency records and keyed records in the memory store. `clock` is "the store's now": it
 * stamps a record written without `updatedAt` and decides expiry for a read that passes no `now`.
 */
export function memoryRecordOps(
  t: Tables,
  tx: UndoRef,
  clock: Clock,
): Pick<
  StoreOps,
  | "getIdempotency"
  | "putIdempotency"
  | "deleteIdempotency"
  | "purgeExpiredRecords"
  | "getRecord"
  | "putRecord"
  | "deleteRecord"
  | "listRecords"
> {
  return {
    async getIdempotency(scope, key) {
      const r = t.idempotency.get(`${scope}\u0000${key}`);
      return r ? clone(r) : null;
    },
    async putIdempotency(record) {
      const k = `${record.scope}\u0000${record.key}`;
      if (t.idempotency.has(k))
        throw conflict(`Idempotency key ${record.scope}/${record.key} exists`, { duplicate: true });
      setIn(tx.log, t.idempotency, k, clone(record));
    },

    async deleteIdempotency(scope, key) {
      const k = `${scope}\u0000${key}`;
      if (!t.idempotency.has(k)) return false;
      deleteIn(tx.log, t.idempotency, k);
      return true;
    },

    async purgeExpiredRecords(namespace, now, limit = 1000) {
      const space = t.records.get(namespace);
      let purged = 0;
      for (const [key, r] of space ?? []) {
        if (purged >= limit) break;
        if (live(r, now)) continue;
        deleteIn(tx.log, space!, key);
        purged++;
      }
      return purged;
    },

    async getRecord(namespace, key, now = clock.now()) {
      const r = t.records.get(namespace)?.get(key);
      return r && live(r, now) ? clone(r) : null;
    },
    async putRecord(input, expectedVersion) {
      const r = checkRecordInput(input);
      const at = r.updatedAt ?? clock.now();
      let space = t.records.get(r.namespace);
      if (!space) {
        space = new Map();
        setIn(tx.log, t.records, r.namespace, space);
      }
      const old = space.get(r.key);
      const stored = old && live(old, at) ? old : undefined;
      if (expectedVersion === null && stored) {
        throw conflict(`Record ${r.namespace}/${r.key} exists`, { duplicate: true, version: stored.version });
      }
      if (typeof expectedVersion === "number" && stored?.version !== expectedVersion) {
        throw conflict(
          `Record ${r.namespace}/${r.key} changed (version ${stored?.version ?? "none"}, expected ${expectedVersion})`,
        );
      }
      const next: KeyedRecord = {
        namespace: r.namespace,
        key: r.key,
        value: r.value,
        version: (stored?.version ?? 0) + 1,
        updatedAt: at,
        expiresAt: r.expiresAt,
      };
      setIn(tx.log, space, r.key, clone(next));
      return clone(next);
    },
    async deleteRecord(namespace, key) {
      checkRecordKey(key);
      const space = t.records.get(namespace);
      if (!space?.has(key)) return false;
      deleteIn(tx.log, space, key);
      return true;
    },
    async listRecords(namespace, query = {}) {
      const now = query.now ?? clock.now();
      const limit = query.limit ?? 1000;
      if (!Number.isSafeInteger(limit) || limit < 0) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "limit must be a non-negative integer",
          path: ["limit"],
        });
      }
      const keys = [...(t.records.get(namespace)?.keys() ?? [])].sort(byCodePoint);
      const out: KeyedRecord[] = [];
      for (const key of keys) {
        if (out.length >= limit) break;
        if (query.prefix !== undefined && !key.startsWith(query.prefix)) continue;
        if (query.afterKey !== undefined && byCodePoint(key, query.afterKey) <= 0) continue;
        const r = t.records.get(namespace)!.get(key)!;
        if (!live(r, now)) continue;
        out.push(clone(r));
      }
      return out;
    },
  };
}
