import { createHash } from "node:crypto";
import { z } from "zod";
import { ChannelIdSchema } from "./enums.js";
import { IdentitySchema } from "./customer.js";
import { AttachmentSchema, DeliveryStatusSchema } from "./message.js";

/**
 * Text every store can keep: NUL removed (no PostgreSQL text or jsonb value holds it) and an
 * unpaired UTF-16 surrogate (half an emoji, valid in JSON) replaced by U+FFFD. A malformed
 * mail or payload keeps its message, minus what no store could keep anyway.
 *
 * @example
 * cleanText("a\u0000b \ud83d") // "ab \ufffd"
 */
export function cleanText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\ufffd");
}
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A value as JSON keeps it: Dates become ISO strings, `undefined` keys go, NaN and ±Infinity
 * become null. What a memory store and PostgreSQL's jsonb then hold is the same.
 */
export function asJson<T>(value: T): T {
  // Plain JSON data (nearly always) is copied as it is; anything JSON would change takes the round trip.
  const copy = jsonCopy(value ?? null, 0);
  return (copy === NOT_PLAIN ? JSON.parse(JSON.stringify(value ?? null)) : copy) as T;
}

const NOT_PLAIN: unique symbol = Symbol("not plain JSON");

/**
 * A deep copy of `value` when JSON would keep it exactly (strings, finite numbers but -0, booleans,
 * null, plain objects and dense arrays of those, no `toJSON`, no `__proto__` key), else NOT_PLAIN.
 */
function jsonCopy(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? value : NOT_PLAIN;
  if (typeof value !== "object" || depth > 64) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item = jsonCopy(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out.push(item);
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || "toJSON" in value) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === "__proto__") return NOT_PLAIN;
    const item = jsonCopy((value as Record<string, unknown>)[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[key] = item;
  }
  return out;
}

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

/**
 * Cleans every string of a value (keys too) with {@link cleanText}; returns the same object
 * when nothing needed cleaning. The desk runs it on everything it accepts, so every store
 * keeps the same text.
 */
export function cleanStrings<T>(value: T): T {
  // Copy-on-write: the same object comes back unless something was cleaned (nearly always).
  if (typeof value === "string") return cleanText(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = cleanStrings(item);
      if (clean !== item) (out ??= [...(value as unknown[])])[i] = clean;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    let out: Record<string, unknown> | null = null;
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      const key = cleanText(k);
      const clean = cleanStrings(v);
      if (key !== k || clean !== v) {
        out ??= { ...(value as Record<string, unknown>) };
        if (key !== k) delete out[k];
        out[key] = clean;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}

/** Attachment as an adapter reports it (missing fields default to null). */
export const InboundAttachmentSchema = AttachmentSchema.partial().extend({ contentType: z.string().max(200) }).transform((a) => ({
  filename: a.filename ?? null,
  contentType: a.contentType,
  size: a.size ?? null,
  url: a.url ?? null,
  providerId: a.providerId ?? null,
  contentBase64: a.contentBase64 ?? null,
}));

/**
 * A customer message normalized by a channel adapter. `externalId` must be
 * stable across redeliveries: `ingest` is idempotent on `(channel, externalId)`.
 */
export const InboundMessageEventSchema = z.object({
  type: z.literal("message"),
  channel: ChannelIdSchema,
  externalId: z.string().min(1).max(10_000),
  occurredAt: z.coerce.date(),
  from: z.object({
    /** Every handle the channel knows for the sender; the first one is the primary. */
    identities: z.array(IdentitySchema).min(1).max(10),
    name: z.string().max(200).nullable().optional(),
    locale: z.string().max(35).nullable().optional(),
  }),
  subject: z.string().max(1000).nullable().optional(),
  /** Plain text; beyond {@link MAX_TEXT_CHARS} it is cut (and `meta.truncated` set) rather than refused. */
  text: z.string(),
  html: z.string().nullable().optional(),
  attachments: z.array(InboundAttachmentSchema).max(100).default([]),
  /** `comment` for public comments (own ticket kind), `message` otherwise. */
  kind: z.enum(["message", "comment"]).default("message"),
  /**
   * Threading hints, strongest first: external ids of earlier messages this replies to
   * (email References / In-Reply-To, WhatsApp context id).
   */
  replyTo: z.array(z.string().min(1).max(10_000)).max(1000).default([]),
  /** A ticket number the message names (email subject token, plus-address). Only honoured when the sender matches. */
  ticketNumber: z.number().int().positive().nullable().optional(),
  /** The channel's conversation key; an open ticket with the same key and customer continues. */
  conversationKey: z.string().max(10_000).nullable().optional(),
  /** How long after the last activity a conversation key still threads (ms); default: while the ticket is not closed. */
  threadWindowMs: z.number().int().positive().nullable().optional(),
  /** An automatic message (out-of-office, auto-reply): recorded, but never auto-acknowledged. */
  automatic: z.boolean().default(false),
  /** Channel-specific facts kept on the message; reduced to JSON (Dates become ISO strings) so every store keeps the same. */
  meta: z.record(z.string(), z.unknown()).default({}).transform(asJson),
}).transform((event) => {
  const clean = cleanStrings(event);
  const truncated = clean.text.length > MAX_TEXT_CHARS || (clean.html?.length ?? 0) > MAX_HTML_CHARS;
  return {
    ...clean,
    ...(truncated ? {
      // Cleaned again after the cut: it may split an emoji in two.
      text: cleanText(clean.text.slice(0, MAX_TEXT_CHARS)),
      html: clean.html ? cleanText(clean.html.slice(0, MAX_HTML_CHARS)) : clean.html,
      meta: { ...clean.meta, truncated: { textChars: clean.text.length, htmlChars: clean.html?.length ?? 0 } },
    } : {}),
    externalId: boundedKey(clean.externalId),
    replyTo: clean.replyTo.map(boundedKey),
    ...(clean.conversationKey ? { conversationKey: boundedKey(clean.conversationKey) } : {}),
  };
});

/** A delivery receipt or failure for a message the shop sent. */
export const DeliveryStatusEventSchema = z.object({
  type: z.literal("delivery"),
  channel: ChannelIdSchema,
  /** External id of the outbound message. */
  externalId: z.string().min(1).max(10_000),
  status: DeliveryStatusSchema,
  occurredAt: z.coerce.date(),
  error: z.object({ code: z.string(), title: z.string() }).nullable().optional(),
}).transform((event) => {
  const clean = cleanStrings(event);
  // Provider diagnostics can run long (DSN texts): keep the start rather than refuse the receipt.
  const error = clean.error ? { code: clean.error.code.slice(0, 200), title: clean.error.title.slice(0, 2000) } : clean.error;
  return { ...clean, externalId: boundedKey(clean.externalId), ...(error !== undefined ? { error } : {}) };
});

/** Every event a channel adapter can hand to `desk.ingest`. */
export const InboundEventSchema = z.discriminatedUnion("type", [InboundMessageEventSchema, DeliveryStatusEventSchema]);
/** An inbound event (output form, defaults applied). */
export type InboundEvent = z.output<typeof InboundEventSchema>;
/** An inbound event as adapters write it (defaults optional). */
export type InboundEventInput = z.input<typeof InboundEventSchema>;
/** An inbound customer message. */
export type InboundMessageEvent = z.output<typeof InboundMessageEventSchema>;
/** A delivery receipt. */
export type DeliveryStatusEvent = z.output<typeof DeliveryStatusEventSchema>;
