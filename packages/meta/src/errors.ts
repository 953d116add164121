/**
 * Messenger / Instagram Graph errors with a meaning of their own in storedesk. The generic Graph
 * ones (rate limits, auth, outages) are mapped by core's `graphApiError`.
 */
import { StoredeskError } from "@storedesk/core";

/** Graph subcode of "message sent outside of allowed window" (code 10). */
export const META_OUTSIDE_WINDOW_SUBCODE = 2018278;

/**
 * A Send API failure in storedesk's words: outside the allowed window → REPLY_WINDOW_CLOSED
 * (no template to suggest on Messenger), anything else as `graphApiError` mapped it.
 *
 * @example
 * try { await graph.call(...) } catch (err) { throw metaSendError(err, "messenger") }
 */
export function metaSendError(err: unknown, channel: string): unknown {
  if (StoredeskError.is(err) && err.details?.providerSubcode === META_OUTSIDE_WINDOW_SUBCODE) {
    return new StoredeskError({
      code: "REPLY_WINDOW_CLOSED",
      message: err.message,
      details: { ...err.details, channel, suggestedTemplate: null },
      cause: err,
    });
  }
  return err;
}
