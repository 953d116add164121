import { StoredeskError } from "../errors.js";

/** A JSON response (Web standard). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * The HTTP answer for an error raised while handling a webhook: 401 for a bad
 * signature, 400 for bad input, 429/503 for retryable trouble (so the provider
 * redelivers), 500 otherwise. The body never includes the cause.
 */
export function errorResponse(err: unknown): Response {
  if (StoredeskError.is(err)) {
    const status =
      err.code === "SIGNATURE_INVALID"
        ? 401
        : err.code === "INVALID_INPUT"
          ? err.details?.tooLarge === true
            ? 413
            : 400
          : err.code === "NOT_FOUND"
            ? 404
            : err.code === "RATE_LIMITED"
              ? 429
              : err.retryable
                ? 503
                : 500;
    return jsonResponse({ error: err.toJSON() }, status);
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
