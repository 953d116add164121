import { StoredeskError, type ErrorCode } from "../errors.js";

/** A JSON response (Web standard). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The HTTP status of each error code (see {@link errorResponse}). */
const STATUS_OF_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  SIGNATURE_INVALID: 401,
  NOT_FOUND: 404,
  // The resource's state refuses the call (a stale version, a closed ticket, an illegal step).
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  TICKET_CLOSED: 409,
  REPLY_WINDOW_CLOSED: 409,
  // The caller may not do this alone: over an agent's limit, or held for a decision maker.
  LIMIT_EXCEEDED: 403,
  APPROVAL_REQUIRED: 403,
  RATE_LIMITED: 429,
  UNSUPPORTED: 501,
  PROVIDER_ERROR: 502,
  PROVIDER_AUTH: 502,
  PROVIDER_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/**
 * The HTTP answer for an error raised while handling a request: 400 for bad input (413 when too
 * large), 401 for a bad signature, 404, 409 when the state refuses the call (a stale version, a
 * closed ticket, an illegal transition, a closed reply window), 403 over an agent's limit or
 * pending approval, 429/503 for trouble worth retrying (503 also for a retryable error that names
 * `details.retryAfterSeconds`, e.g. work in progress elsewhere; `Retry-After` then set; a
 * provider redelivers on either), 501 for what the setup does not support, 502 when a
 * provider failed, 500 otherwise. The body never includes the cause.
 *
 * @example
 * return errorResponse(new StoredeskError({ code: "TICKET_CLOSED", message: "closed" })); // 409
 */
export function errorResponse(err: unknown): Response {
  if (StoredeskError.is(err)) {
    const retryAfter = err.details?.retryAfterSeconds;
    // A retryable error that names when to come back (work in progress elsewhere) is a 503.
    const later = err.retryable && typeof retryAfter === "number" && err.code !== "RATE_LIMITED";
    const status =
      err.code === "INVALID_INPUT" && err.details?.tooLarge === true
        ? 413
        : later
          ? 503
          : (STATUS_OF_CODE[err.code] ?? 500);
    const headers: Record<string, string> =
      typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0 && status >= 429
        ? { "retry-after": String(Math.ceil(retryAfter)) }
        : {};
    return jsonResponse({ error: err.toJSON() }, status, headers);
  }
  return jsonResponse({ error: { code: "INTERNAL", message: "Internal error" } }, 500);
}

/** Reads the raw body once as bytes, stopping at `maxBytes` (413) without buffering the rest. */
export async function readRawBytes(request: Request, maxBytes = 10 * 1024 * 1024): Promise<Uint8Array> {
  const tooLarge = () =>
    new StoredeskError({
      code: "INVALID_INPUT",
      message: `Body larger than ${maxBytes} bytes`,
      details: { tooLarge: true, maxBytes },
    });
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Reads the raw body once as UTF-8 text; signature checks and parsing both use it. Bounded like {@link readRawBytes}. */
export async function readRawBody(request: Request, maxBytes = 10 * 1024 * 1024): Promise<string> {
  return new TextDecoder("utf-8").decode(await readRawBytes(request, maxBytes));
}

/** Parses JSON text, turning a syntax error into INVALID_INPUT. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new StoredeskError({ code: "INVALID_INPUT", message: "Body is not valid JSON", cause });
  }
}
