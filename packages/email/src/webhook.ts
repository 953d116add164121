/**
 * The HTTP way mail reaches storedesk: an inbound-mail relay (a Postfix pipe,
 * a Cloudflare Email Worker, a provider's raw-MIME forward) POSTs the raw
 * message, signed with `X-Storedesk-Signature: sha256=<hex HMAC of the body>`.
 */
import { StoredeskError, errorResponse, jsonResponse, readRawBytes, verifyHmacSignature } from "@storedesk/core";
import type { InboundEventInput, WebhookResult } from "@storedesk/core";

/** The signature header of raw-MIME posts. */
export const EMAIL_SIGNATURE_HEADER = "x-storedesk-signature";

/** Options of {@link handleEmailWebhook}. */
export interface EmailWebhookOptions {
  /** Shared secret of the relay. */
  secret: string;
  /** Largest accepted message in bytes; default 25 MiB. */
  maxBytes?: number;
  /** Turns the raw bytes into events (INVALID_INPUT → 400). */
  toEvents: (raw: Uint8Array) => Promise<InboundEventInput[]>;
}

const MIME_TYPES = new Set(["message/rfc822", "text/plain", "application/octet-stream"]);

/**
 * Verifies and parses one raw-MIME post: larger than `maxBytes` → 413 (stops reading),
 * missing or forged signature → 401 (nothing parsed), wrong content type, empty or
 * unreadable mail or a mail past a parser limit → 400, otherwise 200 and the events.
 * The body is kept as bytes: 8-bit mail (EUC-KR bodies) must not pass through a UTF-8 decode.
 */
export async function handleEmailWebhook(request: Request, options: EmailWebhookOptions): Promise<WebhookResult> {
  try {
    // Streamed with the byte limit (413 past it, the rest never read), signature checked before any parse.
    const raw = await readRawBytes(request, options.maxBytes ?? 25 * 1024 * 1024);
    const signature = request.headers.get(EMAIL_SIGNATURE_HEADER);
    if (!verifyHmacSignature({ rawBody: raw, secret: options.secret, signature, encoding: "hex", prefix: "sha256=" })) {
      throw new StoredeskError({ code: "SIGNATURE_INVALID", message: "Missing or invalid X-Storedesk-Signature" });
    }
    const type = (request.headers.get("content-type") ?? "message/rfc822").split(";")[0]!.trim().toLowerCase();
    if (!MIME_TYPES.has(type))
      throw new StoredeskError({ code: "INVALID_INPUT", message: `Expected raw MIME (message/rfc822), got ${type}` });
    if (raw.byteLength === 0) throw new StoredeskError({ code: "INVALID_INPUT", message: "Empty message" });
    const events = await options.toEvents(raw);
    return { response: jsonResponse({ received: events.length }), events };
  } catch (err) {
    return { response: errorResponse(err), events: [] };
  }
}
