import { createHash } from "node:crypto";
import { z } from "zod";
import { ChannelIdSchema } from "./enums.js";
import { IdentitySchema, normalizeIdentity } from "./customer.js";
import { AttachmentSchema, completeAttachment, DeliveryStatusSchema } from "./message.js";
import { asJson, cleanStrings, cleanText, cutDeepJson, MAX_JSON_DEPTH } from "./json-value.js";

export { asJson, cleanStrings, cleanText, cutDeepJson, MAX_JSON_DEPTH } from "./json-value.js";

/** Longest message text kept (characters); a longer one is cut, never refused. */
export const MAX_TEXT_CHARS = 200_000;
/** Longest HTML body kept (characters). */
export const MAX_HTML_CHARS = 2_000_000;

/** Keys longer than this many UTF-8 bytes are stored as their SHA-256 (btree indexes stop near 2.7 KB). */
export const MAX_KEY_BYTES = 512;

/**
 * A provider key (external id, conversation key, reference) short enough for any index:
 * as it is, or `sha256:<hex>` of it when longer than {@link MAX_KEY_BYTES}. Deterministic,
 * so a redelivery and a later reference map to the same key.
 */
export function boundedKey(key: string): string {
  if (key.length * 3 <= MAX_KEY_BYTES || Buffer.byteLength(key, "utf8") <= MAX_KEY_BYTES) return key;
  return `sha256:${createHash("sha256").update(key, "utf8").digest("hex")}`;
}

/** Most attachments kept on one message; past it the first ones are kept and the rest named in `meta.truncated`. */
export const MAX_ATTACHMENTS = 100;
/** Most identities kept for one sender; past it the first (strongest) ones are kept. */
export const MAX_IDENTITIES = 10;
/** Most `replyTo` ids kept (strongest first). */
export const MAX_REPLY_TO = 1000;
/** Most `conversationKeyAliases` kept. */
export const MAX_CONVERSATION_ALIASES = 10;
/** Longest sender name kept (characters). */
export const MAX_NAME_CHARS = 200;
/** Longest subject kept (characters). */
export const MAX_SUBJECT_CHARS = 1000;

const cut = (limit: number) => (s: string) => (s.length > limit ? s.slice(0, limit) : s);
/** A string field over its limit is dropped (null) rather than refused: a cut URL or id is worth nothing. */
const dropOver = (limit: number) => (s: string | null | undefined) => (s != null && s.length > limit ? null : s);

/** Longest identity value kept as it is; a longer one (normalized first) is kept as its SHA-256. */
export const MAX_IDENTITY_CHARS = 320;

/** A sender's handle as an adapter reports it: like {@link IdentitySchema}, but a too-long value is hashed, not refused. */
export const InboundIdentitySchema = IdentitySchema.extend({
  value: z
    .string()
    .trim()
    .min(1)
    .regex(/[\p{L}\p{N}]/u, "an identity needs a letter or a digit"),
}).transform((identity) => {
  if (identity.value.length <= MAX_IDENTITY_CHARS) return identity;
  const normal = normalizeIdentity({ kind: identity.kind, value: identity.value });
  return { kind: identity.kind, value: `sha256:${createHash("sha256").update(normal.value, "utf8").digest("hex")}` };
});

/**
 * Attachment as an adapter reports it (missing fields default to null). Over-long names and types
 * are cut, an over-long URL or provider id dropped: an attachment is never the reason a message is lost.
 */
export const InboundAttachmentSchema = AttachmentSchema.partial()
  .extend({
    filename: z.string().transform(cut(500)).nullable().optional(),
    contentType: z.string().transform(cut(200)),
    url: z.string().nullable().optional().transform(dropOver(4000)),
    providerId: z.string().nullable().optional().transform(dropOver(500)),
  })
  .transform(completeAttachment);

/** `meta.truncated` of an event: what was cut to fit the limits, by what (adapters may add their own keys). */
function withTruncated(meta: Record<string, unknown>, cut: Record<string, unknown>): Record<string, unknown> {
  const before = meta.truncated;
  return { ...meta, truncated: { ...(typeof before === "object" && before !== null ? before : {}), ...cut } };
}

/**
 * A message's `meta` as every store keeps it: JSON (Dates become ISO strings), and parts nested
 * deeper than the bound cut (a hostile `referral` must not cost the customer their message),
 * named in `meta.truncated.depth`. Two levels are left for the event around it.
 */
function boundedMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const { value, cut } = cutDeepJson(meta, MAX_JSON_DEPTH - 2);
  const json = asJson(value);
  return cut.length > 0 ? withTruncated(json, { depth: cut }) : json;
}

/**
 * A customer message normalized by a channel adapter. `externalId` must be
 * stable across redeliveries: `ingest` is idempotent on `(channel, externalId)`.
 */
export const InboundMessageEventSchema = z
  .object({
    type: z.literal("message"),
    channel: ChannelIdSchema,
    /** Any length: one over {@link MAX_KEY_BYTES} is kept as its SHA-256 (see {@link boundedKey}). */
    externalId: z.string().min(1),
    occurredAt: z.coerce.date(),
    from: z.object({
      /** Every handle the channel knows for the sender; the first one is the primary (the first {@link MAX_IDENTITIES} kept). */
      identities: z.array(InboundIdentitySchema).min(1),
      /** Cut to {@link MAX_NAME_CHARS}. */
      name: z.string().nullable().optional(),
      /** A value longer than a language tag (35) is dropped. */
      locale: z.string().nullable().optional().transform(dropOver(35)),
    }),
    /** Cut to {@link MAX_SUBJECT_CHARS}. */
    subject: z.string().nullable().optional(),
    /** Plain text; beyond {@link MAX_TEXT_CHARS} it is cut (and `meta.truncated` set) rather than refused. */
    text: z.string(),
    html: z.string().nullable().optional(),
    /** The first {@link MAX_ATTACHMENTS} kept; the rest counted and named in `meta.truncated.attachments`. */
    attachments: z.array(InboundAttachmentSchema).default([]),
    /** `comment` for public comments (own ticket kind), `message` otherwise. */
    kind: z.enum(["message", "comment"]).default("message"),
    /**
     * Threading hints, strongest first: external ids of earlier messages this replies to
     * (email References / In-Reply-To, WhatsApp context id).
     */
    replyTo: z.array(z.string()).default([]),
    /** A ticket number the message names (email subject token, plus-address). Only honoured when the sender matches. */
    ticketNumber: z.number().int().positive().nullable().optional(),
    /** The channel's conversation key; an open ticket with the same key and customer continues. */
    conversationKey: z.string().nullable().optional(),
    /**
     * Keys the same conversation was known by before (WhatsApp: the phone number's key, once the
     * user's business-scoped id names the conversation). Tried after `conversationKey`; an open
     * ticket found under one takes `conversationKey` over (`conversation.rekeyed`). The first
     * {@link MAX_CONVERSATION_ALIASES} kept.
     */
    conversationKeyAliases: z.array(z.string()).default([]),
    /** How long after the last activity a conversation key still threads (ms); default: while the ticket is not closed. */
    threadWindowMs: z.number().int().positive().nullable().optional(),
    /** An automatic message (out-of-office, auto-reply): recorded, but never auto-acknowledged. */
    automatic: z.boolean().default(false),
    /** Channel-specific facts kept on the message; reduced to JSON (Dates become ISO strings) so every store keeps the same. */
    meta: z.record(z.string(), z.unknown()).default({}).transform(boundedMeta),
  })
  .transform((event) => {
    const clean = cleanStrings(event);
    // "2xx ⇒ stored": what is over a limit is cut here and named in meta.truncated, never refused.
    const truncated: Record<string, unknown> = {};
    if (clean.text.length > MAX_TEXT_CHARS || (clean.html?.length ?? 0) > MAX_HTML_CHARS) {
      Object.assign(truncated, { textChars: clean.text.length, htmlChars: clean.html?.length ?? 0 });
    }
    const name =
      clean.from.name && clean.from.name.length > MAX_NAME_CHARS
        ? clean.from.name.slice(0, MAX_NAME_CHARS)
        : clean.from.name;
    if (name !== clean.from.name) truncated.nameChars = clean.from.name!.length;
    const subject =
      clean.subject && clean.subject.length > MAX_SUBJECT_CHARS
        ? clean.subject.slice(0, MAX_SUBJECT_CHARS)
        : clean.subject;
    if (subject !== clean.subject) truncated.subjectChars = clean.subject!.length;
    if (clean.from.identities.length > MAX_IDENTITIES) truncated.identities = clean.from.identities.length;
    if (clean.attachments.length > MAX_ATTACHMENTS) {
      const dropped = clean.attachments.slice(MAX_ATTACHMENTS);
      truncated.attachments = {
        dropped: dropped.length,
        names: dropped.slice(0, 50).map((a) => a.filename ?? a.contentType),
      };
    }
    const replyTo = clean.replyTo.filter((id) => id.length > 0);
    if (replyTo.length > MAX_REPLY_TO) truncated.replyTo = replyTo.length;
    const cutAny = Object.keys(truncated).length > 0;
    return {
      ...clean,
      // Cleaned again after the cut: it may split an emoji in two.
      ...(name !== clean.from.name || truncated.identities !== undefined
        ? {
            from: {
              ...clean.from,
              name: name ? cleanText(name) : name,
              identities: clean.from.identities.slice(0, MAX_IDENTITIES),
            },
          }
        : {}),
      ...(subject !== clean.subject ? { subject: cleanText(subject!) } : {}),
      ...(truncated.textChars !== undefined
        ? {
            text: cleanText(clean.text.slice(0, MAX_TEXT_CHARS)),
            html: clean.html ? cleanText(clean.html.slice(0, MAX_HTML_CHARS)) : clean.html,
          }
        : {}),
      ...(clean.attachments.length > MAX_ATTACHMENTS
        ? { attachments: clean.attachments.slice(0, MAX_ATTACHMENTS) }
        : {}),
      ...(cutAny ? { meta: withTruncated(clean.meta, truncated) } : {}),
      externalId: boundedKey(clean.externalId),
      replyTo: replyTo.slice(0, MAX_REPLY_TO).map(boundedKey),
      ...(clean.conversationKey ? { conversationKey: boundedKey(clean.conversationKey) } : {}),
      // Almost every event has none: no copies on the hot path then.
      conversationKeyAliases:
        clean.conversationKeyAliases.length === 0
          ? clean.conversationKeyAliases
          : clean.conversationKeyAliases
              .filter((key) => key.length > 0)
              .slice(0, MAX_CONVERSATION_ALIASES)
              .map(boundedKey),
    };
  });

/** A delivery receipt or failure for a message the shop sent. */
export const DeliveryStatusEventSchema = z
  .object({
    type: z.literal("delivery"),
    channel: ChannelIdSchema,
    /** External id of the outbound message (any length: hashed past {@link MAX_KEY_BYTES}, as on messages). */
    externalId: z.string().min(1),
    status: DeliveryStatusSchema,
    occurredAt: z.coerce.date(),
    error: z.object({ code: z.string(), title: z.string() }).nullable().optional(),
    /**
     * Our own message id when the provider echoes it with the receipt (WhatsApp's
     * `biz_opaque_callback_data`): lets the desk recognise a message the provider took although
     * its answer never reached us (a timeout, a crash), instead of sending it again.
     */
    messageId: z.string().min(1).max(200).nullable().optional(),
  })
  .transform((event) => {
    const clean = cleanStrings(event);
    // Provider diagnostics can run long (DSN texts): keep the start rather than refuse the receipt.
    const error = clean.error
      ? { code: clean.error.code.slice(0, 200), title: clean.error.title.slice(0, 2000) }
      : clean.error;
    return { ...clean, externalId: boundedKey(clean.externalId), ...(error !== undefined ? { error } : {}) };
  });

/** Longest author name kept on an echo (characters). */
export const MAX_AUTHOR_CHARS = 200;

/**
 * A message the shop sent **outside the desk** (typed in the provider's own inbox: the TalkTalk
 * partner center, the Messenger/Instagram Page inbox), reported back by the channel. The desk
 * records it on the customer's open ticket of that conversation as an agent's reply, so the
 * ticket shows it and the SLA counts it; an echo of a message the desk sent itself (same
 * `externalId`) is a no-op.
 */
export const InboundEchoEventSchema = z
  .object({
    type: z.literal("echo"),
    channel: ChannelIdSchema,
    /** The provider's id of the message (any length: hashed past {@link MAX_KEY_BYTES}). */
    externalId: z.string().min(1),
    occurredAt: z.coerce.date(),
    /** The customer the shop wrote to: every handle the channel knows (none is created from an echo). */
    to: z.object({ identities: z.array(InboundIdentitySchema).min(1) }),
    /** The conversation, as on the customer's messages of this channel. */
    conversationKey: z.string().nullable().optional(),
    /** Earlier messages this answers (strongest first), when the provider names them. */
    replyTo: z.array(z.string()).default([]),
    text: z.string(),
    html: z.string().nullable().optional(),
    attachments: z.array(InboundAttachmentSchema).default([]),
    /** Who wrote it, as the provider names them (a partner-center nickname); not a desk agent id. */
    author: z
      .object({ name: z.string().nullable().optional(), externalId: z.string().nullable().optional() })
      .default({}),
    meta: z.record(z.string(), z.unknown()).default({}).transform(boundedMeta),
  })
  .transform((event) => {
    const clean = cleanStrings(event);
    const cutText = clean.text.length > MAX_TEXT_CHARS;
    const name = clean.author.name ?? null;
    const authorId = clean.author.externalId ?? null;
    return {
      ...clean,
      to: { identities: clean.to.identities.slice(0, MAX_IDENTITIES) },
      text: cutText ? cleanText(clean.text.slice(0, MAX_TEXT_CHARS)) : clean.text,
      html:
        clean.html && clean.html.length > MAX_HTML_CHARS ? cleanText(clean.html.slice(0, MAX_HTML_CHARS)) : clean.html,
      attachments: clean.attachments.slice(0, MAX_ATTACHMENTS),
      author: {
        name: name && name.length > MAX_AUTHOR_CHARS ? cleanText(name.slice(0, MAX_AUTHOR_CHARS)) : name,
        externalId: authorId ? boundedKey(authorId) : null,
      },
      ...(cutText ? { meta: withTruncated(clean.meta, { textChars: clean.text.length }) } : {}),
      externalId: boundedKey(clean.externalId),
      replyTo: clean.replyTo
        .filter((id) => id.length > 0)
        .slice(0, MAX_REPLY_TO)
        .map(boundedKey),
      conversationKey: clean.conversationKey ? boundedKey(clean.conversationKey) : null,
    };
  });

/** Every event a channel adapter can hand to `desk.ingest`. */
export const InboundEventSchema = z.discriminatedUnion("type", [
  InboundMessageEventSchema,
  DeliveryStatusEventSchema,
  InboundEchoEventSchema,
]);
/** An inbound event (output form, defaults applied). */
export type InboundEvent = z.output<typeof InboundEventSchema>;
/** An inbound event as adapters write it (defaults optional). */
export type InboundEventInput = z.input<typeof InboundEventSchema>;
/** An inbound customer message. */
export type InboundMessageEvent = z.output<typeof InboundMessageEventSchema>;
/** A delivery receipt. */
export type DeliveryStatusEvent = z.output<typeof DeliveryStatusEventSchema>;
/** A message the shop sent outside the desk, reported back by its channel (see {@link InboundEchoEventSchema}). */
export type InboundEchoEvent = z.output<typeof InboundEchoEventSchema>;
