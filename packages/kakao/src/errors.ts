/**
 * Kakao dealers' result codes → storedesk error codes. Each dealer numbers its codes itself;
 * the HTTP and transport failures before a code is read are mapped in send.ts.
 */
import { StoredeskError } from "@storedesk/core";

/** Lunasoft result codes after which a text message should go instead (the user cannot get AlimTalk). */
const LUNASOFT_FALLBACK_CODES = new Set(["3018", "3008", "3019", "3024", "3032", "3015", "3025"]);

/**
 * A Lunasoft AlimTalk/SMS failure code in storedesk's words: 3016 (text does not match the
 * approved template) → INVALID_INPUT, A1xx/A2xx → PROVIDER_AUTH, anything else PROVIDER_ERROR;
 * `details.fallback` is true when an SMS/LMS may still reach the customer.
 *
 * @example
 * if (result.code !== "0000") throw lunasoftResultError(result.code);
 */
export function lunasoftResultError(resultCode: string): StoredeskError {
  const code = resultCode.slice(0, 10);
  const details = { provider: "lunasoft", providerCode: code, fallback: LUNASOFT_FALLBACK_CODES.has(code) };
  if (code === "3016")
    return new StoredeskError({
      code: "INVALID_INPUT",
      message: "AlimTalk text does not match the approved template (3016)",
      details,
    });
  if (code.startsWith("A1") || code.startsWith("A2"))
    return new StoredeskError({
      code: "PROVIDER_AUTH",
      message: `lunasoft refused the credentials (${code})`,
      details,
    });
  return new StoredeskError({ code: "PROVIDER_ERROR", message: `lunasoft error ${code}`, details });
}

/**
 * A consultation-talk dealer failure code: 3005 (the session ended or expired at Kakao) →
 * REPLY_WINDOW_CLOSED, anything else PROVIDER_ERROR.
 *
 * @example
 * if (result.code !== "0000") throw counselResultError(result.code);
 */
export function counselResultError(resultCode: string): StoredeskError {
  const code = resultCode.slice(0, 20);
  return new StoredeskError({
    code: code === "3005" ? "REPLY_WINDOW_CLOSED" : "PROVIDER_ERROR",
    message: `kakao-counsel error ${code}`,
    details: { provider: "kakao-counsel", providerCode: code },
  });
}
