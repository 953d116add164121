/** Webchat failures → HTTP answers: the core mapping plus 403 for a visitor the mode refuses. */
import { StoredeskError, errorResponse, jsonResponse } from "@storedesk/core";

/**
 * The error for an unverified visitor in verified-only mode: SIGNATURE_INVALID marked `forbidden`,
 * answered 403 (the visitor is known to be unverified; 401 is for a missing or forged token).
 *
 * @example
 * throw unverifiedVisitor();
 */
export function unverifiedVisitor(): StoredeskError {
  return new StoredeskError({
    code: "SIGNATURE_INVALID",
    message: "This chat accepts only signed-in customers",
    path: ["identity"],
    details: { forbidden: true, verifiedOnly: true },
  });
}

/**
 * The HTTP answer for an error of a webchat handler; never includes the cause.
 *
 * @example
 * try { ... } catch (err) { return webchatErrorResponse(err); }
 */
export function webchatErrorResponse(err: unknown): Response {
  if (StoredeskError.is(err) && err.details?.forbidden === true) return jsonResponse({ error: err.toJSON() }, 403);
  if (StoredeskError.is(err, "LIMIT_EXCEEDED")) return jsonResponse({ error: err.toJSON() }, 429);
  return errorResponse(err);
}
