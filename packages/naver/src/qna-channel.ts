/**
 * Smartstore product Q&A as a channel. The Commerce API has no webhook for questions, so the
 * poller fetches pages and hands each one to `handleWebhook` as a request signed with a key
 * only this process knows: the same verify → parse → ingest path (and the same conformance
 * checks) as every webhook channel, with no second way in.
 */
import { randomBytes } from "node:crypto";
import type { ChannelAdapter, InboundEventInput, OutboundMessage, SendReceipt } from "@storedesk/core";
import {
  errorResponse,
  jsonResponse,
  parseJson,
  readRawBytes,
  signHmac,
  StoredeskError,
  verifyHmacSignature,
} from "@storedesk/core";
import type { NaverCommerceClient } from "./commerce-client.js";
import { QnaPageSchema } from "./schemas.js";
import type { QnaPage, QnaQuestion } from "./schemas.js";

/** Header carrying the poller's HMAC over a page. */
export const QNA_BATCH_SIGNATURE_HEADER = "x-storedesk-qna-signature";

/** Options of {@link naverQnaChannel}. */
export interface NaverQnaChannelOptions {
  client: NaverCommerceClient;
  /** Channel id. Default `naver_qna`. */
  id?: string;
  /** Key the poller signs pages with. Default: random per process (pages never cross processes). */
  batchSecret?: string;
  /** Link of a product page for agents, from its channel product number. */
  productUrl?: (productId: string) => string | null;
}

/** The Q&A channel: a ChannelAdapter plus the signing the poller uses. */
export interface NaverQnaChannel extends ChannelAdapter {
  /** Wraps a fetched page as the signed request `handleWebhook` accepts. */
  batchRequest(page: unknown): Request;
}

/** Ticket conversation key of a question: one question, one ticket. */
export function qnaConversationKey(questionId: string): string {
  return `qna:${questionId}`;
}

/** The question id a ticket of this channel answers, from its conversation key or thread. */
export function questionIdOf(message: Pick<OutboundMessage, "ticket" | "thread">): string | null {
  const fromKey = /^qna:(\d+)$/.exec(message.ticket.conversationKey ?? "")?.[1];
  if (fromKey) return fromKey;
  for (const m of message.thread) {
    const id = /^qna:(\d+)$/.exec(m.externalId ?? "")?.[1];
    if (m.direction === "inbound" && id) return id;
  }
  return null;
}

/**
 * One question → one inbound message: its own customer (Naver shows only a masked writer id,
 * which many people share, so it is kept as a name, never as an identity), its own ticket, and
 * the product in `meta.context` for the agent.
 */
export function qnaQuestionEvent(
  channel: string,
  q: QnaQuestion,
  productUrl?: (id: string) => string | null,
): InboundEventInput {
  const product = q.productId
    ? { id: q.productId, name: q.productName ?? null, url: productUrl?.(q.productId) ?? null }
    : null;
  return {
    type: "message",
    channel,
    externalId: qnaConversationKey(q.questionId),
    occurredAt: q.createDate,
    from: {
      identities: [{ kind: "naver", value: `qna-writer:${q.questionId}` }],
      name: q.maskedWriterId ?? null,
      locale: "ko",
    },
    subject: q.productName ? `[상품문의] ${q.productName}` : "[상품문의]",
    text: q.question,
    conversationKey: qnaConversationKey(q.questionId),
    meta: {
      naver: {
        kind: "product_qna",
        questionId: q.questionId,
        answered: q.answered,
        maskedWriterId: q.maskedWriterId ?? null,
      },
      context: { product },
      suggestedCategory: "product",
    },
  };
}

/**
 * Makes the product Q&A channel; answers go out through `PUT /v1/contents/qnas/{questionId}`.
 *
 * @example
 * const qna = naverQnaChannel({ client: naverCommerceClient({ clientId, clientSecret }) });
 * const desk = createDesk({ store, channels: [qna] });
 */
export function naverQnaChannel(options: NaverQnaChannelOptions): NaverQnaChannel {
  const id = options.id ?? "naver_qna";
  const secret = options.batchSecret ?? randomBytes(32).toString("hex");

  async function handleWebhook(request: Request) {
    try {
      // Verified over the bytes, before decoding: decoding drops a BOM and folds invalid bytes together.
      const bytes = await readRawBytes(request);
      if (
        !verifyHmacSignature({
          rawBody: bytes,
          secret,
          signature: request.headers.get(QNA_BATCH_SIGNATURE_HEADER),
          encoding: "hex",
        })
      ) {
        throw new StoredeskError({
          code: "SIGNATURE_INVALID",
          message: "Q&A page not signed by this process's poller",
        });
      }
      const parsed = QnaPageSchema.safeParse(parseJson(new TextDecoder("utf-8").decode(bytes)));
      if (!parsed.success) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "Not a Commerce API Q&A page",
          details: { issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join(".")) },
        });
      }
      const page: QnaPage = parsed.data;
      const events = page.contents.map((q) => qnaQuestionEvent(id, q, options.productUrl));
      return { response: jsonResponse({ ok: true, events: events.length }), events };
    } catch (err) {
      return { response: errorResponse(err), events: [] };
    }
  }

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const questionId = questionIdOf(message);
    if (!questionId)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "This ticket answers no Smartstore question",
        path: ["ticket", "conversationKey"],
      });
    const text = message.text.trim();
    if (text === "")
      throw new StoredeskError({ code: "INVALID_INPUT", message: "An answer needs text", path: ["text"] });
    // PUT sets the one answer of the question: a second reply replaces it (an edit), never adds one.
    await options.client.request({
      method: "PUT",
      path: `/v1/contents/qnas/${questionId}`,
      json: { commentContent: text },
    });
    const edit = message.thread.some(
      (m) => m.direction === "outbound" && (m.externalId ?? "").startsWith(`qna-answer:${questionId}:`),
    );
    return {
      externalId: `qna-answer:${questionId}:${message.messageId}`,
      status: "sent",
      meta: { naver: { questionId, answer: edit ? "updated" : "created" } },
    };
  }

  return {
    specVersion: 1,
    id,
    displayName: "Naver Smartstore 상품문의",
    capabilities: {
      threads: false,
      attachments: false,
      templates: false,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: false,
      html: false,
    },
    handleWebhook,
    send,
    batchRequest(page: unknown): Request {
      const body = JSON.stringify(page);
      return new Request(`https://storedesk.internal/${id}/poll`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [QNA_BATCH_SIGNATURE_HEADER]: signHmac(body, secret, "hex"),
        },
        body,
      });
    },
  };
}
