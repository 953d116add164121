/** The shapes the widget posts (zod, checked at the edge) and the events it receives. */
import { z } from "zod";

/**
 * A logged-in customer as the shop's page passes it, with the hash the shop's server computed.
 * The signed fields (`id`, `email`, `shopifyCustomerId`) are checked but never trimmed or
 * rewritten, so the hash is verified over exactly the strings sent; one with surrounding
 * whitespace is refused (400) rather than trimmed.
 */
export const ShopIdentitySchema = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^\S(?:[\s\S]*\S)?$/, "no leading or trailing whitespace"),
  email: z.email().max(320).nullable().optional(),
  name: z.string().trim().max(200).nullable().optional(),
  shopifyCustomerId: z
    .string()
    .regex(/^\d{1,20}$/)
    .nullable()
    .optional(),
  hash: z.string().regex(/^[0-9a-f]{64}$/i, "hex HMAC-SHA256"),
});

/** `POST /session`: start (or resume) a chat. */
export const SessionRequestSchema = z.object({
  identity: ShopIdentitySchema.nullable().optional(),
  locale: z.string().min(2).max(35).nullable().optional(),
});

/** The pre-chat form's answers. */
export const PrechatSchema = z.object({
  name: z.string().trim().max(200).optional(),
  email: z.email().max(320).optional(),
  orderNumber: z.string().trim().max(100).optional(),
  topic: z.string().trim().max(100).optional(),
});
/** Pre-chat answers. */
export type Prechat = z.infer<typeof PrechatSchema>;

/** An attachment the visitor sends, inline as base64. */
export const ChatAttachmentSchema = z.object({
  filename: z.string().trim().min(1).max(255),
  contentType: z.string().trim().min(1).max(100),
  contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64"),
});

/** `POST /messages`: one visitor message; `clientMessageId` makes a resend the same message. */
export const ChatMessageRequestSchema = z
  .object({
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, "8 to 100 letters, digits, - or _"),
    text: z.string().max(20_000).default(""),
    attachments: z.array(ChatAttachmentSchema).max(10).default([]),
    prechat: PrechatSchema.optional(),
    /** An email to answer by when no person is online. */
    contactEmail: z.email().max(320).optional(),
    locale: z.string().min(2).max(35).optional(),
    /** The page the visitor writes from. */
    pageUrl: z.string().max(2000).optional(),
    /** The quick-reply button the visitor tapped (its `id`); the text is the button's title. */
    quickReply: z.object({ id: z.string().min(1).max(200) }).optional(),
  })
  .refine((m) => m.text.trim().length > 0 || m.attachments.length > 0, {
    message: "a text or an attachment",
    path: ["text"],
  });
/** A parsed visitor message. */
export type ChatMessageRequest = z.infer<typeof ChatMessageRequestSchema>;

/** `POST /read`: the visitor saw these messages. */
export const ReadRequestSchema = z.object({ messageIds: z.array(z.string().min(1).max(200)).min(1).max(200) });

/** `POST /typing`. */
export const TypingRequestSchema = z.object({ typing: z.boolean() });

/** One event of a visitor's stream. Every one has an `id` (its SSE id). */
export type StreamItem =
  | {
      type: "message";
      id: string;
      messageId: string;
      ticketId: string;
      direction: "inbound" | "outbound";
      author: "customer" | "agent" | "bot" | "system";
      authorName: string | null;
      text: string;
      attachments: Array<{ filename: string | null; contentType: string; size: number | null }>;
      clientMessageId: string | null;
      status: string;
      /** Buttons under the message (`options.quickReplies` of the reply): tapping one sends its title with its id. */
      quickReplies: Array<{ id: string; title: string }>;
      at: string;
    }
  | { type: "agent_joined"; id: string; ticketId: string; agentName: string | null; at: string }
  | { type: "read"; id: string; ticketId: string; by: "agent" | "customer"; messageIds: string[]; at: string }
  | {
      type: "typing";
      id: string;
      ticketId: string | null;
      by: "agent";
      name: string | null;
      typing: boolean;
      at: string;
    }
  | {
      type: "availability";
      id: string;
      online: boolean;
      nextOpeningAt: string | null;
      nextOpeningText: string | null;
      at: string;
    };
