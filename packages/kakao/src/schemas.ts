/**
 * The wire shapes of the Kakao channels. Kakao i Open Builder skill shapes come from the Kakao Business chatbot guide
 * (kakaobusiness.gitbook.io/main/tool/chatbot/skill_guide: "스킬 개발 가이드",
 * "응답 타입별 JSON 포맷", "AI 챗봇 콜백 가이드"; skill payload and response version 2.0).
 */
import { z } from "zod";

/** The skill request (SkillPayload) Open Builder POSTs to the skill server. */
export const SkillPayloadSchema = z
  .object({
    intent: z
      .object({ id: z.string().max(200), name: z.string().max(500) })
      .loose()
      .optional(),
    userRequest: z
      .object({
        timezone: z.string().max(100).optional(),
        utterance: z.string().max(10_000),
        lang: z.string().max(35).nullable().optional(),
        /** Present when the bot has callbacks enabled for this block: valid for one minute, once. */
        callbackUrl: z.url().max(4000).optional(),
        block: z
          .object({ id: z.string().max(200), name: z.string().max(500) })
          .loose()
          .optional(),
        user: z
          .object({
            id: z.string().min(1).max(200),
            type: z.string().max(40),
            properties: z
              .object({
                plusfriendUserKey: z.string().max(200).optional(),
                /** The same key as the guide's older snake_case field. */
                plusfriend_user_key: z.string().max(200).optional(),
                appUserId: z.string().max(200).optional(),
                isFriend: z.boolean().optional(),
              })
              .loose()
              .default({}),
          })
          .loose(),
        params: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
    bot: z
      .object({ id: z.string().max(200), name: z.string().max(500).optional() })
      .loose()
      .optional(),
    action: z
      .object({
        id: z.string().max(200).optional(),
        name: z.string().max(500).optional(),
        params: z.record(z.string(), z.unknown()).default({}),
        detailParams: z.record(z.string(), z.unknown()).optional(),
        /** The button's `extra`: an object, null, or (in the v1 guide's example) the string "null". */
        clientExtra: z.unknown().optional(),
      })
      .loose()
      .default({ params: {} }),
  })
  .loose();
/** A skill request. */
export type SkillPayload = z.output<typeof SkillPayloadSchema>;

/** A button of a basicCard (message, webLink, phone, block…). */
export const SkillButtonSchema = z.object({
  label: z.string().min(1).max(14),
  action: z.enum(["message", "webLink", "phone", "block", "share", "operator"]),
  messageText: z.string().max(1000).optional(),
  webLinkUrl: z.url().optional(),
  phoneNumber: z.string().max(40).optional(),
  blockId: z.string().max(200).optional(),
});

/** simpleText: up to 1,000 characters. */
export const SimpleTextSchema = z.object({ simpleText: z.object({ text: z.string().min(1).max(1000) }) });
/** basicCard: title, description (≤ 230 characters), thumbnail, up to 3 buttons. */
export const BasicCardSchema = z.object({
  basicCard: z.object({
    title: z.string().max(50).optional(),
    description: z.string().max(230).optional(),
    thumbnail: z.object({ imageUrl: z.url() }).optional(),
    buttons: z.array(SkillButtonSchema).max(3).optional(),
  }),
});
/** A quick reply: a label up to 14 characters that sends a message or opens a block. */
export const QuickReplySchema = z.object({
  label: z.string().min(1).max(14),
  action: z.enum(["message", "block"]),
  messageText: z.string().max(1000).optional(),
  blockId: z.string().max(200).optional(),
});

/** A version "2.0" skill response: 1 to 3 outputs, up to 10 quick replies. */
export const SkillResponseSchema = z.object({
  version: z.literal("2.0"),
  template: z.object({
    outputs: z
      .array(z.union([SimpleTextSchema, BasicCardSchema]))
      .min(1)
      .max(3),
    quickReplies: z.array(QuickReplySchema).max(10).optional(),
  }),
});
/** A skill response. */
export type SkillResponse = z.infer<typeof SkillResponseSchema>;
/** A quick reply. */
export type QuickReply = z.infer<typeof QuickReplySchema>;
/** A basicCard output. */
export type BasicCard = z.infer<typeof BasicCardSchema>["basicCard"];

/**
 * A webhook body of the reference consultation-talk dealer (`referenceCounselDealer`): the
 * consultation API's own vocabulary (sender_key, user_key, session_id, serial_number).
 */
export const CounselWebhookBodySchema = z.object({
  sender_key: z.string().min(1).max(100),
  user_key: z.string().min(1).max(200),
  session_id: z.string().min(1).max(200),
  serial_number: z.string().min(1).max(200).optional(),
  type: z.enum(["text", "photo", "file", "end"]),
  content: z.string().max(100_000).default(""),
  attachment: z
    .object({
      url: z.url(),
      name: z.string().max(500).optional(),
      size: z.number().int().nonnegative().optional(),
    })
    .optional(),
  phone_number: z.string().max(40).optional(),
  time: z.iso.datetime({ offset: true }),
});
