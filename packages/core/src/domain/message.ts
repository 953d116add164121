import { z } from "zod";
import { ChannelIdSchema } from "./enums.js";

/** Direction of a message: from the customer, to the customer, or an internal note no customer sees. */
export const MessageDirectionSchema = z.enum(["inbound", "outbound", "note"]);
/** A message direction. */
export type MessageDirection = z.infer<typeof MessageDirectionSchema>;

/** Who wrote a message. */
export const AuthorKindSchema = z.enum(["customer", "agent", "bot", "system"]);
/** An author kind. */
export type AuthorKind = z.infer<typeof AuthorKindSchema>;

/** Delivery state of an outbound message, advanced by the channel's receipts. */
export const DeliveryStatusSchema = z.enum(["received", "queued", "sent", "delivered", "read", "failed"]);
/** A delivery status. */
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** A file attached to a message. `url` or inline `content` (base64), never both required. */
export const AttachmentSchema = z.object({
  filename: z.string().max(500).nullable(),
  contentType: z.string().max(200),
  size: z.number().int().nonnegative().nullable(),
  url: z.string().max(4000).nullable(),
  /** Provider media id when the file must be fetched through the provider's API. */
  providerId: z.string().max(500).nullable(),
  contentBase64: z.string().nullable(),
});
/** An attachment. */
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * An attachment with every field present: what is missing is null (how adapters and callers may
 * describe a file, and how the store keeps it).
 *
 * @example
 * completeAttachment({ contentType: "image/png", url: "https://cdn.example/1.png" }).filename; // null
 */
export function completeAttachment(
  a: Pick<Attachment, "contentType"> & Partial<Omit<Attachment, "contentType">>,
): Attachment {
  return {
    filename: a.filename ?? null,
    contentType: a.contentType,
    size: a.size ?? null,
    url: a.url ?? null,
    providerId: a.providerId ?? null,
    contentBase64: a.contentBase64 ?? null,
  };
}

/** One message on a ticket. */
export const MessageSchema = z.object({
  id: z.string().min(1),
  ticketId: z.string().min(1),
  direction: MessageDirectionSchema,
  authorKind: AuthorKindSchema,
  /** Agent id, bot name or customer id. */
  authorId: z.string().nullable(),
  channel: ChannelIdSchema,
  /** The provider's id (email Message-ID, WhatsApp wamid…); unique per channel. */
  externalId: z.string().max(1000).nullable(),
  /** Plain text; for email only the new part, with quoted history split off. */
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(AttachmentSchema),
  deliveryStatus: DeliveryStatusSchema,
  /** Provider error of a failed delivery. */
  deliveryError: z.object({ code: z.string(), title: z.string() }).nullable(),
  /** Whether the customer can see it (false for notes). Public comments are `visibility: "public"`. */
  visibility: z.enum(["private", "public", "internal"]),
  /** True for auto-acknowledgements and other automatic replies (never counts as an agent reply). */
  automatic: z.boolean(),
  createdAt: z.date(),
  /** Channel-specific facts (subject, references, full quoted original, template name…). */
  meta: z.record(z.string(), z.unknown()),
});
/** A message. */
export type Message = z.infer<typeof MessageSchema>;
