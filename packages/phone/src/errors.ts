/** The phone channel's failures in storedesk's error codes. */
import { StoredeskError } from "@storedesk/core";

/**
 * A request whose signature is missing, wrong or too old (401, nothing ingested).
 *
 * @example
 * throw signatureInvalid("x-twilio-signature does not match");
 */
export function signatureInvalid(message: string): StoredeskError {
  return new StoredeskError({ code: "SIGNATURE_INVALID", message });
}

/**
 * A text for a phone ticket with no SMS sender configured: a call is made by a person, not sent.
 * Permanent (not retried); the message is marked failed with this reason.
 *
 * @example
 * throw noTextChannel();
 */
export function noTextChannel(): StoredeskError {
  return new StoredeskError({
    code: "REPLY_WINDOW_CLOSED",
    message: "The phone channel carries no text without an SMS sender (phoneChannel({ sms })): call the customer back",
    details: { reason: "phone_no_text" },
  });
}

/**
 * The SMS provider's failure: retryable when it says so (a 5xx, a timeout), else permanent.
 *
 * @example
 * throw smsFailed(err);
 */
export function smsFailed(cause: unknown): StoredeskError {
  if (StoredeskError.is(cause)) return cause;
  return new StoredeskError({
    code: "PROVIDER_UNAVAILABLE",
    message: "The SMS sender failed",
    retryable: true,
    cause,
  });
}
