import { StoredeskError } from "../errors.js";

/** A JSON response (Web standard). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

/**
 * The HTTP answer for an error raised while handling a webhook: 401 for a bad
 * signature, 400 for bad input, 429/503 for retryable trouble (so the provider
 * redelivers), 500 otherwise. The body never includes the cause.
 */
export function errorResponse(err: unknown): Response {
  if (StoredeskError.is(err)) {
    const status = err.code === "SIGNATURE_INVALID" ? 401
      : err.code === "INVALID_INPUT" ? 400
      : err.code === "NOT_FOUND" ? 404
      : err.code === "RATE_LIMITED" ? 429
      : err.retryable ? 503 : 500;
    return jsonResponse({ error: err.toJSON() }, status);
  }
  return jsonResponse({ error: { code: "INTERNAL", message: "Internal error" } }, 500);
}

/** Reads the raw body once as text; signature checks and parsing both use it. */
export async function readRawBody(request: Request, maxBytes = 10 * 1024 * 1024): Promise<string> {
  const buf = new Uint8Array(await request.arrayBuffer());
  if (buf.byteLength > maxBytes) throw new StoredeskError({ code: "INVALID_INPUT", message: `Body larger than ${maxBytes} bytes` });
  return new TextDecoder("utf-8").decode(buf);
}

/** Parses JSON text, turning a syntax error into INVALID_INPUT. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new StoredeskError({ code: "INVALID_INPUT", message: "Body is not valid JSON", cause });
  }
}
