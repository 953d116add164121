/**
 * Raw RFC 5322 mail → storedesk inbound events: a customer message (new text
 * split from quoted history, threading hints, automatic flag) or, for a bounce,
 * a delivery failure of the shop's original message.
 */
import { createHash } from "node:crypto";
import { simpleParser } from "mailparser";
import type { AddressObject, ParsedMail } from "mailparser";
import { StoredeskError } from "@storedesk/core";
import type { InboundEventInput } from "@storedesk/core";
import { detectAutoReply } from "./auto-reply.js";
import { readBounce } from "./bounce.js";
import { fixIso2022Kr } from "./iso-2022-kr.js";
import { splitQuotedReply } from "./quote-split.js";
import { DEFAULT_THREAD_WINDOW_MS, normalizeMessageId, threadingHints } from "./threading.js";

/** Options of {@link emailToEvents}. */
export interface InboundEmailOptions {
  /** Channel id the events carry; default `email`. */
  channel?: string;
  /** How long a subject keeps threading onto an open ticket; default 7 days. */
  threadWindowMs?: number;
  /** Attachments up to this size are kept inline as base64; larger ones only as metadata. Default 5 MiB. */
  maxInlineAttachmentBytes?: number;
  /** The time used when the mail has no valid Date header. */
  now: () => Date;
  /** SMTP envelope recipients, when known (plus-addresses there name a ticket too). */
  envelopeRecipients?: readonly string[];
}

const TEXT_LIMIT = 200_000;
const HTML_LIMIT = 2_000_000;

/**
 * What one inbound mail may hold (docs/guides/email.md has the table). Past `parts` or
 * `headerBytes` the mail is refused (400, `details.limit` names it); past the others it is
 * stored cut down, with `meta.truncated` naming what was cut.
 */
export const EMAIL_LIMITS = {
  /** MIME parts in one mail, nested ones included (so it bounds the nesting depth too): refused past it. */
  parts: 1000,
  /** Header bytes of one MIME part: refused past it. */
  headerBytes: 2 * 1024 * 1024,
  /** Subject characters kept: cut past it. */
  subjectChars: 1000,
  /** Message ids kept from In-Reply-To and References (In-Reply-To, then the newest): cut past it. */
  references: 100,
} as const;

/** Parses raw MIME with mailparser, keeping DSN parts and decoding ISO-2022-KR leftovers. Over a limit → INVALID_INPUT. */
export async function parseMime(raw: Uint8Array | string): Promise<ParsedMail> {
  const input = typeof raw === "string" ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(input, {
      keepDeliveryStatus: true,
      skipTextLinks: true,
      skipImageLinks: true,
      // mailsplit's own bounds, passed through simpleParser's options (typed without them).
      ...({ maxChildNodes: EMAIL_LIMITS.parts, maxHeadSize: EMAIL_LIMITS.headerBytes } as object),
    });
  } catch (cause) {
    throw mimeError(cause);
  }
  // iconv-lite has no ISO-2022-KR codec, so mailparser hands those 7-bit bytes back undecoded.
  if (typeof mail.subject === "string") mail.subject = fixIso2022Kr(mail.subject);
  if (typeof mail.text === "string") mail.text = fixIso2022Kr(mail.text);
  if (typeof mail.html === "string") mail.html = fixIso2022Kr(mail.html);
  for (const list of [mail.from, mail.to, mail.cc].flat()) {
    for (const address of list?.value ?? []) if (address.name) address.name = fixIso2022Kr(address.name);
  }
  return mail;
}

/** A parser failure as a 400 naming the limit; mailparser's own errors must never answer 500. */
function mimeError(cause: unknown): StoredeskError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const limit = /child nodes/i.test(message)
    ? { limit: "mime_parts", max: EMAIL_LIMITS.parts }
    : /header size/i.test(message)
      ? { limit: "header_bytes", max: EMAIL_LIMITS.headerBytes }
      : null;
  return new StoredeskError({
    code: "INVALID_INPUT",
    message: limit ? `Mail over the ${limit.limit} limit (${limit.max})` : `Unreadable MIME: ${message.slice(0, 200)}`,
    details: { ...(limit ?? { limit: null }) },
    cause,
  });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const visit = (list: AddressObject["value"]) => {
    for (const a of list) {
      if (a.address) out.push(a.address);
      if (a.group) visit(a.group);
    }
  };
  for (const obj of [field].flat()) if (obj) visit(obj.value);
  return out;
}

function headerText(mail: ParsedMail, name: string): string | null {
  const value: unknown = mail.headers.get(name);
  if (value == null) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "object" && "value" in value) return String(value.value);
  return typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

/** Every `Delivered-To` value (a relay may add several). */
function deliveredTo(mail: ParsedMail): string[] {
  return mail.headerLines.filter((h) => h.key === "delivered-to").map((h) => h.line.replace(/^[^:]*:\s*/, "").trim());
}

/**
 * The stable id of a mail: its Message-ID, or a digest of the raw bytes when it has none.
 *
 * Not scoped to the sender, on purpose: the desk threads a reply by looking up its
 * References among stored external ids (a customer's follow-up often references their
 * own earlier mail), and outbound replies copy inbound external ids into In-Reply-To and
 * References. The cost: a mail from another sender that reuses a stored Message-ID is
 * taken for a redelivery. The event's `meta.from` records the sender so that case can
 * be detected.
 */
export function externalIdOf(mail: ParsedMail, raw: Uint8Array | string): string {
  return normalizeMessageId(mail.messageId) ?? `sha256:${createHash("sha256").update(raw).digest("hex")}`;
}

/**
 * Turns one raw email into inbound events (none, for a bounce that names no
 * message of ours or only reports a delay). Throws INVALID_INPUT when the input
 * is not a mail with a sender address.
 *
 * @example
 * const events = await emailToEvents(rawMime, { now: () => new Date() });
 * for (const event of events) await desk.ingest(event);
 */
export async function emailToEvents(
  raw: Uint8Array | string,
  options: InboundEmailOptions,
): Promise<InboundEventInput[]> {
  const channel = options.channel ?? "email";
  const mail = await parseMime(raw);
  const sender = mail.from?.value.find((a) => a.address);
  if (!sender?.address)
    throw new StoredeskError({ code: "INVALID_INPUT", message: "Not an email with a From address", path: ["from"] });
  const occurredAt = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : options.now();

  const bounce = await readBounce(mail);
  if (bounce) {
    if (!bounce.originalMessageId || bounce.action === "delayed") return [];
    const failed = bounce.action === null || bounce.action === "failed";
    return [
      {
        type: "delivery",
        channel,
        externalId: bounce.originalMessageId,
        status: failed ? "failed" : "delivered",
        occurredAt,
        error: failed
          ? {
              code: bounce.status ?? "bounce",
              title: (bounce.diagnostic ?? `Undeliverable to ${bounce.recipient ?? "recipient"}`).slice(0, 500),
            }
          : null,
      },
    ];
  }

  const fullText = (mail.text ?? "").trim();
  const split = splitQuotedReply(fullText);
  const header = (name: string) => headerText(mail, name);
  const verdict = detectAutoReply(header, mail.subject, sender.address);
  const hints = threadingHints(
    {
      subject: mail.subject ?? null,
      references: mail.references ?? null,
      inReplyTo: mail.inReplyTo ?? null,
      recipients: [
        ...addresses(mail.to),
        ...addresses(mail.cc),
        ...deliveredTo(mail),
        ...(options.envelopeRecipients ?? []),
      ],
    },
    options.threadWindowMs ?? DEFAULT_THREAD_WINDOW_MS,
  );
  const maxInline = options.maxInlineAttachmentBytes ?? 5 * 1024 * 1024;
  const truncated: Record<string, unknown> = {};
  const subject = mail.subject ? mail.subject.slice(0, EMAIL_LIMITS.subjectChars) : null;
  if (mail.subject && mail.subject.length > EMAIL_LIMITS.subjectChars) truncated.subjectChars = mail.subject.length;
  const replyTo = hints.replyTo.slice(0, EMAIL_LIMITS.references);
  if (hints.replyTo.length > replyTo.length) truncated.references = hints.replyTo.length;
  const html = typeof mail.html === "string" && mail.html.length <= HTML_LIMIT ? mail.html : null;

  return [
    {
      type: "message",
      channel,
      externalId: externalIdOf(mail, raw),
      occurredAt,
      from: { identities: [{ kind: "email", value: sender.address.toLowerCase() }], name: sender.name || null },
      subject,
      text: split.text.slice(0, TEXT_LIMIT),
      html,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename ? fixIso2022Kr(a.filename).slice(0, 500) : null,
        contentType: a.contentType.slice(0, 200),
        size: a.size,
        contentBase64: a.size <= maxInline ? a.content.toString("base64") : null,
      })),
      replyTo,
      ticketNumber: hints.ticketNumber,
      conversationKey: hints.conversationKey,
      threadWindowMs: hints.threadWindowMs,
      automatic: verdict.automatic,
      meta: {
        messageId: normalizeMessageId(mail.messageId),
        // The sender the Message-ID came from: the external id is not scoped to it (see externalIdOf).
        from: sender.address.toLowerCase(),
        inReplyTo: normalizeMessageId(mail.inReplyTo),
        references: replyTo,
        to: addresses(mail.to),
        cc: addresses(mail.cc),
        // Who took part (identity keys): a later reply from one of them may thread by its References.
        participants: [
          ...new Set([...addresses(mail.to), ...addresses(mail.cc)].map((a) => `email:${a.toLowerCase()}`)),
        ].slice(0, 100),
        quotedText: split.quoted,
        // The whole body as received, quoted history included; `text` holds only the new part.
        fullText: fullText.slice(0, TEXT_LIMIT),
        htmlOmitted: typeof mail.html === "string" && html === null,
        autoReplyReason: verdict.reason,
        ...(Object.keys(truncated).length > 0 ? { truncated } : {}),
      },
    },
  ];
}
