/**
 * Cloud API error codes with a meaning of their own in storedesk. The generic
 * Graph ones (rate limits 4/80007/130429/131056, auth 190, 5xx) are mapped by
 * core's `graphApiError`.
 */
import type { ErrorCode } from "@storedesk/core";

/** WhatsApp-specific Graph error codes → storedesk codes. */
export const WHATSAPP_ERROR_CODES: Record<number, ErrorCode> = {
  /** Re-engagement message: more than 24 hours since the customer last wrote. */
  131047: "REPLY_WINDOW_CLOSED",
  /** Spam rate limit / pair rate limit. */
  131048: "RATE_LIMITED",
  131056: "RATE_LIMITED",
  130429: "RATE_LIMITED",
  80007: "RATE_LIMITED",
  /** Template parameter count mismatch, template missing, template parameter format. */
  132000: "INVALID_INPUT",
  132001: "INVALID_INPUT",
  132012: "INVALID_INPUT",
  /** Invalid parameter (e.g. a malformed recipient number). */
  100: "INVALID_INPUT",
};
