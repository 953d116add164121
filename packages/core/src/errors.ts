/**
 * The one error type of storedesk. Every failure a caller can act on carries a
 * stable `code`, so code can branch on it without parsing messages.
 */

/** Stable error codes. New codes may be added; existing ones never change meaning. */
export const ERROR_CODES = [
  "INVALID_INPUT",
  "SIGNATURE_INVALID",
  "NOT_FOUND",
  "CONFLICT",
  "ILLEGAL_TRANSITION",
  "TICKET_CLOSED",
  "REPLY_WINDOW_CLOSED",
  "RATE_LIMITED",
  "PROVIDER_ERROR",
  "PROVIDER_AUTH",
  "PROVIDER_UNAVAILABLE",
  "LIMIT_EXCEEDED",
  "APPROVAL_REQUIRED",
  "UNSUPPORTED",
  "INTERNAL",
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const MARKER = Symbol.for("storedesk.error");

/** Constructor options of {@link StoredeskError}. */
export interface StoredeskErrorOptions {
  code: ErrorCode;
  message: string;
  /** Path of the offending field in the input, e.g. `["from", "identities", 0, "value"]`. */
  path?: ReadonlyArray<string | number>;
  /** Whether the same call may succeed later (rate limits, outages, conflicts). */
  retryable?: boolean;
  /** Extra machine-readable facts (e.g. the template to use instead, the retry-after seconds). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The error thrown by every storedesk package.
 *
 * @example
 * try { await desk.reply(ticketId, { text: "hi" }); }
 * catch (err) { if (StoredeskError.is(err) && err.code === "REPLY_WINDOW_CLOSED") useTemplate(err.details); }
 */
export class StoredeskError extends Error {
  readonly code: ErrorCode;
  readonly path: ReadonlyArray<string | number> | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly [MARKER] = true;

  constructor(options: StoredeskErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StoredeskError";
    this.code = options.code;
    this.path = options.path;
    this.details = options.details;
    this.retryable =
      options.retryable ??
      (options.code === "RATE_LIMITED" || options.code === "CONFLICT" || options.code === "PROVIDER_UNAVAILABLE");
  }

  /**
   * True for a StoredeskError, also one thrown by another copy of the package
   * (a symbol marker, not `instanceof`). With `code`, also checks the code.
   */
  static is(err: unknown, code?: ErrorCode): err is StoredeskError {
    const ok = typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[MARKER] === true;
    return ok && (code === undefined || (err as StoredeskError).code === code);
  }

  /** A plain-object form for logs and HTTP bodies (never includes `cause`, which may hold secrets). */
  toJSON(): {
    code: ErrorCode;
    message: string;
    path?: ReadonlyArray<string | number>;
    details?: Record<string, unknown>;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.path ? { path: this.path } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Shorthand for an INVALID_INPUT error at `path`. */
export function invalidInput(message: string, path?: ReadonlyArray<string | number>, cause?: unknown): StoredeskError {
  return new StoredeskError({ code: "INVALID_INPUT", message, ...(path ? { path } : {}), cause });
}
