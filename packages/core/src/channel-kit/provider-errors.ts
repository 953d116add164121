import { StoredeskError } from "../errors.js";

/**
 * Maps a provider's HTTP failure to a storedesk error: 429 → RATE_LIMITED,
 * 401/403 → PROVIDER_AUTH, 5xx and network failures → PROVIDER_UNAVAILABLE
 * (retryable), anything else → PROVIDER_ERROR. Pass `providerCode` / `message`
 * parsed from the body when the provider has them.
 *
 * @example
 * throw providerHttpError("whatsapp", 429, { retryAfterSeconds: 30 });
 */
export function providerHttpError(
  provider: string,
  status: number | null,
  info: { message?: string; providerCode?: string | number; retryAfterSeconds?: number | null; cause?: unknown } = {},
): StoredeskError {
  const detail = info.message ? `: ${info.message}` : "";
  const details: Record<string, unknown> = { provider, status };
  if (info.providerCode !== undefined) details.providerCode = info.providerCode;
  if (info.retryAfterSeconds != null) details.retryAfterSeconds = info.retryAfterSeconds;
  if (status === 429)
    return new StoredeskError({
      code: "RATE_LIMITED",
      message: `${provider} rate limit${detail}`,
      details,
      cause: info.cause,
    });
  if (status === 401 || status === 403)
    return new StoredeskError({
      code: "PROVIDER_AUTH",
      message: `${provider} refused the credentials${detail}`,
      details,
      cause: info.cause,
    });
  if (status === null || status >= 500)
    return new StoredeskError({
      code: "PROVIDER_UNAVAILABLE",
      message: `${provider} unavailable${detail}`,
      details,
      cause: info.cause,
    });
  return new StoredeskError({
    code: "PROVIDER_ERROR",
    message: `${provider} error${detail}`,
    details,
    cause: info.cause,
  });
}
