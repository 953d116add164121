/**
 * A {@link Classifier} backed by a language model, with the local classifier as the safety net:
 * any timeout, provider error or answer outside the schema gives the local result instead.
 */
import {
  CategorySchema,
  classifyText,
  type Classification,
  type Classifier,
  type ClassifierInput,
} from "@storedesk/core";
import { generateText, Output, type LanguageModel } from "ai";
import { z } from "zod";
import { classifyFailure, withBudget, type CallBudget, type ModelFailure } from "./budget.js";
import { defaultRedactor, type Redactor } from "./redact.js";

/** What the model must answer, validated before anything of it is used. */
export const ModelClassificationSchema = z.object({
  category: CategorySchema.describe("the topic of the message; complaint only for a grievance about the shop"),
  complaint: z.boolean().describe("true when the customer is angry, dissatisfied or threatens to escalate"),
  language: z.string().min(2).max(35).describe("BCP 47 code of the language the customer wrote in, e.g. ko, en"),
  confidence: z.number().min(0).max(1).describe("0..1: how sure you are of the category"),
  summary: z.string().min(1).max(300).describe("one line saying what the customer wants"),
});
/** The model's answer. */
export type ModelClassification = z.infer<typeof ModelClassificationSchema>;

/** A classification with the path that decided it. */
export type AiClassification = Classification & {
  /** `model` when the model's validated answer decided, `fallback` when the local classifier did. */
  decidedBy: "model" | "fallback";
  /** The model's one-line summary; null on the fallback path. */
  summary: string | null;
  /** Why the fallback decided; null when the model did. */
  fallbackReason: ModelFailure | null;
  /** `provider:modelId` of the model asked. */
  modelId: string;
};

/** Options of {@link aiClassifier}. */
export interface AiClassifierOptions extends CallBudget {
  /** Any AI SDK language model (OpenAI, Anthropic, a local one…) or a gateway model id string. */
  model: LanguageModel;
  /** Decides when the model cannot, and supplies sentiment and priority. Default `classifyText`. */
  fallback?: Classifier;
  /** Applied to the text and subject before they leave. Default {@link defaultRedactor}. */
  redact?: Redactor;
  /** Called when the fallback decided, for logs and metrics. */
  onFallback?: (reason: ModelFailure, error: unknown) => void;
}

const SYSTEM = [
  "You classify customer-support messages of an online shop, in Korean or English.",
  "Categories: product (questions about an item), shipping (delivery, tracking), refund_exchange",
  "(returns, refunds, exchanges), order_change (cancel, change address or items), payment (charges,",
  "invoices, payment methods), complaint (a grievance about the shop or its service), other.",
  "Personal data was replaced by placeholders such as [email] or [phone]; ignore them.",
  "Answer with the JSON object only.",
].join(" ");

function modelName(model: LanguageModel): string {
  return typeof model === "string" ? model : `${model.provider}:${model.modelId}`;
}

function merge(local: Classification, answer: ModelClassification): Classification {
  const complaintRaised = answer.complaint && !local.complaint.signal;
  return {
    ...local,
    category: answer.category,
    topic: answer.category === "complaint" ? local.topic : answer.category,
    language: answer.language.toLowerCase(),
    // The score stays the local lexicon score (it explains the matched terms); the model decides the signal.
    complaint: { signal: answer.complaint, score: local.complaint.score },
    sentiment: answer.complaint && local.sentiment !== "negative" ? "negative" : local.sentiment,
    suggestedPriority:
      complaintRaised && (local.suggestedPriority === "low" || local.suggestedPriority === "normal")
        ? "high"
        : local.suggestedPriority,
    confidence: answer.confidence,
  };
}

/**
 * A classifier that asks `model` for category, complaint signal, language, confidence and a
 * one-line summary as structured output (validated by zod), within a per-call budget. Falls back
 * to the local classifier on timeout, provider error or an answer outside the schema; the result's
 * `decidedBy` says which path decided. Plug it in with `createDesk({ classifier })`.
 *
 * @example
 * import { openai } from "@ai-sdk/openai";
 * const classifier = aiClassifier({ model: openai("gpt-4.1-mini"), timeoutMs: 3000 });
 * const desk = createDesk({ store, channels, classifier });
 */
export function aiClassifier(options: AiClassifierOptions): (input: ClassifierInput) => Promise<AiClassification> {
  const fallback = options.fallback ?? classifyText;
  const redact = options.redact ?? defaultRedactor;
  const timeoutMs = options.timeoutMs ?? 8000;
  const modelId = modelName(options.model);
  return async (input) => {
    const local = await fallback(input);
    const prompt = [
      input.subject ? `Subject: ${redact(input.subject)}` : null,
      input.channel ? `Channel: ${input.channel}` : null,
      input.localeHint ? `Language reported by the channel: ${input.localeHint}` : null,
      `Message:\n${redact(input.text)}`,
    ]
      .filter(Boolean)
      .join("\n");
    try {
      const { output } = await withBudget(
        (abortSignal) =>
          generateText({
            model: options.model,
            system: SYSTEM,
            prompt,
            output: Output.object({ schema: ModelClassificationSchema, name: "classification" }),
            temperature: 0,
            maxRetries: options.maxRetries ?? 0,
            abortSignal,
            ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
          }),
        timeoutMs,
        options.abortSignal,
      );
      return {
        ...merge(local, output),
        decidedBy: "model",
        summary: output.summary,
        fallbackReason: null,
        modelId,
      };
    } catch (err) {
      const reason = classifyFailure(err);
      options.onFallback?.(reason, err);
      return { ...local, decidedBy: "fallback", summary: null, fallbackReason: reason, modelId };
    }
  };
}
