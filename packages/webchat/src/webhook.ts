/**
 * `POST /messages`: verify the visitor's session token (the chat's "signature"), check the
 * payload and its attachments, and turn it into the message event the desk ingests.
 */
import { StoredeskError, invalidInput, jsonResponse, parseInput, parseJson, readRawBody } from "@storedesk/core";
import type { InboundEventInput, WebhookResult } from "@storedesk/core";
import { unverifiedVisitor, webchatErrorResponse } from "./errors.js";
import { signSession, verifySession } from "./identity.js";
import type { VisitorSession } from "./identity.js";
import { ChatMessageRequestSchema } from "./schemas.js";
import type { ChatMessageRequest } from "./schemas.js";

/** Attachment limits. */
export interface AttachmentLimits {
  /** Largest file, decoded bytes. Default 5 MiB. */
  maxBytes: number;
  /** Accepted content types. Default PNG, JPEG, GIF, WebP and PDF. */
  types: string[];
}

/** Defaults for {@link AttachmentLimits}. */
export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 5 * 1024 * 1024,
  types: ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"],
};

// The first bytes of each accepted type: a file is what it starts with, whatever it is called.
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  "image/png": (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/gif": (b) => b.subarray(0, 4).toString("latin1") === "GIF8",
  "image/webp": (b) =>
    b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
  "application/pdf": (b) => b.subarray(0, 5).toString("latin1") === "%PDF-",
};

/** Options the webhook needs. */
export interface WebhookOptions {
  channelId: string;
  secret: string;
  verifiedOnly: boolean;
  attachments: AttachmentLimits;
  now: () => Date;
  /**
   * Pre-chat fields that must be answered on the first message of a session: a session whose
   * token does not say the form was answered ({@link VisitorSession.prechatAnswered}) must send
   * them in `prechat`, non-blank; later messages of that session need not.
   */
  requiredPrechat: Array<"name" | "email" | "orderNumber" | "topic">;
}

/**
 * The session of a request: `Authorization: Bearer <token>` (or `?token=` for EventSource,
 * which cannot set headers). Throws SIGNATURE_INVALID (401), or 403 in verified-only mode.
 *
 * @example
 * const session = sessionOf(request, { secret, verifiedOnly: false, now: () => new Date() });
 */
export function sessionOf(
  request: Request,
  options: Pick<WebhookOptions, "secret" | "verifiedOnly" | "now">,
): VisitorSession {
  const header = request.headers.get("authorization");
  const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : new URL(request.url).searchParams.get("token");
  const session = verifySession(token, options.secret, options.now());
  if (options.verifiedOnly && !session.verified) throw unverifiedVisitor();
  return session;
}

/** An attachment that passed the limits. */
export interface CheckedAttachment {
  filename: string;
  contentType: string;
  size: number;
  contentBase64: string;
}

function checkAttachments(message: ChatMessageRequest, limits: AttachmentLimits): CheckedAttachment[] {
  return message.attachments.map((a, i) => {
    const type = a.contentType.toLowerCase();
    if (!limits.types.includes(type)) {
      throw invalidInput(`Attachment type ${type} is not accepted (${limits.types.join(", ")})`, [
        "attachments",
        i,
        "contentType",
      ]);
    }
    const bytes = Buffer.from(a.contentBase64, "base64");
    if (bytes.byteLength > limits.maxBytes) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Attachment larger than ${limits.maxBytes} bytes`,
        path: ["attachments", i],
        details: { tooLarge: true, maxBytes: limits.maxBytes },
      });
    }
    const sniff = MAGIC[type];
    if (sniff && !sniff(bytes))
      throw invalidInput(`Attachment is not a ${type} file`, ["attachments", i, "contentBase64"]);
    return { filename: a.filename, contentType: type, size: bytes.byteLength, contentBase64: a.contentBase64 };
  });
}

/**
 * The pre-chat gate. Until the session's token says the form was answered, a message must carry
 * `prechat` with every required field non-blank (the schema trims, so whitespace is blank; an
 * email must parse as one). Answers sent later are checked the same way. Throws INVALID_INPUT
 * (400) at `["prechat", field]`, before anything is turned into an event.
 */
function checkPrechat(
  session: VisitorSession,
  message: ChatMessageRequest,
  required: WebhookOptions["requiredPrechat"],
) {
  if (required.length === 0) return;
  if (session.prechatAnswered === true && !message.prechat) return;
  for (const field of required) {
    const value = message.prechat?.[field];
    if (value === undefined || value.trim().length === 0) {
      throw invalidInput(
        message.prechat
          ? `The pre-chat form needs ${field}`
          : `The pre-chat form needs ${field}: send the form's answers (prechat) with the first message of the session`,
        ["prechat", field],
      );
    }
  }
}

/**
 * Turns a parsed visitor message into the desk's event. The external id is the visitor's id with
 * the widget's `clientMessageId`, so a resent message is a duplicate, never a second message.
 *
 * @example
 * const event = toInboundEvent("webchat", session, message, attachments, new Date());
 */
export function toInboundEvent(
  channelId: string,
  session: VisitorSession,
  message: ChatMessageRequest,
  attachments: CheckedAttachment[],
  now: Date,
): InboundEventInput {
  const facts: string[] = [];
  if (message.prechat?.orderNumber) facts.push(`Order: ${message.prechat.orderNumber}`);
  if (message.prechat?.topic) facts.push(`Topic: ${message.prechat.topic}`);
  const text = [message.text.trim(), ...facts].filter((t) => t.length > 0).join("\n\n");
  return {
    type: "message",
    channel: channelId,
    externalId: `webchat:${session.visitorId}:${message.clientMessageId}`,
    occurredAt: now,
    // Only identities the shop's server vouched for are linked: an email typed by an anonymous
    // visitor is kept as a contact address, never used to find (and join) someone's records.
    from: {
      identities: [{ kind: "webchat", value: session.visitorId }, ...session.identities],
      name: session.name ?? message.prechat?.name ?? null,
      locale: message.locale ?? null,
    },
    text,
    attachments,
    conversationKey: session.visitorId,
    meta: {
      clientMessageId: message.clientMessageId,
      verified: session.verified,
      ...(message.prechat ? { prechat: message.prechat } : {}),
      ...((message.contactEmail ?? message.prechat?.email)
        ? { contactEmail: message.contactEmail ?? message.prechat?.email }
        : {}),
      ...(message.pageUrl ? { pageUrl: message.pageUrl } : {}),
      ...(message.quickReply ? { quickReply: message.quickReply } : {}),
    },
  };
}

/**
 * The adapter's `handleWebhook`: 401 for a missing or forged token, 403 for an unverified visitor
 * in verified-only mode, 400/413 for a bad message, else 202 with one message event.
 *
 * With `requiredPrechat`, the first message of a session must carry those pre-chat answers
 * (400 `INVALID_INPUT` at `["prechat", field]` otherwise, and no event). When a message carrying
 * the answers is accepted on a session not yet marked, the 202 body also holds `token`: the same
 * session (same expiry) re-signed with `prechatAnswered: true`, which the client uses from then on.
 * The mark lives in the signed token, so any instance sharing the secret honours it.
 *
 * @example
 * const { response, events } = await handleChatMessage(request, options);
 */
export async function handleChatMessage(request: Request, options: WebhookOptions): Promise<WebhookResult> {
  try {
    if (request.method !== "POST") throw invalidInput("POST a message", ["method"]);
    const session = sessionOf(request, options);
    // Base64 grows files by a third; allow ten of the largest plus the text.
    const raw = await readRawBody(request, Math.ceil(options.attachments.maxBytes * 1.4) * 10 + 256 * 1024);
    const message = parseInput(ChatMessageRequestSchema, parseJson(raw), "chat message");
    checkPrechat(session, message, options.requiredPrechat);
    const attachments = checkAttachments(message, options.attachments);
    const event = toInboundEvent(options.channelId, session, message, attachments, options.now());
    // The form is answered: from now on the session says so (signed, so no instance needs a record of it).
    const answered =
      message.prechat && session.prechatAnswered !== true
        ? signSession({ ...session, prechatAnswered: true }, options.secret)
        : null;
    return {
      response: jsonResponse(
        {
          accepted: true,
          clientMessageId: message.clientMessageId,
          externalId: event.externalId,
          ...(answered ? { token: answered } : {}),
        },
        202,
      ),
      events: [event],
    };
  } catch (err) {
    return { response: webchatErrorResponse(err), events: [] };
  }
}
