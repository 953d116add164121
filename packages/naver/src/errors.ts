/**
 * Commerce API failures → storedesk errors. The body is read for Naver's `code`/`message`
 * only; nothing of the request (the signed secret, the token) is ever copied into an error.
 */
import type { StoredeskError } from "@storedesk/core";
import { providerHttpError, redactSecrets } from "@storedesk/core";
import { z } from "zod";

/** The error body the Commerce API answers with (`code`, `message`, `traceId`). */
export const CommerceErrorBodySchema = z
  .object({
    code: z.string().max(200).optional(),
    message: z.string().optional(),
    traceId: z.string().optional(),
  })
  .loose();

/**
 * Maps a Commerce API HTTP failure to a StoredeskError (429 → RATE_LIMITED, 401/403 →
 * PROVIDER_AUTH, 5xx → PROVIDER_UNAVAILABLE, else PROVIDER_ERROR). `scrub` lists strings that
 * must not appear in the message (the client secret, its signature, the token).
 *
 * @example
 * throw commerceApiError(429, await response.text(), [clientSecret], 1);
 */
export function commerceApiError(
  status: number | null,
  bodyText: string,
  scrub: readonly string[],
  retryAfterSeconds?: number | null,
): StoredeskError {
  let parsed: z.infer<typeof CommerceErrorBodySchema> = {};
  try {
    const result = CommerceErrorBodySchema.safeParse(JSON.parse(bodyText));
    if (result.success) parsed = result.data;
  } catch {
    // not JSON: keep no text of it (a gateway page may echo the request)
  }
  return providerHttpError("naver-commerce", status, {
    ...(parsed.message ? { message: scrubText(parsed.message.slice(0, 500), scrub) } : {}),
    ...(parsed.code ? { providerCode: scrubText(parsed.code, scrub) } : {}),
    ...(retryAfterSeconds != null ? { retryAfterSeconds } : {}),
  });
}

/**
 * Replaces every occurrence of a secret in `text` with `[redacted]`: core's `redactSecrets`
 * (one redaction rule for every adapter), kept under this name for existing callers.
 *
 * @example
 * scrubText("bad key abcd1234", ["abcd1234"]) // "bad key [redacted]"
 */
export const scrubText: (text: string, scrub: readonly string[]) => string = redactSecrets;
