/**
 * @storedesk/knowledge: help-center articles and FAQ entries kept in any storedesk store, search
 * that works in Korean and English, the answer bot (answer, order status, hand-off), and the FAQ
 * gap report.
 *
 * @packageDocumentation
 */
export * from "./article.js";
export * from "./article-repository.js";
export * from "./analyze.js";
export * from "./synonyms.js";
export * from "./search-index.js";
export * from "./gaps.js";
export * from "./question-key.js";
export * from "./compound-nouns.js";
export * from "./import-articles.js";
export * from "./create-knowledge.js";
export * from "./bot/bot-config.js";
export * from "./bot/bot-messages.js";
export * from "./bot/decide-bot-turn.js";
export * from "./bot/plan-answer.js";
export * from "./bot/attach-answer-bot.js";
export * from "./bot/bot-runner.js";
export type { AfterTurn } from "./bot/bot-turn-in-transaction.js";
export * from "./bot/quick-replies.js";
export * from "./plugin/knowledge-plugin.js";
export * from "./plugin/knowledge-methods.js";
export {
  TURN_JOB,
  DEFAULT_TURN_GRACE_MS,
  TURN_JOB_ATTEMPTS,
  TURNS_META,
  SEARCHABLE_CHARS,
  turnJobKey,
  botReplyId,
} from "./plugin/deferred-turn.js";
