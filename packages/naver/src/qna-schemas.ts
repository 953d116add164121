/**
 * Shapes of the Commerce API's product Q&A (상품문의), as the Commerce API reference
 * (apicenter.commerce.naver.com, "상품 문의 목록 조회" / "상품 문의 답변 등록/수정") gives them.
 */
import { z } from "zod";

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
