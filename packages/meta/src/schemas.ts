/**
 * zod shapes of the Messenger / Instagram webhook payloads we read (Messenger
 * Platform webhook events, Page `feed` changes, Instagram `comments` changes).
 * Unknown fields pass through; only what the adapter relies on is required.
 */
import { z } from "zod";

const Id = z.union([z.string().min(1), z.number()]).transform(String);

/** One attachment of a Messenger / Instagram message. */
export const MetaAttachmentSchema = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      title: z.string().optional(),
      sticker_id: z.union([z.string(), z.number()]).optional(),
    })
    .nullable()
    .optional(),
});

/** One item of `entry[].messaging`. */
export const MessagingItemSchema = z.looseObject({
  sender: z.looseObject({ id: Id }),
  recipient: z.looseObject({ id: Id }),
  timestamp: z.number(),
  message: z
    .looseObject({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      app_id: z.union([z.string(), z.number()]).optional(),
      quick_reply: z.looseObject({ payload: z.string() }).optional(),
      reply_to: z.looseObject({ mid: z.string().optional(), story: z.looseObject({}).optional() }).optional(),
      attachments: z.array(MetaAttachmentSchema).optional(),
    })
    .optional(),
  postback: z
    .looseObject({ title: z.string().optional(), payload: z.string().optional(), mid: z.string().optional() })
    .optional(),
  delivery: z.looseObject({ mids: z.array(z.string()).optional(), watermark: z.number().optional() }).optional(),
  read: z.looseObject({ mid: z.string().optional(), watermark: z.number().optional() }).optional(),
  /** `message_reactions`: a reaction to (`react`) or its removal from (`unreact`) a message. */
  reaction: z
    .looseObject({
      mid: z.string().optional(),
      action: z.string().optional(),
      reaction: z.string().optional(),
      emoji: z.string().optional(),
    })
    .optional(),
  /** `message_edits`: the customer edited an earlier message (at most five times). */
  message_edit: z
    .looseObject({
      mid: z.string().min(1),
      text: z.string().optional(),
      num_edit: z.union([z.number(), z.string()]).optional(),
    })
    .optional(),
});
/** A messaging item. */
export type MessagingItem = z.infer<typeof MessagingItemSchema>;

/** `value` of a Page `feed` change (we read comments only). */
export const FeedChangeValueSchema = z.looseObject({
  item: z.string(),
  verb: z.string().optional(),
  comment_id: z.string().optional(),
  post_id: z.string().optional(),
  parent_id: z.string().optional(),
  message: z.string().optional(),
  created_time: z.number().optional(),
  photo: z.string().optional(),
  video: z.string().optional(),
  from: z.looseObject({ id: Id, name: z.string().optional() }).optional(),
});
/** A feed change value. */
export type FeedChangeValue = z.infer<typeof FeedChangeValueSchema>;

/** `value` of an Instagram `comments` / `live_comments` change. */
export const InstagramCommentValueSchema = z.looseObject({
  id: z.string().min(1),
  text: z.string().default(""),
  parent_id: z.string().optional(),
  from: z.looseObject({ id: Id, username: z.string().optional() }),
  media: z.looseObject({ id: z.string().min(1), media_product_type: z.string().optional() }),
});
/** An Instagram comment value. */
export type InstagramCommentValue = z.infer<typeof InstagramCommentValueSchema>;

/** A whole Messenger / Instagram webhook body. Changes keep their value unparsed until their field is known. */
export const MetaWebhookSchema = z.looseObject({
  object: z.enum(["page", "instagram"]),
  entry: z.array(
    z.looseObject({
      id: Id,
      time: z.number().optional(),
      messaging: z.array(z.unknown()).optional(),
      /** Messaging items seen while another app owns the thread (handover protocol). */
      standby: z.array(z.unknown()).optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional(),
    }),
  ),
});

/** Answer of the Send API (`POST /{page-id}/messages`). */
export const SendApiResponseSchema = z.looseObject({ recipient_id: Id.optional(), message_id: z.string().min(1) });

/** Answer of a comment reply (`POST /{comment-id}/comments` or `/replies`). */
export const CommentReplyResponseSchema = z.looseObject({ id: z.string().min(1) });
