/**
 * zod shapes of the WhatsApp Cloud API webhook payloads we read, after Meta's
 * "messages" webhook reference. Unknown fields pass through untouched (Meta adds
 * fields without notice); only what the adapter relies on is required.
 */
import { z } from "zod";

/** Longest business-scoped user ID (BSUID) accepted: Meta documents `CC.` + up to 128 characters. */
export const MAX_BSUID_CHARS = 256;
/** Longest WhatsApp username accepted: Meta's usernames are 3–35 characters. */
export const MAX_USERNAME_CHARS = 100;

/**
 * The shape of a business-scoped user ID: Meta documents a two-letter country code, a period and
 * up to 128 letters and digits (`US.13491208655302741918`; a parent BSUID `US.ENT.1181…`).
 * Checked loosely (any letters or digits, then a period, `_` and `-` tolerated) so a new prefix
 * still passes; a phone number never does.
 */
export const BSUID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*\.[A-Za-z0-9._-]+$/;

/**
 * A business-scoped user ID (BSUID), bounded to {@link MAX_BSUID_CHARS} and of
 * {@link BSUID_PATTERN}. An over-long or malformed one is refused (400): a cut or hashed id could
 * never be replied to.
 */
export const WaBsuidSchema = z
  .string()
  .max(MAX_BSUID_CHARS)
  .regex(BSUID_PATTERN, "a business-scoped user ID is a country code, a period and letters and digits");

const MediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  animated: z.boolean().optional(),
  voice: z.boolean().optional(),
});

const ContactCardSchema = z.looseObject({
  name: z
    .looseObject({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
  phones: z
    .array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() }))
    .optional(),
  emails: z.array(z.looseObject({ email: z.string().optional(), type: z.string().optional() })).optional(),
});

/**
 * One inbound message of the `messages` array. `from` (the phone number) is omitted for a user
 * who adopted a username and hides it; `from_user_id` (their BSUID) then names the sender.
 */
export const WaInboundMessageSchema = z.looseObject({
  from: z.string().min(1).optional(),
  /** The sender's business-scoped user ID. */
  from_user_id: WaBsuidSchema.optional(),
  /** The sender's parent BSUID, when the business has parent BSUIDs enabled. */
  from_parent_user_id: WaBsuidSchema.optional(),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/, "unix seconds"),
  type: z.string().min(1),
  context: z
    .looseObject({
      from: z.string().optional(),
      id: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: MediaSchema.optional(),
  audio: MediaSchema.optional(),
  video: MediaSchema.optional(),
  document: MediaSchema.optional(),
  sticker: MediaSchema.optional(),
  location: z
    .looseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  contacts: z.array(ContactCardSchema).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
      /** A WhatsApp Flow's answer: `response_json` is the flow's output as a JSON string. */
      nfm_reply: z
        .looseObject({ name: z.string().optional(), body: z.string().optional(), response_json: z.string().optional() })
        .optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string() }).optional(),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  referral: z.looseObject({}).optional(),
  /** `type: "system"`: the customer changed their number (no `contacts` array comes with it). */
  system: z
    .looseObject({
      body: z.string().optional(),
      type: z.string().optional(),
      new_wa_id: z.union([z.string(), z.number()]).optional(),
      wa_id: z.string().optional(),
      /** The user's new BSUID (`user_changed_number`, `user_changed_user_id`). */
      user_id: WaBsuidSchema.optional(),
      parent_user_id: WaBsuidSchema.optional(),
      /** The BSUID the user had before the change. */
      previous_user_id: WaBsuidSchema.optional(),
      previous_parent_user_id: WaBsuidSchema.optional(),
    })
    .optional(),
  /** `type: "order"`: a cart sent from a catalog, single- or multi-product message. */
  order: z
    .looseObject({
      catalog_id: z.string().optional(),
      text: z.string().optional(),
      product_items: z
        .array(
          z.looseObject({
            product_retailer_id: z.string().optional(),
            quantity: z.union([z.number(), z.string()]).optional(),
            item_price: z.union([z.number(), z.string()]).optional(),
            currency: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
});
/** An inbound WhatsApp message. */
export type WaInboundMessage = z.infer<typeof WaInboundMessageSchema>;

/** One entry of the `statuses` array (a receipt for a message the business sent). */
export const WaStatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/, "unix seconds"),
  /** The phone number we sent to; omitted when we sent to the user's BSUID. */
  recipient_id: z.string().optional(),
  /** The recipient's BSUID. */
  recipient_user_id: WaBsuidSchema.optional(),
  recipient_parent_user_id: WaBsuidSchema.optional(),
  /** What we sent as `biz_opaque_callback_data` (our message id), echoed back. */
  biz_opaque_callback_data: z.string().optional(),
  errors: z
    .array(z.looseObject({ code: z.number(), title: z.string().optional(), message: z.string().optional() }))
    .optional(),
});
/** A WhatsApp status receipt. */
export type WaStatus = z.infer<typeof WaStatusSchema>;

/**
 * One entry of a change's `contacts` array: the user a message came from (or a status is about).
 * `wa_id` is omitted for a user who hides their phone number; `user_id` (the BSUID) is then the
 * only handle, so a contact needs one of the two.
 */
export const WaContactSchema = z
  .looseObject({
    wa_id: z.string().min(1).optional(),
    user_id: WaBsuidSchema.optional(),
    parent_user_id: WaBsuidSchema.optional(),
    profile: z
      .looseObject({
        name: z.string().optional(),
        /** The user's WhatsApp username, when they adopted one. */
        username: z.string().max(MAX_USERNAME_CHARS).optional(),
      })
      .optional(),
  })
  .refine((c) => c.wa_id !== undefined || c.user_id !== undefined, "a contact needs wa_id or user_id");
/** A WhatsApp contact of a webhook. */
export type WaContact = z.infer<typeof WaContactSchema>;

/** The `value` of a `messages` change. */
export const WaChangeValueSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  metadata: z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }),
  contacts: z.array(WaContactSchema).optional(),
  messages: z.array(WaInboundMessageSchema).optional(),
  statuses: z.array(WaStatusSchema).optional(),
});
/** The value of a messages change. */
export type WaChangeValue = z.infer<typeof WaChangeValueSchema>;

/** A whole Cloud API webhook body. Changes of other fields keep their value unparsed. */
export const WaWebhookSchema = z.looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

/** `GET /{media-id}` answer. */
export const WaMediaInfoSchema = z.looseObject({
  url: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
  id: z.string().optional(),
});

/** `POST /{phone-number-id}/messages` answer. */
export const WaSendResponseSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
  contacts: z
    .array(
      z.looseObject({ input: z.string().optional(), wa_id: z.string().optional(), user_id: z.string().optional() }),
    )
    .optional(),
});

/** `POST /{phone-number-id}/media` answer. */
export const WaUploadResponseSchema = z.looseObject({ id: z.string().min(1) });
