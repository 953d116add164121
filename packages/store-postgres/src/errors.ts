/** Translates PostgreSQL and driver failures into StoredeskError codes. */
import { StoredeskError } from "@storedesk/core";

/** Node socket errors that mean "the server is (momentarily) unreachable". */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Messages node-postgres and PGlite use for a connection that is gone (they carry no SQLSTATE). */
const CONNECTION_MESSAGES =
  /connection terminated|not queryable|client was closed|connection timeout|timeout exceeded when trying to connect|connection ended|pglite is closed|socket|econnreset/i;

/**
 * Whether `err` says the connection is unusable (server restart, killed backend,
 * network cut), as opposed to an error of the statement itself.
 *
 * @internal
 */
export function isConnectionError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code)) return true;
    // 08 connection exception, 57P01..03 admin/crash shutdown and "cannot connect now", 53300 too many connections.
    if (/^08/.test(code) || /^57P0[123]$/.test(code) || code === "53300") return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === "string" && CONNECTION_MESSAGES.test(message);
}

/**
 * Maps a driver error to a StoredeskError (StoredeskErrors pass through unchanged).
 * The message names what failed and the server's own message; parameter values are not included.
 *
 * @internal
 */
export function toStoredeskError(err: unknown, what: string): StoredeskError {
  if (StoredeskError.is(err)) return err;
  const code =
    typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string"
      ? (err as { code: string }).code
      : undefined;
  const serverMessage = err instanceof Error ? err.message : String(err);
  const message = `PostgreSQL: ${what} failed${code ? ` (${code})` : ""}: ${serverMessage}`;
  if (isConnectionError(err))
    return new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message, retryable: true, cause: err });
  switch (code) {
    case "23505": // unique_violation
    case "40001": // serialization_failure
    case "40P01": // deadlock_detected
      return new StoredeskError({ code: "CONFLICT", message, retryable: true, cause: err });
    case "23503": // foreign_key_violation: the row refers to a customer/ticket that does not exist
    case "23502": // not_null_violation
    case "23514": // check_violation
      return new StoredeskError({ code: "INVALID_INPUT", message, cause: err });
    case "57014": // query_canceled (statement_timeout)
    case "55P03": // lock_not_available (lock_timeout)
      return new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message, retryable: true, cause: err });
    default:
      if (code?.startsWith("22")) return new StoredeskError({ code: "INVALID_INPUT", message, cause: err }); // data exceptions
      return new StoredeskError({ code: "INTERNAL", message, cause: err });
  }
}
