/**
 * @storedesk/ai: language models for storedesk on the Vercel AI SDK. A classifier with the local
 * classifier as its fallback, suggested replies that cite their sources, thread summaries, and the
 * redaction every prompt goes through. Any AI SDK `LanguageModel` plugs in.
 *
 * @packageDocumentation
 */
export * from "./ai-classifier.js";
export * from "./draft-reply.js";
export * from "./summarize.js";
export * from "./redact.js";
export { withBudget, classifyFailure, BudgetExceededError, type CallBudget, type ModelFailure } from "./budget.js";
export { renderThread, type ThreadMessage, type RenderThreadOptions } from "./prompt.js";
