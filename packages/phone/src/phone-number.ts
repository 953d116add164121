/** Phone numbers as storedesk identities: E.164 (`+821012345678`), the form every channel links on. */
import type { Identity } from "@storedesk/core";
import { normalizeIdentity } from "@storedesk/core";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/**
 * The `phone` identity of a number in any common form, read as a number of `defaultCountry`
 * when it has no country code (`010-1234-5678` in KR → `+821012345678`); null when it is not a
 * possible phone number or a withheld caller id (`anonymous`, `client:…`, `+266696687`).
 * WhatsApp senders carry the same identity, so a caller and a WhatsApp customer with one number
 * are one customer.
 *
 * @example
 * phoneIdentity("010-1234-5678", "KR") // { kind: "phone", value: "+821012345678" }
 * phoneIdentity("+1 (415) 555-2671", "KR") // { kind: "phone", value: "+14155552671" }
 */
export function phoneIdentity(raw: string, defaultCountry: CountryCode): Identity | null {
  if (WITHHELD_CALLER_IDS.has(raw.trim())) return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry, extract: false });
  if (!parsed || !parsed.isPossible()) return null;
  return normalizeIdentity({ kind: "phone", value: parsed.number });
}

/**
 * Numbers carriers (and Twilio) put in `From` when the caller id is withheld: ANONYMOUS,
 * RESTRICTED, BLOCKED, UNAVAILABLE, UNKNOWN spelled on a keypad. Calling them reaches nobody.
 */
const WITHHELD_CALLER_IDS: ReadonlySet<string> = new Set([
  "+266696687",
  "+7378742833",
  "+2562533",
  "+8656696",
  "+86282452253",
]);

/**
 * The number for display, in the national form of its country (`010-1234-5678`) or, for another
 * country's number, the international form (`+1 415 555 2671`).
 *
 * @example
 * displayNumber("+821012345678", "KR") // "010-1234-5678"
 */
export function displayNumber(e164: string, homeCountry: CountryCode): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === homeCountry ? parsed.formatNational() : parsed.formatInternational();
}
