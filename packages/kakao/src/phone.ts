/** Korean phone numbers as identities, in the form core's `normalizeIdentity` keeps (`+` and digits). */
import type { Identity } from "@storedesk/core";
import { normalizeIdentity } from "@storedesk/core";

/**
 * A phone identity from a Korean number in any common form: `010-1234-5678`, `01012345678`,
 * `+82 10-1234-5678`, `82-10-…`; null when it is not a plausible mobile or landline number.
 *
 * @example
 * koreanPhoneIdentity("010-1234-5678") // { kind: "phone", value: "+821012345678" }
 */
export function koreanPhoneIdentity(raw: unknown): Identity | null {
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  let digits = String(raw).replace(/[^\d]/g, "");
  if (digits.startsWith("0") && !digits.startsWith("00")) digits = `82${digits.slice(1)}`;
  if (!/^82\d{8,10}$/.test(digits)) return null;
  return normalizeIdentity({ kind: "phone", value: `+${digits}` });
}

/** The national form AlimTalk and SMS providers take (`01012345678`) of a `+82…` identity. */
export function nationalNumber(e164: string): string {
  const digits = e164.replace(/[^\d]/g, "");
  return digits.startsWith("82") ? `0${digits.slice(2)}` : digits;
}
