/**
 * The answer bot's decision for one inbound customer message, as a pure function: the same
 * input gives the same decision, which is data the wiring applies (reply, audit event, status).
 */
import {
  extractOrderName,
  isOpen,
  nextOpening,
  type BusinessCalendar,
  type Customer,
  type CustomerContext,
  type OrderSummary,
  type Ticket,
} from "@storedesk/core";
import { plainText } from "../search-index.js";
import type { BotConfig, BotState, GeneratedAnswer } from "./bot-config.js";
import { configFor, DEFAULT_FEEDBACK_STYLES, NEW_BOT_STATE } from "./bot-config.js";
import {
  describeHours,
  feedbackByText,
  feedbackQuestion,
  handOffMessage,
  orderStatusMessage,
  readMore,
  thanks,
} from "./bot-messages.js";
import { planAnswerText, type BotPlan } from "./plan-answer.js";

/** Why the bot passed a conversation to a person. */
export type HandOffReason =
  | "asked_for_person"
  | "not_helpful"
  | "low_confidence"
  | "complaint"
  | "vip"
  | "human_only_category"
  | "reopened_after_deflection"
  | "order_not_found"
  /** The message is longer than search takes (5,000 characters): a person reads it. */
  | "too_long"
  /** The turn kept failing (a model or provider down) on its last durable attempt. */
  | "bot_unavailable";

/** A hit as the bot needs it (a `SearchHit` fits). */
export interface BotHit {
  articleId: string;
  title: string;
  snippet: string;
  score: number;
  url: string | null;
  locale: string;
  category?: string;
  article?: { body: string };
}

/** A reply button (WhatsApp reply button, Messenger quick reply). */
export interface BotButton {
  id: string;
  title: string;
}

/** What the bot decided; `state` is what it remembers afterwards. */
export type BotDecision =
  | {
      kind: "answer";
      articleId: string;
      text: string;
      buttons: BotButton[];
      generated: boolean;
      citedArticleIds: string[];
      /** The action plan whose return rules and claim procedure were appended, if any. */
      planCategory: string | null;
      state: BotState;
    }
  | { kind: "plan_answer"; planCategory: string; text: string; state: BotState }
  | { kind: "order_status"; orderId: string; orderName: string; text: string; state: BotState }
  | { kind: "hand_off"; reason: HandOffReason; text: string; articleId: string | null; state: BotState }
  | { kind: "resolved"; articleId: string; text: string; state: BotState }
  | { kind: "nothing"; reason: string; state: BotState };

/** Everything one decision looks at. */
export interface BotTurnInput {
  message: { text: string; channel: string; meta?: Record<string, unknown> };
  classification: { category: string; language?: string; complaint?: { signal: boolean } } | null;
  ticket: Ticket;
  customer: Customer | null;
  commerce: CustomerContext | null;
  hits: BotHit[];
  config: BotConfig;
  state: BotState | null;
  calendar: BusinessCalendar | null;
  timeZone: string;
  now: Date;
  /** The generative hook's answer, when one is configured and answered. */
  generated?: GeneratedAnswer | null;
  /**
   * The bot told the desk it takes this message (no acknowledgement went out): when it would
   * stay quiet for want of an answer, it hands off instead, so the customer always hears back.
   */
  mustSpeak?: boolean;
  /**
   * The shop's action plan for this question (`planForQuestion`): its return rules and numbered
   * claim procedure are appended to an article's answer, or answer alone when no article is confident.
   */
  plan?: BotPlan | null;
  /**
   * Hand off for this reason, unless the bot stays quiet anyway (another channel, outside its
   * hours, a person has the ticket): a message search refuses, or a turn that cannot be taken.
   */
  handOff?: HandOffReason;
}

const PERSON =
  /상담원|상담사|사람(?:이랑|하고|과|한테|이|을)?\s*(?:연결|얘기|이야기|대화|통화)|직원\s*(?:연결|분|이랑|하고)|사람\s*연결|연결\s*해\s*주|진짜\s*사람|\b(?:agent|human|real person|representative|operator|someone real)\b/i;
const YES =
  /^(?:예|네|넹|응|ㅇㅇ|넵|yes|yep|yeah|y|👍)(?=$|[\s.!,~요])|도움(?:이)?\s*(?:됐|되었|돼)|해결(?:이)?\s*(?:됐|되었)|감사합니다|고마워요|\bthanks\b|thank you|(?:that|it) helped/i;
const NO =
  /^(?:아니(?:요|오)?|아뇨|아니에요|ㄴㄴ|no|nope|n|👎)[\s.!~]*$|도움(?:이)?\s*(?:안|않|못)|해결(?:이)?\s*(?:안|않)|(?:did not|didn't|doesn't|does not|not)\s+help/i;
const WISMO =
  /언제\s*(?:와|오|도착|받)|어디(?:쯤)?|도착|배송\s*(?:조회|현황|상태)|안\s*(?:와|옴|오네)|안와|택배\s*(?:언제|어디)|where(?:'s| is)?\s*(?:my\s*)?(?:order|package|parcel)|track|when\s+will\s+(?:it|my)|arriv|status of my order/i;

/**
 * Whether a message asks where an order is (an order number in the text, or a shipping question
 * in "when will it arrive" words): the answer needs the commerce context, fetched after commit.
 */
export function looksLikeOrderQuestion(text: string, category: string | null): boolean {
  return extractOrderName(text) !== null || (category === "shipping" && WISMO.test(text));
}

/** Whether the customer asks for a person ("상담원", "사람 연결", "직원 연결", "agent", "human"). */
export function asksForPerson(text: string): boolean {
  return PERSON.test(text);
}

/** "예"/"아니요" to "도움이 되었나요?", from a button payload or the text; null when it is neither. */
export function helpfulAnswer(text: string, meta: Record<string, unknown> = {}): boolean | null {
  const payload = [meta.interactive, meta.quickReply, meta.button, meta.postback]
    .map((m) =>
      m && typeof m === "object"
        ? ((m as { id?: unknown; payload?: unknown }).id ?? (m as { payload?: unknown }).payload)
        : null,
    )
    .find((p): p is string => typeof p === "string" && p.startsWith("kb:helpful:"));
  if (payload) return payload.startsWith("kb:helpful:yes");
  const t = text.trim();
  if (NO.test(t)) return false;
  // A short reply only: "네, 그런데 반품은요?" is a new question, not a vote.
  if (t.length <= 30 && YES.test(t)) return true;
  return null;
}

/** Whether a VIP writes: the configured attribute, or the total spent from the commerce context. */
export function isVip(customer: Customer | null, commerce: CustomerContext | null, config: BotConfig): boolean {
  if (customer?.attributes[config.vip.attribute] === true) return true;
  const min = config.vip.totalSpentAtLeast;
  return min !== null && commerce !== null && commerce.totalSpent >= min;
}

/** The order a "where is my order?" question is about: the one named in the text, else the latest. */
export function wismoOrder(
  text: string,
  category: string | null,
  commerce: CustomerContext | null,
): { order: OrderSummary | null; named: string | null; asked: boolean } {
  const named = extractOrderName(text);
  if (named) return { order: commerce?.recentOrders.find((o) => o.name === named) ?? null, named, asked: true };
  const asked = category === "shipping" && WISMO.test(text);
  return {
    order: asked ? (commerce?.recentOrders[0] ?? null) : null,
    named: null,
    asked: asked && (commerce?.recentOrders.length ?? 0) > 0,
  };
}

/** The due time to promise: the ticket's first-reply SLA, else the calendar's next opening. */
function dueOf(ticket: Ticket, calendar: BusinessCalendar | null, now: Date): Date | null {
  const metric =
    ticket.sla?.metrics.find((m) => m.metric === "first_reply" && m.dueAt) ??
    ticket.sla?.metrics.find((m) => m.dueAt && m.status === "active");
  const opening = calendar ? nextOpening(now, calendar) : null;
  if (!metric?.dueAt) return opening;
  const due = new Date(metric.dueAt);
  // A calendar-time SLA can fall due while the shop is closed (01:39 at night): nobody answers
  // then, so the promise is the first opening from that time on.
  if (calendar && !isOpen(due, calendar)) return nextOpening(due, calendar);
  return opening && opening > due ? opening : due;
}

/** The conversation's language: the ticket's (a one-word "예" says little), then the customer's, then this message's. */
function localeOf(input: BotTurnInput): string {
  return input.ticket.language || input.customer?.locale || input.classification?.language || "ko";
}

/**
 * Decides what the bot does with one inbound customer message. In order: stay quiet where it
 * should (another channel, a person has the ticket); hand off when the caller says so (`handOff`:
 * a message too long to search, a turn that cannot be taken), the customer asks for a person,
 * writes again soon after a bot-resolved ticket, says the answer did not help, complains, is a VIP,
 * or asks about a human-only category; take "yes, it helped" as resolved; answer "where is my
 * order?" with the live status; answer from a confident article (or the generative hook's grounded
 * answer), with the action plan's return rules and claim procedure appended when `plan` is given;
 * answer from the plan alone when no article is confident; otherwise count a low-confidence turn and hand off at the configured count.
 *
 * @example
 * const d = decideBotTurn({ message: { text: "배송이 언제 되나요", channel: "webchat" }, hits, ticket, … });
 * if (d.kind === "answer") await desk.reply(ticket.id, { text: d.text, authorKind: "bot" });
 */
export function decideBotTurn(input: BotTurnInput): BotDecision {
  const { message, ticket, now } = input;
  const config = configFor(input.config, message.channel);
  const state: BotState = { ...NEW_BOT_STATE, ...input.state };
  const locale = localeOf(input);
  const nothing = (reason: string, s: BotState = state): BotDecision => ({ kind: "nothing", reason, state: s });
  const handOff = (reason: HandOffReason, articleId: string | null = null): BotDecision => {
    const hours =
      config.hoursText?.[locale.slice(0, 2)] ?? (input.calendar ? describeHours(input.calendar, locale) : null);
    const open = input.calendar ? isOpen(now, input.calendar) : true;
    const text = handOffMessage({
      locale,
      open,
      hours: hours || null,
      due: dueOf(ticket, input.calendar, now),
      timeZone: input.timeZone,
    });
    return { kind: "hand_off", reason, text, articleId, state: { ...state, handedOff: true, awaitingFeedback: null } };
  };

  if (config.channels && !config.channels.includes(message.channel)) return nothing("channel_not_enabled");
  if (config.hours !== "always" && input.calendar) {
    // A bot that covers the nights only leaves the day to people, and the other way round.
    const open = isOpen(now, input.calendar);
    if (config.hours === "outside_business_hours" ? open : !open) return nothing("outside_bot_hours");
  }
  if (ticket.assigneeId) return nothing("assigned_to_person");
  if (state.handedOff && !state.deflectedAt) return nothing("handed_off");
  if (state.deflectedAt) {
    const since = now.getTime() - new Date(state.deflectedAt).getTime();
    if (since <= config.reopenWithinHours * 3_600_000) return handOff("reopened_after_deflection");
    // Long after: a new question on an old conversation, answered afresh.
    Object.assign(state, NEW_BOT_STATE);
  }
  if (input.handOff) return handOff(input.handOff, state.awaitingFeedback?.articleId ?? null);
  if (asksForPerson(message.text)) return handOff("asked_for_person", state.awaitingFeedback?.articleId ?? null);
  if (state.awaitingFeedback) {
    const helped = helpfulAnswer(message.text, message.meta);
    const articleId = state.awaitingFeedback.articleId;
    if (helped === false) return handOff("not_helpful", articleId);
    if (helped === true) {
      return {
        kind: "resolved",
        articleId,
        text: thanks(locale),
        state: { ...state, awaitingFeedback: null, deflectedAt: now.toISOString() },
      };
    }
  }
  if (input.classification?.complaint?.signal || input.classification?.category === "complaint")
    return handOff("complaint");
  if (isVip(input.customer, input.commerce, config)) return handOff("vip");
  const top = input.hits[0] ?? null;
  const category = input.classification?.category ?? null;
  if (
    (category && config.humanOnlyCategories.includes(category)) ||
    (top?.category && top.score >= config.threshold && config.humanOnlyCategories.includes(top.category))
  ) {
    return handOff("human_only_category");
  }

  const wismo = wismoOrder(message.text, category, input.commerce);
  if (wismo.named && !wismo.order) return handOff("order_not_found");
  if (wismo.order) {
    return {
      kind: "order_status",
      orderId: wismo.order.id,
      orderName: wismo.order.name,
      text: orderStatusMessage(wismo.order, locale, input.timeZone),
      state: { ...state, lowConfidenceTurns: 0, awaitingFeedback: null },
    };
  }

  const known = new Set(input.hits.map((h) => h.articleId));
  const generated =
    input.generated &&
    input.generated.text.trim() &&
    input.generated.citedArticleIds.length > 0 &&
    input.generated.citedArticleIds.every((id) => known.has(id))
      ? input.generated
      : null;
  if (generated || (top && top.score >= config.threshold)) {
    const articleId = generated ? generated.citedArticleIds[0]! : top!.articleId;
    const hit = input.hits.find((h) => h.articleId === articleId)!;
    const style = { ...DEFAULT_FEEDBACK_STYLES, ...config.feedbackStyles }[message.channel] ?? "text";
    const f = feedbackQuestion(locale);
    const answer = generated ? generated.text.trim() : answerText(hit, config.maxAnswerChars, locale);
    const quoted = input.plan ? planAnswerText(input.plan, locale) : "";
    const body = quoted ? `${answer}\n\n${quoted}` : answer;
    const buttons =
      style === "text"
        ? []
        : [
            { id: `kb:helpful:yes:${articleId}`, title: f.yes },
            { id: `kb:helpful:no:${articleId}`, title: f.no },
          ];
    const link = hit.url && (style === "text" || generated) ? readMore(locale, hit.url) : null;
    const text = [body, link, style === "text" ? feedbackByText(locale) : f.question].filter(Boolean).join("\n\n");
    return {
      kind: "answer",
      articleId,
      text,
      buttons,
      generated: generated !== null,
      citedArticleIds: generated ? generated.citedArticleIds : [articleId],
      planCategory: quoted ? input.plan!.category : null,
      state: {
        ...state,
        lowConfidenceTurns: 0,
        awaitingFeedback: { articleId, score: hit.score },
        answered: [...new Set([...state.answered, articleId])],
      },
    };
  }

  // No confident article, but the shop's plan answers returns, exchanges and claims itself.
  const quoted = input.plan ? planAnswerText(input.plan, locale) : "";
  if (quoted) {
    return {
      kind: "plan_answer",
      planCategory: input.plan!.category,
      text: quoted,
      state: { ...state, lowConfidenceTurns: 0, awaitingFeedback: null },
    };
  }

  const turns = state.lowConfidenceTurns + 1;
  if (turns >= config.maxLowConfidenceTurns)
    return handOff("low_confidence", state.awaitingFeedback?.articleId ?? null);
  if (input.mustSpeak)
    return handOff(looksLikeOrderQuestion(message.text, category) ? "order_not_found" : "low_confidence");
  return nothing("low_confidence", { ...state, lowConfidenceTurns: turns });
}

/** The article's answer as chat text, cut at a sentence before `max` characters with a link to the rest. */
function answerText(hit: BotHit, max: number, locale: string): string {
  const full = plainText(hit.article?.body ?? hit.snippet);
  if (full.length <= max) return full;
  const cut = full.slice(0, max);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("다. "), cut.lastIndexOf("\n"));
  const text = `${(end > max / 2 ? cut.slice(0, end + 1) : cut).trim()}…`;
  return hit.url ? `${text}\n${readMore(locale, hit.url)}` : text;
}
