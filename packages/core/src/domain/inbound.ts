import { z } from "zod";
import { ChannelIdSchema } from "./enums.js";
import { IdentitySchema } from "./customer.js";
import { AttachmentSchema, DeliveryStatusSchema } from "./message.js";

/**
 * Removes NUL characters, which no PostgreSQL text or jsonb value can hold (a malformed mail
 * may carry them): the message is kept, minus what no store could keep anyway.
 */
function withoutNul<T>(value: T): T {
  // Copy-on-write: the same object comes back unless a NUL was found in it (nearly always).
  if (typeof value === "string") return (value.includes("\u0000") ? value.replaceAll("\u0000", "") : value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item, i) => {
      const clean = withoutNul(item);
      if (clean !== item) (out ??= [...value])[i] = clean;
    });
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const key = withoutNul(k);
      const clean = withoutNul(v);
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
  externalId: z.string().min(1).max(1000),
  occurredAt: z.coerce.date(),
  from: z.object({
    /** Every handle the channel knows for the sender; the first one is the primary. */
    identities: z.array(IdentitySchema).min(1).max(10),
    name: z.string().max(200).nullable().optional(),
    locale: z.string().max(35).nullable().optional(),
  }),
  subject: z.string().max(1000).nullable().optional(),
  text: z.string().max(200_000),
  html: z.string().max(2_000_000).nullable().optional(),
  attachments: z.array(InboundAttachmentSchema).max(100).default([]),
  /** `comment` for public comments (own ticket kind), `message` otherwise. */
  kind: z.enum(["message", "comment"]).default("message"),
  /**
   * Threading hints, strongest first: external ids of earlier messages this replies to
   * (email References / In-Reply-To, WhatsApp context id).
   */
  replyTo: z.array(z.string().min(1).max(1000)).max(1000).default([]),
  /** A ticket number the message names (email subject token, plus-address). Only honoured when the sender matches. */
  ticketNumber: z.number().int().positive().nullable().optional(),
  /** The channel's conversation key; an open ticket with the same key and customer continues. */
  conversationKey: z.string().max(1000).nullable().optional(),
  /** How long after the last activity a conversation key still threads (ms); default: while the ticket is not closed. */
  threadWindowMs: z.number().int().positive().nullable().optional(),
  /** An automatic message (out-of-office, auto-reply): recorded, but never auto-acknowledged. */
  automatic: z.boolean().default(false),
  /** Channel-specific facts kept on the message (JSON-safe). */
  meta: z.record(z.string(), z.unknown()).default({}),
}).transform((event) => withoutNul(event));

/** A delivery receipt or failure for a message the shop sent. */
export const DeliveryStatusEventSchema = z.object({
  type: z.literal("delivery"),
  channel: ChannelIdSchema,
  /** External id of the outbound message. */
  externalId: z.string().min(1).max(1000),
  status: DeliveryStatusSchema,
  occurredAt: z.coerce.date(),
  error: z.object({ code: z.string(), title: z.string() }).nullable().optional(),
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
