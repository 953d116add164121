/**
 * Wires the answer bot into a desk through its public API: on every inbound customer message it
 * searches, decides (decideBotTurn, pure) and applies the decision: a reply with author `bot`, an
 * audit event, a status change. Kept thin so it becomes a `DeskPlugin` with few changes.
 */
import { parseInput, type BusinessCalendar, type Clock, type Desk, type Message, type Ticket } from "@storedesk/core";
import { NS } from "../article.js";
import type { Knowledge } from "../create-knowledge.js";
import type { SearchHit } from "../search-index.js";
import { BotConfigSchema, DEFAULT_FEEDBACK_STYLES, NEW_BOT_STATE, type BotConfig, type BotConfigInput, type BotState, type GenerateAnswer, type GeneratedAnswer } from "./bot-config.js";
import { asksForPerson, decideBotTurn, helpfulAnswer, type BotButton, type BotDecision } from "./decide-bot-turn.js";

/** The desk methods the bot uses. */
export type BotDesk = Pick<Desk, "on" | "off" | "reply" | "recordEvent" | "setStatus" | "setTags" | "getTicket" | "getCustomer" | "commerceContext">;

/** Options of {@link attachAnswerBot}. */
export interface AnswerBotOptions {
  knowledge: Knowledge;
  bot?: BotConfigInput;
  /** Business hours for the hand-off message (the desk's SLA calendar, usually). */
  calendar?: BusinessCalendar | null;
  /** Zone for times shown to customers (default `Asia/Seoul`). */
  timeZone?: string;
  clock?: Clock;
  /** Optional grounded generative answer (e.g. from `@storedesk/ai`); the bot works without it. */
  generate?: GenerateAnswer;
  /** Where failures of a bot turn go (the customer's message is stored either way). Default: console.error. */
  onError?: (error: unknown, context: string) => void;
}

/** A running bot. */
export interface AnswerBot {
  config: BotConfig;
  /** Resolves when every turn started so far is done (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Stops listening. */
  detach(): void;
  /** What the bot remembers about a ticket. */
  state(ticketId: string): Promise<BotState>;
}

/** Reply options that show the buttons on the channel: WhatsApp reply buttons, Meta quick replies. */
export function buttonOptions(channel: string, buttons: BotButton[], config: BotConfig): Record<string, unknown> | undefined {
  if (buttons.length === 0) return undefined;
  const style = { ...DEFAULT_FEEDBACK_STYLES, ...config.feedbackStyles }[channel] ?? "text";
  if (style === "buttons") return { buttons: buttons.map((b) => ({ id: b.id, title: b.title })) };
  if (style === "quick_replies") return { quickReplies: buttons.map((b) => ({ title: b.title, payload: b.id })) };
  return undefined;
}

/**
 * Starts the answer bot on a desk. Turn off the desk's auto-acknowledgement on the bot's channels
 * (`autoAcknowledge: { channels: [...] }`), or customers get both.
 *
 * @example
 * const knowledge = createKnowledge({ store });
 * const bot = attachAnswerBot(desk, { knowledge, calendar: seoul, bot: { channels: ["webchat"], humanOnlyCategories: ["refund_exchange"] } });
 */
export function attachAnswerBot(desk: BotDesk, options: AnswerBotOptions): AnswerBot {
  const config = parseInput(BotConfigSchema, options.bot ?? {}, "bot config");
  const { knowledge } = options;
  const now = () => options.clock?.now() ?? new Date();
  const timeZone = options.timeZone ?? "Asia/Seoul";
  const actor = { bot: config.botId };
  const onError = options.onError ?? ((error: unknown, context: string) => console.error(`[knowledge bot] ${context}`, error));
  const store = knowledge.store;
  // One turn per ticket at a time, in arrival order: a quick "예" never overtakes the answer it confirms.
  const queues = new Map<string, Promise<void>>();
  const pending = new Set<Promise<void>>();

  async function loadState(ticketId: string): Promise<{ state: BotState; version: number | null }> {
    const r = await store.getRecord(NS.botState, ticketId);
    return { state: { ...NEW_BOT_STATE, ...(r?.value as Partial<BotState> | undefined) }, version: r?.version ?? null };
  }

  async function saveState(ticketId: string, state: BotState): Promise<void> {
    await store.putRecord({ namespace: NS.botState, key: ticketId, value: state, updatedAt: now(), expiresAt: new Date(now().getTime() + 90 * 86_400_000) });
  }

  async function generateFor(text: string, hits: SearchHit[]): Promise<GeneratedAnswer | null> {
    if (!options.generate || hits.length === 0) return null;
    try {
      return await options.generate(text, hits.slice(0, 3).map((h) => ({ articleId: h.articleId, title: h.title, snippet: h.snippet, body: h.article.body })));
    } catch (error) {
      onError(error, "generate hook failed; answering from retrieval only");
      return null;
    }
  }

  async function turn(ticket: Ticket, message: Message): Promise<void> {
    const { state } = await loadState(ticket.id);
    const classification = (message.meta.classification as { category: string; language?: string; complaint?: { signal: boolean } } | undefined) ?? null;
    const customer = await desk.getCustomer(ticket.customerId);
    const commerce = customer ? await desk.commerceContext(customer.id).catch(() => null) : null;
    const locale = ticket.language || customer?.locale || classification?.language || "ko";
    // A "예"/"아니요" or a request for a person is no question: keep it out of search and the gap report.
    const isFeedback = state.awaitingFeedback !== null && helpfulAnswer(message.text, message.meta) !== null;
    const { hits } = isFeedback || asksForPerson(message.text) || state.handedOff
      ? { hits: [] as SearchHit[] }
      : await knowledge.ask(message.text, { locale, ticketId: ticket.id });
    const generated = hits.length > 0 && (hits[0]?.score ?? 0) >= 0.25 ? await generateFor(message.text, hits) : null;
    const decision = decideBotTurn({
      message: { text: message.text, channel: message.channel, meta: message.meta }, classification, ticket, customer, commerce, hits,
      config, state, calendar: options.calendar ?? null, timeZone, now: now(), generated,
    });
    await apply(ticket, decision, hits);
    await saveState(ticket.id, decision.state);
  }

  async function say(ticket: Ticket, text: string, extra: { buttons?: BotButton[]; status?: "solved" } = {}): Promise<Message> {
    const opts = buttonOptions(ticket.channel, extra.buttons ?? [], config);
    // `automatic` keeps a bot message from counting as the SLA's first reply unless the shop opts in.
    return desk.reply(ticket.id, { text, authorKind: "bot", automatic: !config.countsAsReply, ...(opts ? { options: opts } : {}), ...(extra.status ? { status: extra.status } : {}) });
  }

  async function apply(ticket: Ticket, d: BotDecision, hits: SearchHit[]): Promise<void> {
    switch (d.kind) {
      case "answer": {
        const m = await say(ticket, d.text, { buttons: d.buttons });
        const hit = hits.find((h) => h.articleId === d.articleId);
        await desk.recordEvent(ticket.id, "bot.answered", { articleId: d.articleId, score: hit?.score ?? null, generated: d.generated, cited: d.citedArticleIds, messageId: m.id }, actor);
        await knowledge.articles.count(d.articleId, { answered: 1, views: 1 }).catch((e: unknown) => onError(e, "counting an answer"));
        return;
      }
      case "order_status": {
        const m = await say(ticket, d.text);
        await desk.recordEvent(ticket.id, "bot.order_status", { orderId: d.orderId, orderName: d.orderName, messageId: m.id }, actor);
        return;
      }
      case "resolved": {
        const m = await say(ticket, d.text, { status: "solved" });
        await desk.recordEvent(ticket.id, "bot.deflected", { articleId: d.articleId, messageId: m.id }, actor);
        await knowledge.feedback(d.articleId, true).catch((e: unknown) => onError(e, "counting a helpful vote"));
        return;
      }
      case "hand_off": {
        const m = await say(ticket, d.text);
        await desk.recordEvent(ticket.id, "bot.handed_off", { reason: d.reason, articleId: d.articleId, messageId: m.id }, actor);
        if (d.reason === "not_helpful" && d.articleId) await knowledge.feedback(d.articleId, false).catch((e: unknown) => onError(e, "counting a vote"));
        if (d.articleId) await knowledge.articles.count(d.articleId, { handoffs: 1 }).catch((e: unknown) => onError(e, "counting a hand-off"));
        const current = await desk.getTicket(ticket.id);
        if (!current.tags.includes("bot-handoff")) await desk.setTags(ticket.id, [...current.tags, "bot-handoff"], actor);
        return;
      }
      case "nothing":
        if (d.reason === "low_confidence") await desk.recordEvent(ticket.id, "bot.low_confidence", { turns: d.state.lowConfidenceTurns, topScore: hits[0]?.score ?? null }, actor);
        return;
    }
  }

  const listener = ({ ticket, message }: { ticket: Ticket; message: Message }) => {
    if (message.direction !== "inbound" || message.authorKind !== "customer" || message.automatic || !message.text.trim()) return;
    const previous = queues.get(ticket.id) ?? Promise.resolve();
    const run = previous.then(() => turn(ticket, message)).catch((error: unknown) => onError(error, `turn on ticket ${ticket.id}`));
    queues.set(ticket.id, run);
    pending.add(run);
    void run.finally(() => {
      pending.delete(run);
      if (queues.get(ticket.id) === run) queues.delete(ticket.id);
    });
  };
  desk.on("message.received", listener);

  return {
    config,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    detach() {
      desk.off("message.received", listener);
    },
    async state(ticketId: string) {
      return (await loadState(ticketId)).state;
    },
  };
}
