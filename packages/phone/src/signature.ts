/**
 * Signatures of the phone channel's two senders: the shop's server (HMAC-SHA256 over a timestamp
 * and the body, in the manner of Stripe's `t=…,v1=…`) and Twilio (`X-Twilio-Signature`:
 * HMAC-SHA1 over the URL Twilio called and the sorted form parameters, base64).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** How old a signed call-back request may be (seconds): a replayed capture older than this is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The `x-storedesk-signature` header for a call-back request body, as the shop's server sends it.
 *
 * @example
 * const body = JSON.stringify({ requestId: "cb-1", phone: "010-1234-5678" });
 * await fetch(url, { method: "POST", body, headers: { "content-type": "application/json",
 *   "x-storedesk-signature": signCallbackRequest(body, secret) } });
 */
export function signCallbackRequest(body: string, secret: string, at: Date = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/**
 * Checks an `x-storedesk-signature` header against the raw body: the HMAC must match and its
 * timestamp lie within {@link SIGNATURE_TOLERANCE_SECONDS} of `now`. Never throws.
 *
 * @example
 * verifyCallbackSignature(rawBody, request.headers.get("x-storedesk-signature"), secret, new Date());
 */
export function verifyCallbackSignature(body: string, header: string | null, secret: string, now: Date): boolean {
  if (!header) return false;
  const parts = new Map<string, string>();
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const t = parts.get("t");
  const given = parts.get("v1");
  if (!t || !/^\d{1,12}$/.test(t) || !given) return false;
  if (Math.abs(now.getTime() / 1000 - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return safeEqual(given, createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
}

/**
 * Twilio's signature of a request: HMAC-SHA1 (key: the auth token) over the full URL Twilio
 * called followed by each form parameter's name and value, sorted by name; base64.
 *
 * @example
 * twilioSignature("https://shop.example/webhooks/phone", params, authToken) // "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" …
 */
export function twilioSignature(url: string, params: URLSearchParams, authToken: string): string {
  const names = [...new Set(params.keys())].sort();
  let signed = url;
  // A repeated name signs each of its values in order (as Twilio's own validators do).
  for (const name of names) for (const value of params.getAll(name)) signed += name + value;
  return createHmac("sha1", authToken).update(signed, "utf8").digest("base64");
}

/**
 * Checks `X-Twilio-Signature`; never throws.
 *
 * @example
 * verifyTwilioSignature(url, params, request.headers.get("x-twilio-signature"), authToken);
 */
export function verifyTwilioSignature(
  url: string,
  params: URLSearchParams,
  header: string | null,
  authToken: string,
): boolean {
  if (!header) return false;
  return safeEqual(header.trim(), twilioSignature(url, params, authToken));
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
