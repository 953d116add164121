/**
 * The webhook skeleton every Graph product shares (WhatsApp Cloud API, Messenger, Instagram):
 * GET → the verification challenge, other methods → 405, POST → the raw bytes read once (413
 * past the limit), `X-Hub-Signature-256` checked over those exact bytes, then decoded and parsed.
 * Only the mapping of a verified body to events differs per product.
 */
import type { InboundEventInput, WebhookResult } from "@storedesk/core";
import {
  errorResponse,
  hubChallengeResponse,
  jsonResponse,
  parseJson,
  readRawBytes,
  StoredeskError,
  verifyHubSignature,
} from "@storedesk/core";

/** Options of {@link handleGraphWebhook}. */
export interface GraphWebhookOptions {
  /** App secret: the HMAC key of `X-Hub-Signature-256`. */
  appSecret: string;
  /** The verify token entered in the App Dashboard (the GET challenge). */
  verifyToken: string;
  /** Maps a verified, parsed JSON body to events; throws INVALID_INPUT (→ 400) for a malformed one. */
  parse: (body: unknown) => InboundEventInput[] | Promise<InboundEventInput[]>;
  /** Largest body accepted, in bytes; default 10 MiB. */
  maxBytes?: number;
}

/**
 * Handles one Graph webhook request.
 *
 * @example
 * handleWebhook: (request) => handleGraphWebhook(request, { appSecret, verifyToken, parse: (body) => parseWhatsAppPayload(body, config) })
 */
export async function handleGraphWebhook(request: Request, options: GraphWebhookOptions): Promise<WebhookResult> {
  if (request.method === "GET") return { response: hubChallengeResponse(request, options.verifyToken), events: [] };
  if (request.method !== "POST") {
    return {
      response: jsonResponse({ error: { code: "INVALID_INPUT", message: "Method not allowed" } }, 405, {
        allow: "GET, POST",
      }),
      events: [],
    };
  }
  try {
    const bytes = await readRawBytes(request, options.maxBytes);
    // The HMAC covers the bytes Meta sent; decoding first would let a BOM or a changed invalid byte pass.
    if (!verifyHubSignature(bytes, request.headers.get("x-hub-signature-256"), options.appSecret)) {
      throw new StoredeskError({ code: "SIGNATURE_INVALID", message: "Missing or invalid X-Hub-Signature-256" });
    }
    const events = await options.parse(parseJson(new TextDecoder("utf-8").decode(bytes)));
    return { response: jsonResponse({ received: events.length }), events };
  } catch (err) {
    return { response: errorResponse(err), events: [] };
  }
}
