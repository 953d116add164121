/**
 * SMTP failures (nodemailer errors) → storedesk error codes.
 */
import { StoredeskError } from "@storedesk/core";

const NETWORK_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETLS",
]);

/**
 * Maps a nodemailer failure to a StoredeskError: authentication (535, EAUTH) →
 * PROVIDER_AUTH; 4xx replies and network trouble → PROVIDER_UNAVAILABLE
 * (retryable); 5xx → PROVIDER_ERROR. The message carries the server's reply,
 * never the credentials.
 */
export function smtpError(err: unknown): StoredeskError {
  if (StoredeskError.is(err)) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    responseCode?: unknown;
    code?: unknown;
    response?: unknown;
  };
  const status = typeof e.responseCode === "number" ? e.responseCode : null;
  const code = typeof e.code === "string" ? e.code : null;
  const reply = typeof e.response === "string" ? `: ${e.response.slice(0, 200)}` : "";
  const details = { provider: "smtp", status, smtpCode: code };
  if (status === 535 || status === 534 || status === 530 || code === "EAUTH" || code === "ENOAUTH") {
    return new StoredeskError({
      code: "PROVIDER_AUTH",
      message: `SMTP server refused the credentials${reply}`,
      details,
      cause: err,
    });
  }
  if (
    (status !== null && status >= 400 && status < 500) ||
    (status === null && code !== null && NETWORK_CODES.has(code))
  ) {
    return new StoredeskError({
      code: "PROVIDER_UNAVAILABLE",
      message: `SMTP server unavailable (${status ?? code})${reply}`,
      details,
      cause: err,
    });
  }
  return new StoredeskError({
    code: "PROVIDER_ERROR",
    message: `SMTP server rejected the message (${status ?? code ?? "unknown"})${reply}`,
    details,
    cause: err,
  });
}
