/**
 * Graph API error bodies mapped to storedesk codes (WhatsApp Cloud API, Messenger, Instagram).
 * Fetch-free: each adapter brings its HTTP client and passes the status and body here.
 */
import type { ErrorCode } from "../errors.js";
import { StoredeskError } from "../errors.js";
import { redactSecrets } from "./redact-secrets.js";

/** The `error` object of a Graph API error body. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  error_data?: unknown;
}

/** Reads `{ error: { … } }` from a Graph API response body (text); null when it is not one. */
export function parseGraphErrorBody(text: string): GraphErrorBody | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
      const { error } = parsed;
      if (typeof error === "object" && error !== null) return error;
    }
  } catch {
    // not JSON: the caller falls back to the HTTP status
  }
  return null;
}

/** Graph error codes that mean "slow down" across Graph products. */
export const GRAPH_RATE_LIMIT_CODES: readonly number[] = [4, 17, 32, 613, 80007, 130429, 131056];
/** Graph error codes that mean the token is invalid, expired or lacks a permission. */
export const GRAPH_AUTH_CODES: readonly number[] = [190, 102, 10, 200];
/** Graph error codes that mean a temporary outage. */
export const GRAPH_UNAVAILABLE_CODES: readonly number[] = [1, 2];

/** Options of {@link graphApiError}. */
export interface GraphErrorOptions {
  /** Provider name used in the message and `details.provider` (e.g. `whatsapp`). */
  provider: string;
  /** HTTP status, or null for a network failure. */
  status: number | null;
  /** The parsed `error` object, if the body had one. */
  error?: GraphErrorBody | null;
  /** Product-specific codes mapped first (e.g. WhatsApp 131047 → REPLY_WINDOW_CLOSED). */
  codes?: Record<number, ErrorCode>;
  /** Strings that must never appear in the error (access tokens, app secrets); replaced by `[redacted]`. */
  secrets?: ReadonlyArray<string>;
  /** Seconds from a `Retry-After` header. */
  retryAfterSeconds?: number | null;
  /** Extra details merged in (never put secrets here). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Maps a failed Graph API call to a StoredeskError: product codes first, then HTTP 429 or a
 * rate-limit code → RATE_LIMITED (retryable), 401 / code 190 and other auth codes → PROVIDER_AUTH,
 * 5xx, a network failure or codes 1/2 → PROVIDER_UNAVAILABLE (retryable), else PROVIDER_ERROR.
 * The Graph code, subcode and trace id go to `details`; secrets are scrubbed from the message.
 *
 * @example
 * throw graphApiError({ provider: "whatsapp", status: 400, error: parseGraphErrorBody(text), codes: { 131047: "REPLY_WINDOW_CLOSED" }, secrets: [token] });
 */
export function graphApiError(options: GraphErrorOptions): StoredeskError {
  const { provider, status, error } = options;
  const code = typeof error?.code === "number" ? error.code : undefined;
  const details: Record<string, unknown> = { provider, status, ...options.details };
  if (code !== undefined) details.providerCode = code;
  if (typeof error?.error_subcode === "number") details.providerSubcode = error.error_subcode;
  if (typeof error?.fbtrace_id === "string") details.traceId = error.fbtrace_id;
  if (options.retryAfterSeconds != null) details.retryAfterSeconds = options.retryAfterSeconds;

  let errorCode: ErrorCode;
  if (code !== undefined && options.codes?.[code] !== undefined) errorCode = options.codes[code];
  else if (status === 429 || (code !== undefined && GRAPH_RATE_LIMIT_CODES.includes(code))) errorCode = "RATE_LIMITED";
  else if (status === 401 || (code !== undefined && GRAPH_AUTH_CODES.includes(code))) errorCode = "PROVIDER_AUTH";
  else if (status === null || status >= 500 || (code !== undefined && GRAPH_UNAVAILABLE_CODES.includes(code)))
    errorCode = "PROVIDER_UNAVAILABLE";
  else if (status === 403) errorCode = "PROVIDER_AUTH";
  else errorCode = "PROVIDER_ERROR";

  const what = error?.message ? `: ${error.message}` : status === null ? ": network failure" : ` (HTTP ${status})`;
  const message = redactSecrets(
    `${provider} Graph API error${code !== undefined ? ` ${code}` : ""}${what}`,
    options.secrets ?? [],
  );
  return new StoredeskError({ code: errorCode, message, details, cause: options.cause });
}
