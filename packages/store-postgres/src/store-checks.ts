/** Input checks and error helpers shared by the PostgreSQL store's operations. */
import {
  StoredeskError,
  TicketStatusSchema,
  normalizeIdentity,
  parseInput,
  type IdempotencyRecord,
  type Identity,
  type TicketQuery,
} from "@storedesk/core";
import { json } from "./rows.js";
import type { SqlClient } from "./sql-client.js";

/** INVALID_INPUT at `path`. */
export function invalid(message: string, path: Array<string | number>): StoredeskError {
  return new StoredeskError({ code: "INVALID_INPUT", message, path });
}

// zod is not a dependency of this package: the two small shapes below are checked by hand.
export function checkIdempotency(r: IdempotencyRecord): IdempotencyRecord {
  if (typeof r !== "object" || r === null) throw invalid("idempotency record must be an object", []);
  if (typeof r.scope !== "string" || r.scope.length === 0)
    throw invalid("idempotency scope must be a non-empty string", ["scope"]);
  if (typeof r.key !== "string" || r.key.length === 0)
    throw invalid("idempotency key must be a non-empty string", ["key"]);
  if (!(r.createdAt instanceof Date) || Number.isNaN(r.createdAt.getTime()))
    throw invalid("idempotency createdAt must be a valid Date", ["createdAt"]);
  return r;
}

export function checkQuery(q: TicketQuery | undefined): TicketQuery {
  const query = q ?? {};
  query.status?.forEach((st, i) => parseInput(TicketStatusSchema, st, `ticket query status[${i}]`));
  if (
    query.slaDueBefore !== undefined &&
    (!(query.slaDueBefore instanceof Date) || Number.isNaN(query.slaDueBefore.getTime()))
  ) {
    throw invalid("slaDueBefore must be a valid Date", ["slaDueBefore"]);
  }
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0))
    throw invalid("limit must be a non-negative integer", ["limit"]);
  return query;
}

export function conflict(message: string, details?: Record<string, unknown>): StoredeskError {
  return new StoredeskError({ code: "CONFLICT", message, retryable: true, ...(details ? { details } : {}) });
}

export function notFound(message: string): StoredeskError {
  return new StoredeskError({ code: "NOT_FOUND", message });
}

/**
 * Runs a multi-statement write atomically: its own transaction outside one, a
 * SAVEPOINT inside one (so a CONFLICT leaves the caller's transaction usable).
 */
export function atomic<T>(db: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

export function identityRows(identities: readonly Identity[]): string {
  return json(
    identities.map((i, position) => ({ position, kind: i.kind, value: i.value, norm: normalizeIdentity(i).value })),
  )!;
}
