/**
 * Suggested replies for the agent. A draft is only returned, never sent: an agent sends it with
 * `desk.reply`, or a bot policy the shop configured explicitly does.
 */
import {
  detectLanguage,
  type Customer,
  type CustomerContext,
  type KnowledgeBase,
  type KnowledgeHit,
  type Ticket,
} from "@storedesk/core";
import { generateText, Output, type LanguageModel } from "ai";
import { z } from "zod";
import { toStoredeskError, withBudget, type CallBudget } from "./budget.js";
import { renderKnowledge, renderOrders, renderThread, type ThreadMessage } from "./prompt.js";
import { defaultRedactor, type Redactor } from "./redact.js";

/**
 * How replies sound. Korean replies are always honorific (존댓말); `korean` picks the register:
 * `haeyo` (해요체, warm, the default) or `hamnida` (합니다체, formal).
 */
export interface ReplyTone {
  korean?: "haeyo" | "hamnida";
  /** Free words on the shop's voice, e.g. "friendly, short, no emoji". */
  style?: string;
  /** How the reply is signed, e.g. "모카샵 고객센터 드림". */
  signature?: string;
}

/** Options of {@link draftReply}. */
export interface DraftReplyOptions extends CallBudget {
  ticket: Pick<Ticket, "id" | "subject" | "language" | "category"> & Partial<Pick<Ticket, "number">>;
  /** The conversation (any order; internal notes are left out of the prompt). */
  messages: readonly ThreadMessage[];
  customer?: Pick<Customer, "name" | "locale"> | null;
  /** The customer's orders from the commerce provider (`desk` keeps it on the ticket or fetch it). */
  context?: CustomerContext | null;
  /**
   * Knowledge-base hits, or a knowledge base to search with the customer's latest message
   * (the search runs against your own base; only its hits go to the model, redacted).
   */
  knowledge?: KnowledgeBase | readonly KnowledgeHit[];
  /** Hits to ask a knowledge base for. Default 3. */
  knowledgeLimit?: number;
  model: LanguageModel;
  tone?: ReplyTone;
  /** Shop name the reply speaks for. */
  shopName?: string;
  /** Applied to every text before it leaves. Default {@link defaultRedactor}. */
  redact?: Redactor;
  /** Character budget of the conversation in the prompt. Default 12000. */
  maxThreadChars?: number;
}

/** A suggested reply. */
export interface ReplyDraft {
  text: string;
  /** Language of the reply (the customer's). */
  language: string;
  /** Sources the reply used, each among those given to the model. */
  citations: { articleIds: string[]; orderNames: string[] };
  /** Sources the model named that were not given to it; dropped from `citations`. */
  rejectedCitations: string[];
  /** `provider:modelId`. */
  modelId: string;
  /** Always true: a draft is sent by an agent or an explicit bot policy, never by this function. */
  requiresApproval: true;
}

/** What the model must answer. */
export const ModelDraftSchema = z.object({
  reply: z.string().min(1).max(4000).describe("the reply to the customer, ready to send"),
  articleIds: z.array(z.string()).describe("ids of the articles the reply relies on"),
  orderNames: z.array(z.string()).describe("names of the orders the reply relies on, e.g. #1001"),
});

const REGISTER: Record<NonNullable<ReplyTone["korean"]>, string> = {
  haeyo: "polite 해요체 (e.g. 확인해 드릴게요, 도와드릴게요)",
  hamnida: "formal 합니다체 (e.g. 확인해 드리겠습니다, 감사합니다)",
};

function latestCustomerText(messages: readonly ThreadMessage[]): string {
  const inbound = messages.filter((m) => m.direction === "inbound");
  const latest = [...inbound].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return latest?.text ?? "";
}

function systemPrompt(language: string, tone: ReplyTone, shopName: string | undefined): string {
  const voice =
    language === "ko"
      ? `Write in Korean, always in honorific speech (존댓말) in ${REGISTER[tone.korean ?? "haeyo"]}; never 반말.`
      : `Write in the customer's language (${language}), polite and clear.`;
  return [
    `You draft replies for the support agents of ${shopName ?? "an online shop"}.`,
    "An agent reviews every draft.",
    voice,
    tone.style ? `The shop's voice: ${tone.style}.` : null,
    tone.signature ? `End with the signature: ${tone.signature}` : null,
    "Use only facts from the conversation, the orders and the articles given. Do not promise refunds,",
    "compensation or dates that are not stated there; say that you will check instead.",
    "Personal data was replaced by placeholders such as [email] or [phone]: never fill them in.",
    "List in articleIds and orderNames exactly the ids of the given articles and orders you used.",
  ]
    .filter(Boolean)
    .join("\n");
}

async function hitsFor(options: DraftReplyOptions, language: string): Promise<readonly KnowledgeHit[]> {
  const { knowledge } = options;
  if (!knowledge) return [];
  if (Array.isArray(knowledge)) return knowledge as readonly KnowledgeHit[];
  const query = latestCustomerText(options.messages);
  if (!query.trim()) return [];
  return (knowledge as KnowledgeBase).search(query, { locale: language, limit: options.knowledgeLimit ?? 3 });
}

/**
 * Drafts a reply grounded in the conversation, the customer's orders and knowledge-base hits, in
 * the customer's language and the shop's tone (Korean honorific 해요체 by default). Returns the
 * text with the article ids and order names it used, checked against those given. Never sends.
 * Throws StoredeskError PROVIDER_UNAVAILABLE on timeout, PROVIDER_ERROR on a provider failure
 * or an answer outside the schema.
 *
 * @example
 * const draft = await draftReply({ ticket, messages, context, knowledge: kb, model,
 *   tone: { korean: "hamnida" } });
 * console.log(draft.text, draft.citations); // the agent edits it, then desk.reply(ticket.id, { text })
 */
export async function draftReply(options: DraftReplyOptions): Promise<ReplyDraft> {
  const redact = options.redact ?? defaultRedactor;
  const language = (
    options.ticket.language ||
    options.customer?.locale ||
    detectLanguage(latestCustomerText(options.messages))
  )
    .toLowerCase()
    .split("-")[0]!;
  const modelId =
    typeof options.model === "string" ? options.model : `${options.model.provider}:${options.model.modelId}`;
  try {
    const hits = await hitsFor(options, language);
    const orders = renderOrders(options.context, redact);
    const articles = renderKnowledge(hits, redact);
    const maxChars = options.maxThreadChars ?? 12_000;
    const thread = renderThread(options.messages, { redact, maxChars, includeNotes: false });
    const prompt = [
      `Ticket${options.ticket.number ? ` SD-${options.ticket.number}` : ""}`,
      `Category: ${options.ticket.category}`,
      options.ticket.subject ? `Subject: ${redact(options.ticket.subject)}` : null,
      options.customer?.name ? `Customer name: ${options.customer.name}` : null,
      `\nConversation:\n${thread}`,
      `\nThe customer's orders:\n${orders.text}`,
      `\nArticles from the shop's help center:\n${articles.text}`,
      "\nDraft the next reply to the customer.",
    ]
      .filter((p) => p !== null)
      .join("\n");
    const { output } = await withBudget(
      (abortSignal) =>
        generateText({
          model: options.model,
          system: systemPrompt(language, options.tone ?? {}, options.shopName),
          prompt,
          output: Output.object({ schema: ModelDraftSchema, name: "reply_draft" }),
          maxRetries: options.maxRetries ?? 0,
          abortSignal,
          ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        }),
      options.timeoutMs ?? 20_000,
      options.abortSignal,
    );
    // A model may name a source it was not given (a hallucinated FAQ id): only the given ones count.
    const articleIds = [...new Set(output.articleIds)].filter((id) => articles.articleIds.includes(id));
    const orderNames = [...new Set(output.orderNames)].filter((name) => orders.orderNames.includes(name));
    const rejectedCitations = [...new Set([...output.articleIds, ...output.orderNames])].filter(
      (c) => !articleIds.includes(c) && !orderNames.includes(c),
    );
    return {
      text: output.reply.trim(),
      language,
      citations: { articleIds, orderNames },
      rejectedCitations,
      modelId,
      requiresApproval: true,
    };
  } catch (err) {
    throw toStoredeskError(err, "draftReply");
  }
}
