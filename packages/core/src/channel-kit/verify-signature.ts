import { createHmac, timingSafeEqual } from "node:crypto";

/** Options of {@link verifyHmacSignature}. */
export interface HmacCheck {
  /** The raw request body exactly as received (bytes or the UTF-8 text). */
  rawBody: string | Uint8Array;
  secret: string;
  /** The signature header value, e.g. `sha256=ab12…` or a base64 digest; null when absent. */
  signature: string | null | undefined;
  algorithm?: "sha256" | "sha1";
  encoding: "hex" | "base64";
  /** A prefix the provider puts before the digest, e.g. `sha256=`. */
  prefix?: string;
}

/**
 * Checks an HMAC signature over the raw body with a timing-safe comparison.
 * A missing, malformed or wrong signature returns false; it never throws.
 *
 * @example
 * verifyHmacSignature({ rawBody, secret: appSecret, signature: req.headers.get("x-hub-signature-256"), encoding: "hex", prefix: "sha256=" })
 */
export function verifyHmacSignature(check: HmacCheck): boolean {
  const { signature, prefix = "" } = check;
  if (typeof signature !== "string" || signature.length === 0 || !signature.startsWith(prefix)) return false;
  const given = signature.slice(prefix.length).trim();
  const expected = createHmac(check.algorithm ?? "sha256", check.secret)
    .update(check.rawBody)
    .digest(check.encoding);
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  // Length differs → not equal; timingSafeEqual requires equal lengths.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Computes the signature a provider would send, for tests and for outgoing signed calls. */
export function signHmac(
  rawBody: string | Uint8Array,
  secret: string,
  encoding: "hex" | "base64",
  algorithm: "sha256" | "sha1" = "sha256",
): string {
  return createHmac(algorithm, secret).update(rawBody).digest(encoding);
}
