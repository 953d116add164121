/**
 * Short summaries of long threads, for hand-offs between agents and for merged tickets.
 */
import { detectLanguage, type Ticket } from "@storedesk/core";
import { generateText, Output, type LanguageModel } from "ai";
import { z } from "zod";
import { toStoredeskError, withBudget, type CallBudget } from "./budget.js";
import { renderThread, type ThreadMessage } from "./prompt.js";
import { defaultRedactor, type Redactor } from "./redact.js";

/** Options of {@link summarize}. */
export interface SummarizeOptions extends CallBudget {
  ticket: Pick<Ticket, "subject" | "language" | "category"> & Partial<Pick<Ticket, "number">>;
  /** The thread, internal notes included (an agent taking over needs them). */
  messages: readonly ThreadMessage[];
  model: LanguageModel;
  /** Language of the summary. Default: the ticket's (the agents of a Korean shop read Korean). */
  language?: string;
  /** Applied to every text before it leaves. Default {@link defaultRedactor}. */
  redact?: Redactor;
  /** Character budget of the thread in the prompt. Default 16000. */
  maxThreadChars?: number;
}

/** A thread summary. */
export interface ThreadSummary {
  /** Two to four sentences: the request, what was done, where it stands. */
  text: string;
  /** What is still open, for the next agent; empty when nothing is. */
  openItems: string[];
  language: string;
  modelId: string;
}

/** What the model must answer. */
export const ModelSummarySchema = z.object({
  summary: z.string().min(1).max(1200).describe("2-4 sentences: the request, what was done, where it stands"),
  openItems: z.array(z.string().max(200)).max(5).describe("what is still open for the next agent"),
});

/**
 * Summarizes a ticket's thread in a few sentences plus open items, for a hand-off or a merge.
 * Throws StoredeskError PROVIDER_UNAVAILABLE on timeout, PROVIDER_ERROR otherwise.
 *
 * @example
 * const { text, openItems } = await summarize({ ticket, messages, model });
 * await desk.note(ticket.id, { text: `요약: ${text}` });
 */
export async function summarize(options: SummarizeOptions): Promise<ThreadSummary> {
  const redact = options.redact ?? defaultRedactor;
  const language = (options.language ?? (options.ticket.language || detectLanguage(options.messages[0]?.text ?? "")))
    .toLowerCase()
    .split("-")[0]!;
  const modelId =
    typeof options.model === "string" ? options.model : `${options.model.provider}:${options.model.modelId}`;
  const thread = renderThread(options.messages, {
    redact,
    maxChars: options.maxThreadChars ?? 16_000,
    includeNotes: true,
  });
  const prompt = [
    `Ticket${options.ticket.number ? ` SD-${options.ticket.number}` : ""}`,
    `Category: ${options.ticket.category}`,
    options.ticket.subject ? `Subject: ${redact(options.ticket.subject)}` : null,
    `\nThread:\n${thread}`,
  ]
    .filter((p) => p !== null)
    .join("\n");
  try {
    const { output } = await withBudget(
      (abortSignal) =>
        generateText({
          model: options.model,
          system: [
            "You summarize customer-support threads of an online shop for the agent who takes over.",
            `Write in ${language === "ko" ? "Korean (합니다체)" : `the language with code ${language}`}.`,
            "Be factual and short.",
            "Personal data was replaced by placeholders such as [email] or [phone]; keep them as they are.",
          ].join("\n"),
          prompt,
          output: Output.object({ schema: ModelSummarySchema, name: "thread_summary" }),
          maxRetries: options.maxRetries ?? 0,
          abortSignal,
          ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        }),
      options.timeoutMs ?? 20_000,
      options.abortSignal,
    );
    return { text: output.summary.trim(), openItems: output.openItems, language, modelId };
  } catch (err) {
    throw toStoredeskError(err, "summarize");
  }
}
