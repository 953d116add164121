/**
 * A reference consultation-talk dealer. No dealer publishes its 상담톡 API openly; this one
 * uses the consultation API's own vocabulary as dealer integrations quote it (sender_key,
 * user_key, session_id, serial_number, message types TX / PH / FI) with paths and an HMAC
 * webhook signature of its own. Adapting a real dealer means writing another CounselDealer.
 */
import ky from "ky";
import { parseJson, readRawBytes, StoredeskError, verifyHmacSignature } from "@storedesk/core";
import type { CounselDealer, CounselOutbound, CounselWebhookEvent } from "./counsel-port.js";
import { counselResultError } from "./errors.js";
import { CounselWebhookBodySchema } from "./schemas.js";
import { postToDealer, type DealerResult } from "./send.js";

/** Header of the dealer's webhook signature: `sha256=<hex HMAC of the body>`. */
export const COUNSEL_SIGNATURE_HEADER = "x-counsel-signature";

/** Options of {@link referenceCounselDealer}. */
export interface ReferenceCounselDealerOptions {
  baseUrl: string;
  /** API key (Bearer); never logged. */
  apiKey: string;
  /** The Kakao channel's sender (profile) key. */
  senderKey: string;
  /** Secret of the webhook signature. */
  webhookSecret: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * Makes the reference dealer.
 *
 * @example
 * const dealer = referenceCounselDealer({ baseUrl: "https://counsel.dealer.example", apiKey, senderKey, webhookSecret });
 */
export function referenceCounselDealer(options: ReferenceCounselDealerOptions): CounselDealer {
  const http = ky.create({
    prefixUrl: options.baseUrl,
    fetch: options.fetch ?? globalThis.fetch,
    retry: 0,
    throwHttpErrors: false,
    timeout: 15_000,
  });

  async function call(path: string, json: Record<string, unknown>): Promise<DealerResult> {
    const headers = { authorization: `Bearer ${options.apiKey}` };
    const result = await postToDealer(http, { provider: "kakao-counsel", path, json, headers });
    if (result.code !== "0000") throw counselResultError(result.code);
    return result;
  }

  return {
    specVersion: 1,
    name: "reference",
    async parseWebhook(request) {
      // The dealer signs the bytes it sent: verified before decoding, which drops a BOM and folds
      // invalid bytes together (a genuine body would fail, a forged one could pass).
      const bytes = await readRawBytes(request, 1024 * 1024);
      if (
        !verifyHmacSignature({
          rawBody: bytes,
          secret: options.webhookSecret,
          signature: request.headers.get(COUNSEL_SIGNATURE_HEADER),
          encoding: "hex",
          prefix: "sha256=",
        })
      ) {
        throw new StoredeskError({
          code: "SIGNATURE_INVALID",
          message: "Consultation webhook signature missing or wrong",
        });
      }
      const parsed = CounselWebhookBodySchema.safeParse(parseJson(new TextDecoder("utf-8").decode(bytes)));
      if (!parsed.success) throw new StoredeskError({ code: "INVALID_INPUT", message: "Not a consultation webhook" });
      const b = parsed.data;
      if (b.type === "end")
        return [
          {
            type: "session_end",
            userKey: b.user_key,
            sessionId: b.session_id,
            at: new Date(b.time),
            reason: b.content || null,
          },
        ] satisfies CounselWebhookEvent[];
      if (!b.serial_number)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "A message needs serial_number",
          path: ["serial_number"],
        });
      const attachments = b.attachment
        ? [
            {
              kind: b.type === "photo" ? ("image" as const) : ("file" as const),
              url: b.attachment.url,
              name: b.attachment.name ?? null,
              size: b.attachment.size ?? null,
            },
          ]
        : [];
      return [
        {
          type: "message",
          userKey: b.user_key,
          sessionId: b.session_id,
          messageId: b.serial_number,
          at: new Date(b.time),
          text: b.content || (b.type === "photo" ? "[사진 / photo]" : b.type === "file" ? "[파일 / file]" : ""),
          attachments,
          phone: b.phone_number ?? null,
        },
      ];
    },
    async send(message: CounselOutbound) {
      const type = message.kind === "text" ? "TX" : message.kind === "image" ? "PH" : "FI";
      const result = await call("v1/counsel/messages", {
        sender_key: options.senderKey,
        user_key: message.userKey,
        session_id: message.sessionId,
        serial_number: message.messageKey,
        message_type: type,
        ...(message.text ? { message: message.text } : {}),
        ...(message.kind === "image" ? { image_url: message.url } : {}),
        ...(message.kind === "file" ? { file_url: message.url, file_name: message.filename ?? null } : {}),
      });
      return { id: result.message_id ?? message.messageKey };
    },
    async endSession(session) {
      await call("v1/counsel/sessions/end", {
        sender_key: options.senderKey,
        user_key: session.userKey,
        session_id: session.sessionId,
      });
    },
  };
}
