/**
 * What TalkTalk sends: the `send` event body of an outbound message (composite > image > text),
 * the image event that follows a composite or a text, and the one call to the TalkTalk send API,
 * its result codes mapped to storedesk errors.
 */
import type { KyInstance } from "ky";
import type { OutboundMessage } from "@storedesk/core";
import { providerHttpError, StoredeskError } from "@storedesk/core";
import { scrubText } from "./errors.js";
import { TalkCompositeContentSchema, TalkSendResultSchema } from "./schemas.js";
import type { TalkCompositeContent } from "./schemas.js";

/**
 * The TalkTalk user a message goes to (the customer's `naver` identity `talktalk:<user>`);
 * INVALID_INPUT when the customer has none.
 *
 * @example
 * const user = talkTalkRecipient(message); // "wbK3Ua…"
 */
export function talkTalkRecipient(message: Pick<OutboundMessage, "customer">): string {
  const handle = message.customer.identities.find((i) => i.kind === "naver" && i.value.startsWith("talktalk:"));
  if (!handle)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "The customer has no TalkTalk user",
      path: ["customer", "identities"],
    });
  return handle.value.slice("talktalk:".length);
}

/**
 * The first `send` event body for a message: composite (buttons) > image > text; INVALID_INPUT
 * for a malformed composite, text past 10,000 characters, or attachments TalkTalk cannot carry
 * (see {@link sendableAttachments}). An image that does not go in this event (the message also
 * has a composite or text) goes in the next one: {@link talkTalkFollowUpImage}.
 *
 * @example
 * await call(talkTalkPayload(message, talkTalkRecipient(message)));
 */
export function talkTalkPayload(message: OutboundMessage, user: string): Record<string, unknown> {
  sendableAttachments(message);
  const opts = (message.options ?? {}) as { composite?: unknown; notification?: boolean };
  const notification = opts.notification === true ? { options: { notification: true } } : {};
  if (opts.composite) {
    const composite = TalkCompositeContentSchema.safeParse(opts.composite);
    if (!composite.success)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `TalkTalk composite: ${composite.error.issues[0]?.message ?? "invalid"}`,
        path: ["options", "composite"],
      });
    return {
      event: "send",
      user,
      compositeContent: composite.data satisfies TalkCompositeContent,
      ...notification,
    };
  }
  const image = message.attachments?.find((a) => a.contentType.startsWith("image/") && a.url);
  if (image && message.text.trim() === "")
    return { event: "send", user, imageContent: { imageUrl: image.url }, ...notification };
  if (message.text.length > 10_000)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "TalkTalk text is limited to 10,000 characters",
      path: ["text"],
    });
  return { event: "send", user, textContent: { text: message.text }, ...notification };
}

/**
 * Refuses what TalkTalk's send API cannot carry, so no file is silently dropped: it sends one
 * image per event, by URL (`imageContent.imageUrl`), and no other files. INVALID_INPUT (the
 * message fails with this reason) for a non-image, an image without an http(s) URL, or more
 * than one image.
 *
 * @example
 * sendableAttachments(message); // throws for a PDF
 */
export function sendableAttachments(message: Pick<OutboundMessage, "attachments">): void {
  const files = message.attachments ?? [];
  const refuse = (why: string) => {
    throw new StoredeskError({ code: "INVALID_INPUT", message: `TalkTalk ${why}`, path: ["attachments"] });
  };
  if (files.length > 1) refuse("sends one image per reply");
  for (const file of files) {
    if (!file.contentType.startsWith("image/")) refuse(`cannot send ${file.contentType} files, only images`);
    if (!file.url || !/^https?:\/\//.test(file.url)) refuse("sends images by http(s) URL only");
  }
}

/**
 * The image event that follows a composite or a text one: TalkTalk carries one content per `send`
 * event, so a reply with a composite (or text) and an image attachment is two events, the
 * composite (or text) first. Null when the message has no image or the first event already is it.
 *
 * @example
 * const image = talkTalkFollowUpImage(message, user, body);
 * if (image) await call(image);
 */
export function talkTalkFollowUpImage(
  message: OutboundMessage,
  user: string,
  first: Record<string, unknown>,
): Record<string, unknown> | null {
  if ("imageContent" in first) return null;
  const image = message.attachments?.find((a) => a.contentType.startsWith("image/") && a.url);
  return image ? { event: "send", user, imageContent: { imageUrl: image.url } } : null;
}

/**
 * The error of a reply whose first event went out but whose follow-up image did not: the
 * customer has the composite (or text), not the image. PROVIDER_ERROR, never retryable (a retry
 * would send the first event twice), with `details.partial`, what was sent and what was not, and
 * the follow-up's own error as `cause` (its code in `details.causeCode`).
 *
 * @example
 * await call(image).catch((err: unknown) => { throw talkTalkPartialSend(err, body, image); });
 */
export function talkTalkPartialSend(
  err: unknown,
  first: Record<string, unknown>,
  followUp: Record<string, unknown>,
): StoredeskError {
  const sent = "compositeContent" in first ? "compositeContent" : "textContent";
  const what = sent === "compositeContent" ? "composite" : "text";
  const reason = err instanceof Error ? err.message : "unknown failure";
  const imageUrl = (followUp.imageContent as { imageUrl?: unknown } | undefined)?.imageUrl;
  return new StoredeskError({
    code: "PROVIDER_ERROR",
    message: `TalkTalk sent the ${what} but not the image that follows it (${reason}); not retried, so the ${what} is not sent twice: send the image again on its own`,
    path: ["attachments"],
    retryable: false,
    details: {
      provider: "naver-talktalk",
      partial: true,
      sent,
      failed: "imageContent",
      ...(typeof imageUrl === "string" ? { imageUrl } : {}),
      ...(StoredeskError.is(err) ? { causeCode: err.code, ...(err.details ? { causeDetails: err.details } : {}) } : {}),
    },
    cause: err,
  });
}

/** Options of {@link talkTalkSender}. */
export interface TalkTalkSenderOptions {
  http: KyInstance;
  endpoint: string;
  /** The partner's authorization key (header only). */
  authorization: string;
  /** Values scrubbed from every error message. */
  secrets: ReadonlyArray<string>;
}

/**
 * The TalkTalk send API call: network failure and HTTP errors → `providerHttpError` (with
 * `Retry-After`), result code 01 → PROVIDER_AUTH, any other non-00 → PROVIDER_ERROR.
 *
 * @example
 * const call = talkTalkSender({ http, endpoint, authorization, secrets: [authorization] });
 * await call({ event: "action", user, options: { action: "typingOn" } });
 */
export function talkTalkSender(options: TalkTalkSenderOptions): (body: Record<string, unknown>) => Promise<void> {
  const { http, endpoint } = options;
  return async function call(body) {
    let response: Response;
    try {
      response = await http.post(endpoint, {
        json: body,
        headers: { authorization: options.authorization, "content-type": "application/json;charset=UTF-8" },
      });
    } catch {
      throw providerHttpError("naver-talktalk", null, { message: "network failure" });
    }
    const text = await response.text();
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("retry-after"));
      throw providerHttpError(
        "naver-talktalk",
        response.status,
        Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {},
      );
    }
    let result: { success: boolean; resultCode: string; resultMessage?: string | undefined } | null = null;
    try {
      const parsed = TalkSendResultSchema.safeParse(JSON.parse(text));
      if (parsed.success) result = parsed.data;
    } catch {
      /* handled below */
    }
    if (!result) throw new StoredeskError({ code: "PROVIDER_ERROR", message: "TalkTalk answered without a result" });
    if (result.success && result.resultCode === "00") return;
    const detail = scrubText(result.resultMessage ?? "", options.secrets).slice(0, 300);
    const details = { provider: "naver-talktalk", providerCode: result.resultCode };
    if (result.resultCode === "01")
      throw new StoredeskError({
        code: "PROVIDER_AUTH",
        message: `TalkTalk refused the partner key: ${detail}`,
        details,
      });
    throw new StoredeskError({
      code: "PROVIDER_ERROR",
      message: `TalkTalk error ${result.resultCode}: ${detail}`,
      details,
    });
  };
}
