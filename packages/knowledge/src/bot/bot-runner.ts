/**
 * One bot turn, applied through the desk's public API after the message's commit: search, decide
 * (decideBotTurn, pure), then the reply with author `bot`, the audit events (`bot.answered`,
 * `bot.handoff`, `bot.deflected`…) and the ticket marks. `attachAnswerBot` takes every turn here;
 * the `knowledgePlugin` only the turns that need the commerce context or a generated answer (the
 * others it decides in the ingest transaction, `bot-turn-in-transaction.ts`).
 */
import type { Actor, BusinessCalendar, Clock, Desk, Message, Store, Ticket } from "@storedesk/core";
import { NS } from "../article.js";
import type { Knowledge } from "../create-knowledge.js";
import type { SearchHit } from "../search-index.js";
import {
  NEW_BOT_STATE,
  type BotConfig,
  type BotState,
  type GenerateAnswer,
  type GeneratedAnswer,
} from "./bot-config.js";
import type { AfterTurn } from "./bot-turn-in-transaction.js";
import { asksForPerson, decideBotTurn, helpfulAnswer, type BotButton, type BotDecision } from "./decide-bot-turn.js";
import { planForQuestion } from "./plan-answer.js";
import { quickReplyOptions } from "./quick-replies.js";
import type { HandoffQuestion } from "../question-key.js";

/** The desk methods the bot uses (`emit` and `decide` when it runs as a plugin). */
export type BotDesk = Pick<
  Desk,
  "on" | "off" | "reply" | "recordEvent" | "setStatus" | "setTags" | "getTicket" | "getCustomer" | "commerceContext"
> & {
  emit?: (type: `plugin.${string}`, data: Record<string, unknown>) => void;
  /** The shop's action plans (`createDesk({ actionPlans })`): their return rules and claim procedure answer returns questions. */
  actionPlans?: Desk["actionPlans"];
};

/** What a runner needs. */
export interface BotRunnerOptions {
  desk: BotDesk;
  knowledge: Knowledge;
  config: BotConfig;
  calendar: BusinessCalendar | null;
  timeZone: string;
  clock?: Clock | undefined;
  generate?: GenerateAnswer | undefined;
  onError: (error: unknown, context: string) => void;
  /**
   * Where the bot state (`knowledge.bot-state`) lives (default the knowledge base's store). The
   * plugin passes the desk's store: its in-transaction turns write the state through the plugin's records.
   */
  stateStore?: Store | undefined;
}

/** Ticket tags the bot sets: a person has it now / the bot resolved it. */
export const BOT_TAGS = { handoff: "bot-handoff", deflected: "bot-deflected" } as const;

/** Whether a message is one the bot looks at (a customer's own words, not an automatic mail). */
export function isCustomerTurn(message: Message): boolean {
  return (
    message.direction === "inbound" &&
    message.authorKind === "customer" &&
    !message.automatic &&
    message.text.trim().length > 0
  );
}

/**
 * Makes the turn runner. `run(ticket, message, { mustSpeak })` takes one turn now; `enqueue` takes
 * it after the ticket's previous turn (a quick "예" never overtakes the answer it confirms).
 *
 * @example
 * const runner = createBotRunner({ desk, knowledge, config, calendar, timeZone: "Asia/Seoul", onError });
 * await runner.run(ticket, message);
 */
export function createBotRunner(options: BotRunnerOptions) {
  const { desk, knowledge, config } = options;
  const now = () => options.clock?.now() ?? new Date();
  const actor: Actor = { kind: "bot", id: config.botId };
  const actorInput = { bot: config.botId };
  const store = options.stateStore ?? knowledge.store;
  const queues = new Map<string, Promise<void>>();
  const pending = new Set<Promise<void>>();

  async function loadState(ticketId: string): Promise<BotState> {
    const r = await store.getRecord(NS.botState, ticketId);
    return { ...NEW_BOT_STATE, ...(r?.value as Partial<BotState> | undefined) };
  }

  async function saveState(ticketId: string, state: BotState): Promise<void> {
    await store.putRecord({
      namespace: NS.botState,
      key: ticketId,
      value: state,
      updatedAt: now(),
      expiresAt: new Date(now().getTime() + 90 * 86_400_000),
    });
  }

  async function generateFor(text: string, hits: SearchHit[]): Promise<GeneratedAnswer | null> {
    if (!options.generate || hits.length === 0) return null;
    try {
      return await options.generate(
        text,
        hits
          .slice(0, 3)
          .map((h) => ({ articleId: h.articleId, title: h.title, snippet: h.snippet, body: h.article.body })),
      );
    } catch (error) {
      options.onError(error, "generate hook failed; answering from retrieval only");
      return null;
    }
  }

  const count = (articleId: string, what: Parameters<Knowledge["articles"]["count"]>[1], context: string) =>
    knowledge.articles.count(articleId, what).then(
      () => undefined,
      (e: unknown) => options.onError(e, context),
    );

  async function say(
    ticket: Ticket,
    text: string,
    extra: { buttons?: BotButton[]; status?: "solved" } = {},
  ): Promise<Message> {
    const opts = quickReplyOptions(ticket.channel, extra.buttons ?? [], config);
    // `automatic` keeps a bot message from counting as the SLA's first reply unless the shop opts in.
    return desk.reply(ticket.id, {
      text,
      authorKind: "bot",
      automatic: !config.countsAsReply,
      ...(opts ? { options: opts } : {}),
      ...(extra.status ? { status: extra.status } : {}),
    });
  }

  /** Replaces the bot's tags on the ticket (one write, skipped when nothing changes). */
  async function retag(ticketId: string, add: string[], drop: string[]): Promise<void> {
    const current = await desk.getTicket(ticketId);
    const tags = [...new Set([...current.tags.filter((t) => !drop.includes(t)), ...add])];
    if (tags.length !== current.tags.length || tags.some((t) => !current.tags.includes(t)))
      await desk.setTags(ticketId, tags, actorInput);
  }

  async function apply(
    ticket: Ticket,
    d: BotDecision,
    hits: SearchHit[],
    before: BotState,
    asked: HandoffQuestion,
  ): Promise<void> {
    // The score the article had when the bot answered with it (a "no" turn searches nothing).
    const scoreOf = (articleId: string | null) =>
      (articleId ? hits.find((h) => h.articleId === articleId)?.score : undefined) ??
      (articleId && before.awaitingFeedback?.articleId === articleId ? before.awaitingFeedback.score : undefined) ??
      hits[0]?.score ??
      null;
    switch (d.kind) {
      case "answer": {
        const m = await say(ticket, d.text, { buttons: d.buttons });
        await desk.recordEvent(
          ticket.id,
          "bot.answered",
          {
            trigger: d.generated ? "generated_answer" : "confident_article",
            articleId: d.articleId,
            score: scoreOf(d.articleId),
            generated: d.generated,
            cited: d.citedArticleIds,
            ...(d.planCategory ? { source: "article+action_plan", planCategory: d.planCategory } : {}),
            messageId: m.id,
          },
          actorInput,
        );
        await count(d.articleId, { answered: 1, views: 1 }, "counting an answer");
        return;
      }
      case "plan_answer": {
        const m = await say(ticket, d.text);
        await desk.recordEvent(
          ticket.id,
          "bot.answered",
          {
            trigger: "action_plan",
            source: "action_plan",
            planCategory: d.planCategory,
            articleId: null,
            score: hits[0]?.score ?? null,
            messageId: m.id,
          },
          actorInput,
        );
        return;
      }
      case "order_status": {
        const m = await say(ticket, d.text);
        await desk.recordEvent(
          ticket.id,
          "bot.answered",
          {
            trigger: "order_status",
            articleId: null,
            score: null,
            orderId: d.orderId,
            orderName: d.orderName,
            messageId: m.id,
          },
          actorInput,
        );
        return;
      }
      case "resolved": {
        const m = await say(ticket, d.text, { status: "solved" });
        // The deflection mark: an event measurement counts and a tag an inbox can filter on.
        await desk.recordEvent(
          ticket.id,
          "bot.deflected",
          { trigger: "helpful_yes", articleId: d.articleId, score: null, messageId: m.id },
          actorInput,
        );
        await retag(ticket.id, [BOT_TAGS.deflected], []);
        await knowledge
          .feedback(d.articleId, true)
          .catch((e: unknown) => options.onError(e, "counting a helpful vote"));
        return;
      }
      case "hand_off": {
        const m = await say(ticket, d.text);
        // The question and its key let reports group hand-offs by what was asked (core's faqGaps).
        const data = {
          trigger: d.reason,
          articleId: d.articleId,
          score: scoreOf(d.articleId),
          messageId: m.id,
          topArticleId: hits[0]?.articleId ?? null,
          ...asked,
        };
        const saved = await desk.recordEvent(ticket.id, "bot.handoff", data, actorInput);
        // A re-opened deflection is no deflection any more: the tag goes, the hand-off tag comes.
        await retag(ticket.id, [BOT_TAGS.handoff], [BOT_TAGS.deflected]);
        desk.emit?.("plugin.knowledge.handoff", { ...data, ticketId: ticket.id, ticket: saved });
        if (d.reason === "not_helpful" && d.articleId)
          await knowledge.feedback(d.articleId, false).catch((e: unknown) => options.onError(e, "counting a vote"));
        if (d.articleId) await count(d.articleId, { handoffs: 1 }, "counting a hand-off");
        return;
      }
      case "nothing":
        if (d.reason === "low_confidence") {
          await desk.recordEvent(
            ticket.id,
            "bot.low_confidence",
            { turns: d.state.lowConfidenceTurns, topScore: hits[0]?.score ?? null },
            actorInput,
          );
        }
        return;
    }
  }

  /**
   * Takes one turn. `mustSpeak`: the bot told the desk it answers this message (no
   * acknowledgement went out), so when it has nothing to say it hands off instead of staying quiet.
   */
  async function run(ticket: Ticket, message: Message, opts: { mustSpeak?: boolean } = {}): Promise<BotDecision> {
    const state = await loadState(ticket.id);
    const classification =
      (message.meta.classification as
        { category: string; language?: string; complaint?: { signal: boolean } } | undefined) ?? null;
    const customer = await desk.getCustomer(ticket.customerId);
    const commerce = customer ? await desk.commerceContext(customer.id).catch(() => null) : null;
    const locale = ticket.language || customer?.locale || classification?.language || "ko";
    // A "예"/"아니요" or a request for a person is no question: keep it out of search and the gap report.
    const isFeedback = state.awaitingFeedback !== null && helpfulAnswer(message.text, message.meta) !== null;
    const searched = !(isFeedback || asksForPerson(message.text) || state.handedOff);
    const { hits } = !searched
      ? { hits: [] as SearchHit[] }
      : await knowledge.ask(message.text, { locale, ticketId: ticket.id });
    const generated = hits.length > 0 && (hits[0]?.score ?? 0) >= 0.25 ? await generateFor(message.text, hits) : null;
    const decision = decideBotTurn({
      message: { text: message.text, channel: message.channel, meta: message.meta },
      classification,
      ticket,
      customer,
      commerce,
      hits,
      config,
      state,
      calendar: options.calendar,
      timeZone: options.timeZone,
      now: now(),
      generated,
      mustSpeak: opts.mustSpeak ?? false,
      plan: planForQuestion(desk.actionPlans, ticket.category, message.text),
    });
    // The state first: a reply that fails must not leave the bot thinking it never answered.
    await saveState(ticket.id, decision.state);
    await apply(ticket, decision, hits, state, knowledge.handoffQuestion(message.text, locale, searched));
    return decision;
  }

  function track<T>(work: Promise<T>): Promise<T> {
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
    return work;
  }

  /** Runs `work` after the ticket's previous turn (its own turn, or the plugin's deferred one); failures go to `onError`. */
  function serialize(ticketId: string, work: () => Promise<unknown>): Promise<void> {
    const previous = queues.get(ticketId) ?? Promise.resolve();
    const next = previous.then(work).then(
      () => undefined,
      (error: unknown) => options.onError(error, `turn on ticket ${ticketId}`),
    );
    queues.set(ticketId, next);
    void next.finally(() => {
      if (queues.get(ticketId) === next) queues.delete(ticketId);
    });
    return track(next);
  }

  /** Runs a turn after the ticket's previous one; failures go to `onError`. */
  function enqueue(ticket: Ticket, message: Message, opts: { mustSpeak?: boolean } = {}): Promise<void> {
    return serialize(ticket.id, () => run(ticket, message, opts));
  }

  /** The counters, vote and question log of a turn decided in the ingest transaction (best effort). */
  function afterTurn(after: AfterTurn): Promise<void> {
    const work = (async () => {
      if (after.question)
        await knowledge.recordQuestion(after.question).catch((e: unknown) => options.onError(e, "logging a question"));
      for (const { articleId, delta } of after.counts) await count(articleId, delta, "counting a bot turn");
      if (after.vote)
        await knowledge
          .feedback(after.vote.articleId, after.vote.helpful)
          .catch((e: unknown) => options.onError(e, "counting a vote"));
    })();
    return track(work);
  }

  return {
    run,
    enqueue,
    serialize,
    afterTurn,
    /** Whether a turn of this ticket is queued or running here (a later message must wait for it). */
    busy: (ticketId: string): boolean => queues.has(ticketId),
    /** Resolves when every turn started so far is done. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    /** What the bot remembers about a ticket. */
    state: loadState,
    actor,
  };
}

/** What {@link createBotRunner} returns. */
export type BotRunner = ReturnType<typeof createBotRunner>;
