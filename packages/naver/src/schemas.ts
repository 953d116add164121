/**
 * The wire shapes of the Naver channels.
 *
 * Product Q&A (상품문의) as the Commerce API reference (apicenter.commerce.naver.com, "상품 문의
 * 목록 조회" / "상품 문의 답변 등록/수정") gives them; TalkTalk chatbot API shapes from the
 * partner API reference (github.com/navertalk/chatbot-api, README "Chat Bot API V1", events of
 * API v1.2: open, leave, friend, send, echo, action).
 */
import { z } from "zod";

const TextContentSchema = z
  .object({
    text: z.string().max(10_000),
    code: z.string().max(1000).nullable().optional(),
    inputType: z.string().max(40).optional(),
  })
  .loose();
const ImageContentSchema = z.object({ imageUrl: z.url().max(4000) }).loose();

/** `open`: the user entered the chat window (inflow, referer, friend, under14, under19). */
export const TalkOpenEventSchema = z
  .object({
    event: z.literal("open"),
    user: z.string().min(1).max(200),
    options: z
      .object({
        inflow: z.string().max(40).optional(),
        referer: z.string().max(4000).optional(),
        from: z.string().max(1000).optional(),
        friend: z.boolean().optional(),
        under14: z.boolean().optional(),
        under19: z.boolean().optional(),
      })
      .loose()
      .default({}),
  })
  .loose();

/** `send` from the user: exactly one of text, image or (echoed) composite content. */
export const TalkSendEventSchema = z
  .object({
    event: z.literal("send"),
    user: z.string().min(1).max(200),
    textContent: TextContentSchema.optional(),
    imageContent: ImageContentSchema.optional(),
    compositeContent: z
      .object({ compositeList: z.array(z.record(z.string(), z.unknown())).max(10) })
      .loose()
      .optional(),
    options: z.object({ mobile: z.boolean().optional() }).loose().optional(),
    /** Handover: true while the partner center's agent owns the chat; the bot must not answer. */
    standby: z.boolean().optional(),
  })
  .loose()
  .refine((e) => [e.textContent, e.imageContent, e.compositeContent].filter(Boolean).length === 1, {
    message: "a send event carries exactly one of textContent, imageContent, compositeContent",
  });

/**
 * `echo`: a message the partner's side sent, coming back (handover guide, "echo 이벤트 활용"):
 * `options.sourceId` 1 is the partner center's agent (`managerNickname`), anything else the
 * chatbot itself, i.e. the desk's own send.
 */
export const TalkEchoEventSchema = z
  .object({
    event: z.literal("echo"),
    echoedEvent: z.string().max(40).optional(),
    user: z.string().min(1).max(200),
    textContent: TextContentSchema.optional(),
    imageContent: ImageContentSchema.optional(),
    compositeContent: z.object({}).loose().optional(),
    options: z
      .object({
        sourceId: z.union([z.number(), z.string().max(100)]).optional(),
        threadOwnerId: z.union([z.number(), z.string().max(100)]).optional(),
        managerNickname: z.string().max(1000).optional(),
      })
      .loose()
      .default({}),
  })
  .loose();

/** `leave`, `friend` (options.set on/off), `action`, `handover` and the other non-message events. */
export const TalkOtherEventSchema = z
  .object({
    event: z.enum(["leave", "friend", "action", "profile", "pay_complete", "pay_confirm", "handover"]),
    user: z.string().min(1).max(200).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const KNOWN_EVENTS = new Set([
  "open",
  "send",
  "leave",
  "friend",
  "echo",
  "action",
  "profile",
  "pay_complete",
  "pay_confirm",
  "handover",
]);

/**
 * An event this adapter does not know (TalkTalk adds events; its own guide tests a webhook with
 * `{ "event": "test" }`): acknowledged, never a 4xx. A known event of the wrong shape still fails.
 */
export const TalkUnknownEventSchema = z
  .object({ event: z.string().min(1).max(100) })
  .loose()
  .refine((e) => !KNOWN_EVENTS.has(e.event), { message: "a known event of the wrong shape" });

/** Any TalkTalk webhook event. */
export const TalkEventSchema = z.union([
  TalkOpenEventSchema,
  TalkSendEventSchema,
  TalkEchoEventSchema,
  TalkOtherEventSchema,
]);
/** A TalkTalk webhook event. */
export type TalkEvent = z.output<typeof TalkEventSchema>;

/** A button of a composite message (TEXT, LINK; OPTION nests buttons). */
export const TalkButtonSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("TEXT"),
    data: z.object({ title: z.string().min(1).max(18), code: z.string().max(1000).optional() }),
  }),
  z.object({
    type: z.literal("LINK"),
    data: z.object({ title: z.string().min(1).max(18), url: z.url(), mobileUrl: z.url() }),
  }),
]);
/** A composite button. */
export type TalkButton = z.infer<typeof TalkButtonSchema>;

/** One card of a composite message: at least two of title, description, image, buttons. */
export const TalkCompositeSchema = z
  .object({
    title: z.string().max(200).optional(),
    description: z.string().max(1000).optional(),
    image: z.object({ imageUrl: z.url() }).optional(),
    buttonList: z.array(TalkButtonSchema).max(10).optional(),
  })
  .refine((c) => !!(c.title || c.description), { message: "a composite needs a title or a description" })
  .refine(
    (c) =>
      [c.title, c.description, c.image, c.buttonList?.length ? c.buttonList : undefined].filter(Boolean).length >= 2,
    { message: "a composite needs at least two elements" },
  );

/** A composite message: 1 to 10 cards (more than one is a carousel). */
export const TalkCompositeContentSchema = z.object({
  compositeList: z.array(TalkCompositeSchema).min(1).max(10),
});
/** A composite message. */
export type TalkCompositeContent = z.infer<typeof TalkCompositeContentSchema>;

/** The send API's answer: HTTP 200 with `success` and a `resultCode` ("00" success). */
export const TalkSendResultSchema = z
  .object({ success: z.boolean(), resultCode: z.string().max(40), resultMessage: z.string().optional() })
  .loose();

/** One product question of `GET /v1/contents/qnas`. */
export const QnaQuestionSchema = z
  .object({
    questionId: z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]).transform(String),
    productId: z
      .union([z.number().int(), z.string().max(40)])
      .transform(String)
      .nullable()
      .optional(),
    productName: z.string().max(1000).nullable().optional(),
    question: z.string().max(100_000),
    answer: z.string().nullable().optional(),
    answered: z.boolean(),
    maskedWriterId: z.string().max(200).nullable().optional(),
    createDate: z.iso.datetime({ offset: true }),
  })
  .loose();
/** A product question. */
export type QnaQuestion = z.output<typeof QnaQuestionSchema>;

/** A page of `GET /v1/contents/qnas` (Spring-style page: contents, page, size, totalPages…). */
export const QnaPageSchema = z
  .object({
    contents: z.array(QnaQuestionSchema).max(100),
    page: z.number().int().optional(),
    size: z.number().int().optional(),
    totalElements: z.number().int().optional(),
    totalPages: z.number().int().optional(),
    first: z.boolean().optional(),
    last: z.boolean().optional(),
  })
  .loose();
/** A page of product questions. */
export type QnaPage = z.output<typeof QnaPageSchema>;
