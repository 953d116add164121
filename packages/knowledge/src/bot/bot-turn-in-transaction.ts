/**
 * One bot turn as a hook decision for the ingest transaction: search the in-memory index, decide
 * (`decideBotTurn`, pure) and return the bot's message as a `send` effect with its audit events,
 * ticket marks and bot state, so the answer is written `queued` with the customer's message and a
 * crash after the commit loses nothing. A turn that needs what only comes after the commit (the
 * commerce context, a generated answer) is deferred: the plugin schedules a job for it in the same
 * transaction and takes it after the commit (`plugin/deferred-turn.ts`).
 */
import {
  applyTicketAction,
  type BusinessCalendar,
  type Customer,
  type Effect,
  type HookDecision,
  type HookEventDraft,
  type Message,
  type Ticket,
  type TicketPatch,
} from "@storedesk/core";
import type { Knowledge } from "../create-knowledge.js";
import type { SearchHit } from "../search-index.js";
import type { BotConfig, BotState } from "./bot-config.js";
import { BOT_TAGS } from "./bot-runner.js";
import {
  asksForPerson,
  decideBotTurn,
  helpfulAnswer,
  isVip,
  looksLikeOrderQuestion,
  type BotDecision,
} from "./decide-bot-turn.js";
import { planForQuestion, type BotPlan } from "./plan-answer.js";
import { quickReplyOptions } from "./quick-replies.js";

/** The `reason` of the bot's send effects (the message's `meta.purpose`). */
export const BOT_SEND_REASON = "bot_reply";

/** What a turn leaves for after the commit: counters and the question log, best effort. */
export interface AfterTurn {
  /** The question the bot searched, for the gap report (`knowledge.questions`). */
  question: {
    text: string;
    locale: string;
    ticketId: string;
    hits: Array<{ articleId: string; score: number }>;
  } | null;
  /** Article counters to add to. */
  counts: Array<{ articleId: string; delta: { answered?: number; views?: number; handoffs?: number } }>;
  /** A "was this helpful?" vote. */
  vote: { articleId: string; helpful: boolean } | null;
}

/** A turn decided in the transaction, or the reason it must wait for the commit. */
export type TurnInTransaction =
  | { kind: "deferred"; reason: "commerce" | "generate" | "too_long" | "illegal_status" }
  | { kind: "decided"; turn: BotDecision; hook: HookDecision; state: BotState; after: AfterTurn };

// Decisions taken after the VIP check of decideBotTurn: with the commerce context they could differ.
const AFTER_VIP_HANDOFFS = new Set(["human_only_category", "order_not_found", "low_confidence"]);

/**
 * Whether `turn`, decided without the commerce context, might differ with it: an order question
 * (its live status), or a customer who may be a VIP by total spent (a hand-off instead).
 */
function needsCommerce(turn: BotDecision, message: Message, category: string | null, vipUnknown: boolean): boolean {
  const afterVip =
    turn.kind === "answer" ||
    turn.kind === "plan_answer" ||
    turn.kind === "order_status" ||
    (turn.kind === "hand_off" && AFTER_VIP_HANDOFFS.has(turn.reason)) ||
    (turn.kind === "nothing" && turn.reason === "low_confidence");
  return afterVip && (vipUnknown || looksLikeOrderQuestion(message.text, category));
}

/** The tags patch and its `tags.changed` event (as `desk.setTags` writes it), or nothing when unchanged. */
function retag(ticket: Ticket, add: string[], drop: string[]): { tags?: string[]; events: HookEventDraft[] } {
  const tags = [...new Set([...ticket.tags.filter((t) => !drop.includes(t)), ...add])].sort();
  if (tags.join("\u0000") === [...ticket.tags].sort().join("\u0000")) return { events: [] };
  return { tags, events: [{ type: "tags.changed", data: { from: ticket.tags, to: tags } }] };
}

/**
 * Decides the bot's turn on `message` inside the ingest transaction. Pure but for the index
 * search (memory only: the plugin brought the index up to date before the transaction). The
 * caller writes `state` (when it changed) and returns `hook`; `after` runs after the commit.
 *
 * @example
 * const t = decideTurnInTransaction({ ticket, customer, message, state, knowledge, config, calendar, timeZone, now, generate: false, messageId });
 * if (t.kind === "decided") return t.hook;
 */
export function decideTurnInTransaction(args: {
  ticket: Ticket;
  customer: Customer;
  message: Message;
  state: BotState;
  knowledge: Knowledge;
  config: BotConfig;
  calendar: BusinessCalendar | null;
  timeZone: string;
  now: Date;
  /** Whether a generative answer is configured (it is awaited after the commit). */
  generate: boolean;
  /** The id for the bot's message, named by the turn's audit events. */
  messageId: string;
  /** The desk's action plans: their return rules and claim procedure answer returns questions. */
  plans?: ReadonlyMap<string, BotPlan>;
}): TurnInTransaction {
  const { ticket, customer, message, state, config, now, messageId } = args;
  // Search refuses these (its 5,000-character limit): after the commit the bot hands off (`too_long`).
  if (message.text.length > 5000) return { kind: "deferred", reason: "too_long" };
  const classification =
    (message.meta.classification as
      { category: string; language?: string; complaint?: { signal: boolean } } | undefined) ?? null;
  const locale = ticket.language || customer.locale || classification?.language || "ko";
  // A "예"/"아니요" or a request for a person is no question: keep it out of search and the gap report.
  const isFeedback = state.awaitingFeedback !== null && helpfulAnswer(message.text, message.meta) !== null;
  const searched = !(isFeedback || asksForPerson(message.text) || state.handedOff);
  const hits: SearchHit[] = searched ? args.knowledge.index.search(message.text, { locale }) : [];
  if (args.generate && hits.length > 0 && (hits[0]?.score ?? 0) >= 0.25)
    return { kind: "deferred", reason: "generate" };
  const turn = decideBotTurn({
    message: { text: message.text, channel: message.channel, meta: message.meta },
    classification,
    ticket,
    customer,
    commerce: null,
    hits,
    config,
    state,
    calendar: args.calendar,
    timeZone: args.timeZone,
    now,
    plan: planForQuestion(args.plans, ticket.category, message.text),
  });
  const vipUnknown = config.vip.totalSpentAtLeast !== null && !isVip(customer, null, config);
  if (needsCommerce(turn, message, classification?.category ?? null, vipUnknown))
    return { kind: "deferred", reason: "commerce" };

  const built = turnHook({
    turn,
    ticket,
    message,
    hits,
    before: state,
    searched,
    locale,
    config,
    now,
    messageId,
    knowledge: args.knowledge,
  });
  if (!built) return { kind: "deferred", reason: "illegal_status" }; // the runner reports it
  return { kind: "decided", turn, hook: built.hook, state: turn.state, after: built.after };
}

/**
 * A decided turn as a hook decision: the bot's message as a `send` effect (id `messageId`, so the
 * audit events name it), the audit events, tags, status and the bookkeeping for after the commit.
 * Used in the ingest transaction and by the deferred turns (`deferred-turn.ts`), which apply it in
 * a transaction of their own. Null when the "yes, it helped" turn may not solve the ticket.
 *
 * @example
 * const built = turnHook({ turn, ticket, message, hits, before, searched: true, locale: "ko", config, now, messageId, knowledge });
 */
export function turnHook(args: {
  turn: BotDecision;
  ticket: Ticket;
  message: Message;
  hits: SearchHit[];
  /** The bot state the turn started from (the score of the article it asked about). */
  before: BotState;
  /** Whether the message was searched (it goes to the question log). */
  searched: boolean;
  locale: string;
  config: BotConfig;
  now: Date;
  messageId: string;
  /** Keys the hand-off's question with the knowledge base's synonyms. */
  knowledge: Pick<Knowledge, "handoffQuestion">;
}): { hook: HookDecision; after: AfterTurn } | null {
  const { turn, ticket, message, hits, config, now, messageId, searched, locale } = args;
  const state = args.before;
  const after: AfterTurn = {
    question: searched
      ? {
          text: message.text.slice(0, 2000),
          locale,
          ticketId: ticket.id,
          hits: hits.map((h) => ({ articleId: h.articleId, score: h.score })),
        }
      : null,
    counts: [],
    vote: null,
  };
  const actor = { kind: "bot" as const, id: config.botId };
  const scoreOf = (articleId: string | null) =>
    (articleId ? hits.find((h) => h.articleId === articleId)?.score : undefined) ??
    (articleId && state.awaitingFeedback?.articleId === articleId ? state.awaitingFeedback.score : undefined) ??
    hits[0]?.score ??
    null;
  const send = (text: string, buttons: Array<{ id: string; title: string }> = []): Effect => {
    const options = quickReplyOptions(ticket.channel, buttons, config);
    // `automatic` keeps a bot message from counting as the SLA's first reply unless the shop opts in.
    return {
      type: "send",
      ticketId: ticket.id,
      text,
      automatic: !config.countsAsReply,
      reason: BOT_SEND_REASON,
      authorKind: "bot",
      authorId: config.botId,
      messageId,
      ...(options ? { options } : {}),
    };
  };
  const events: HookEventDraft[] = [];
  const effects: Effect[] = [];
  let patch: TicketPatch | undefined;
  switch (turn.kind) {
    case "answer":
      effects.push(send(turn.text, turn.buttons));
      events.push({
        type: "bot.answered",
        data: {
          trigger: turn.generated ? "generated_answer" : "confident_article",
          articleId: turn.articleId,
          score: scoreOf(turn.articleId),
          generated: turn.generated,
          cited: turn.citedArticleIds,
          ...(turn.planCategory ? { source: "article+action_plan", planCategory: turn.planCategory } : {}),
          messageId,
        },
      });
      after.counts.push({ articleId: turn.articleId, delta: { answered: 1, views: 1 } });
      break;
    case "plan_answer":
      effects.push(send(turn.text));
      events.push({
        type: "bot.answered",
        data: {
          trigger: "action_plan",
          source: "action_plan",
          planCategory: turn.planCategory,
          articleId: null,
          score: hits[0]?.score ?? null,
          messageId,
        },
      });
      break;
    case "order_status": // only after commit: in the transaction it is deferred (needsCommerce)
      effects.push(send(turn.text));
      events.push({
        type: "bot.answered",
        data: {
          trigger: "order_status",
          articleId: null,
          score: null,
          orderId: turn.orderId,
          orderName: turn.orderName,
          messageId,
        },
      });
      break;
    case "resolved": {
      // The reply solves the ticket as `desk.reply(…, { status: "solved" })` did: the same status change.
      const solved = applyTicketAction(
        ticket,
        { type: "agent_reply", messageId, automatic: true, status: "solved" },
        now,
      );
      if (!solved.ok) return null;
      effects.push(send(turn.text));
      const tags = retag(ticket, [BOT_TAGS.deflected], []);
      // solvedAt goes with the status (the CSAT plugin sets it the same way).
      patch = {
        status: solved.value.status,
        solvedAt: solved.value.solvedAt,
        ...(tags.tags ? { tags: tags.tags } : {}),
      } as TicketPatch;
      events.push(...solved.events, {
        type: "bot.deflected",
        data: { trigger: "helpful_yes", articleId: turn.articleId, score: null, messageId },
      });
      events.push(...tags.events);
      after.vote = { articleId: turn.articleId, helpful: true };
      break;
    }
    case "hand_off": {
      effects.push(send(turn.text));
      // The question and its key let reports group hand-offs by what was asked (core's faqGaps).
      const data = {
        trigger: turn.reason,
        articleId: turn.articleId,
        score: scoreOf(turn.articleId),
        messageId,
        topArticleId: hits[0]?.articleId ?? null,
        ...args.knowledge.handoffQuestion(message.text, locale, searched),
      };
      events.push({ type: "bot.handoff", data });
      // A re-opened deflection is no deflection any more: the tag goes, the hand-off tag comes.
      const tags = retag(ticket, [BOT_TAGS.handoff], [BOT_TAGS.deflected]);
      if (tags.tags) patch = { tags: tags.tags };
      events.push(...tags.events);
      effects.push({ type: "emit", event: "plugin.knowledge.handoff", data: { ...data, ticketId: ticket.id } });
      if (turn.reason === "not_helpful" && turn.articleId) after.vote = { articleId: turn.articleId, helpful: false };
      if (turn.articleId) after.counts.push({ articleId: turn.articleId, delta: { handoffs: 1 } });
      break;
    }
    case "nothing":
      if (turn.reason === "low_confidence")
        events.push({
          type: "bot.low_confidence",
          data: { turns: turn.state.lowConfidenceTurns, topScore: hits[0]?.score ?? null },
        });
      break;
  }
  const hook: HookDecision = {
    ...(patch ? { ticket: patch } : {}),
    events: events.map((e) => ({ ...e, actor })),
    effects,
  };
  return { hook, after };
}
