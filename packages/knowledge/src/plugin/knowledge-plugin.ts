/**
 * The knowledge base and the answer bot as a `DeskPlugin` (`id: "knowledge"`): articles, search
 * and reports under `desk.knowledge`, kept in the plugin's record namespace (`knowledge.*`), and
 * the bot as hooks on the pipeline. The bot decides in the ingest transaction whether it takes a
 * new ticket's first message (`ticket.meta.firstContact = "knowledge"`, which keeps the
 * auto-acknowledgement from going out too) and answers after commit, through `desk.reply`.
 */
import {
  defineDeskPlugin,
  parseInput,
  type BusinessCalendar,
  type Customer,
  type Message,
  type PluginDesk,
  type Store,
  type Ticket,
} from "@storedesk/core";
import {
  NEW_BOT_STATE,
  BotConfigSchema,
  type BotConfig,
  type BotConfigInput,
  type GenerateAnswer,
} from "../bot/bot-config.js";
import { createBotRunner, isCustomerTurn, type BotDesk, type BotRunner } from "../bot/bot-runner.js";
import { decideBotTurn, looksLikeOrderQuestion } from "../bot/decide-bot-turn.js";
import { planForQuestion, type BotPlan } from "../bot/plan-answer.js";
import { createKnowledge, type Knowledge, type KnowledgeOptions } from "../create-knowledge.js";
import { knowledgeMethods, type KnowledgeMethods } from "./knowledge-methods.js";

/** The plugin's id: its namespace on the desk, its records (`knowledge.*`) and events (`plugin.knowledge.*`). */
export const KNOWLEDGE_PLUGIN_ID = "knowledge";

/** The value of `ticket.meta.firstContact` when the bot takes a new ticket's first message. */
export const FIRST_CONTACT_BY_BOT = KNOWLEDGE_PLUGIN_ID;

/** Options of {@link knowledgePlugin}. */
export interface KnowledgePluginOptions extends Omit<KnowledgeOptions, "store" | "clock"> {
  /** Where the articles live (default: the desk's store, under the plugin's namespace `knowledge.*`). */
  store?: Store;
  /** An existing knowledge base to use instead of making one (its store and options win). */
  knowledge?: Knowledge;
  /** The answer bot's settings, or `false` for a help center without a bot. */
  bot?: BotConfigInput | false;
  /** Business hours for the hand-off message and `bot.hours` (the desk's SLA calendar, usually). */
  calendar?: BusinessCalendar | null;
  /** Zone for times shown to customers (default `Asia/Seoul`). */
  timeZone?: string;
  /** Optional grounded generative answer (e.g. from `@storedesk/ai`); the bot works without it. */
  generate?: GenerateAnswer;
  /** Where failures of a bot turn go (the customer's message is stored either way). Default: the desk's `error` event. */
  onError?: (error: unknown, context: string) => void;
}

/**
 * Whether the bot will say something to this new ticket's first message, decided in the ingest
 * transaction from what is known there (the message, its classification, the customer, the index).
 * An order question counts too: its answer (or hand-off) needs the commerce context, after commit.
 *
 * @example
 * if (botTakesFirstContact({ ticket, customer, message, knowledge, config, calendar, timeZone, now })) …
 */
export function botTakesFirstContact(args: {
  ticket: Ticket;
  customer: Customer;
  message: Message;
  knowledge: Knowledge;
  config: BotConfig;
  calendar: BusinessCalendar | null;
  timeZone: string;
  now: Date;
  /** The desk's action plans: a returns question the plan answers is one the bot takes. */
  plans?: ReadonlyMap<string, BotPlan>;
}): boolean {
  const { message, config } = args;
  const classification =
    (message.meta.classification as
      { category: string; language?: string; complaint?: { signal: boolean } } | undefined) ?? null;
  const locale = args.ticket.language || args.customer.locale || classification?.language || "ko";
  // The index was brought up to date before the transaction (beforeClassify): no store read here.
  const hits = args.knowledge.index.search(message.text, { locale });
  const decision = decideBotTurn({
    message: { text: message.text, channel: message.channel, meta: message.meta },
    classification,
    ticket: args.ticket,
    customer: args.customer,
    commerce: null,
    hits,
    config,
    state: NEW_BOT_STATE,
    calendar: args.calendar,
    timeZone: args.timeZone,
    now: args.now,
    plan: planForQuestion(args.plans, args.ticket.category, message.text),
  });
  if (decision.kind !== "nothing") return true;
  const enabled = decision.reason === "low_confidence";
  return enabled && looksLikeOrderQuestion(message.text, classification?.category ?? null);
}

/**
 * The knowledge plugin. Its methods are under `desk.knowledge`: `articles.*` (validated, with
 * version history, each change emitted as `plugin.knowledge.article_changed`), `importMarkdown`,
 * `importCsv`, `search`, `gaps(period)`, `effectiveness()`, `bot.*`.
 *
 * @example
 * const desk = createDesk({
 *   store, channels: [chat],
 *   plugins: [knowledgePlugin({ calendar: seoul, bot: { channels: ["webchat"], humanOnlyCategories: ["refund_exchange"] } })],
 * });
 * await desk.knowledge.importCsv("question,answer,category\n배송은 얼마나 걸리나요?,1–3일 걸립니다.,shipping\n");
 */
export function knowledgePlugin(options: KnowledgePluginOptions = {}) {
  const config: BotConfig | null =
    options.bot === false ? null : parseInput(BotConfigSchema, options.bot ?? {}, "bot config");
  const calendar = options.calendar ?? null;
  const timeZone = options.timeZone ?? "Asia/Seoul";
  let knowledge: Knowledge | null = options.knowledge ?? null;
  let runner: BotRunner | null = null;
  let detach: (() => void) | null = null;
  let plans: ReadonlyMap<string, BotPlan> | undefined;
  // Messages of open tickets the customerMessage hook handed to the bot, taken after commit.
  // Bounded: an id whose transaction rolled back is never taken and ages out.
  const pendingTurns = new Set<string>();

  const wanted = (message: Message | null): message is Message =>
    config !== null && knowledge !== null && message !== null && isCustomerTurn(message);

  return defineDeskPlugin({
    specVersion: 1,
    id: KNOWLEDGE_PLUGIN_ID,
    events: ["plugin.knowledge.handoff", "plugin.knowledge.article_changed", "plugin.knowledge.error"],
    hooks: {
      // Outside the transaction: catch the index up with writes of other instances now, so the
      // in-transaction hooks search memory only.
      beforeClassify: async () => {
        if (config && knowledge) await knowledge.ready();
      },
      ticketCreated: ({ ticket, customer, message, now }) => {
        if (!wanted(message)) return undefined;
        if (
          !botTakesFirstContact({
            ticket,
            customer,
            message,
            knowledge: knowledge!,
            config: config!,
            calendar,
            timeZone,
            now,
            ...(plans ? { plans } : {}),
          })
        )
          return undefined;
        // Read by the auto-acknowledgement plugin, which then stays quiet: one message, not two.
        return { ticket: { meta: { firstContact: FIRST_CONTACT_BY_BOT } } };
      },
      customerMessage: ({ message }) => {
        if (!wanted(message)) return undefined;
        if (pendingTurns.size > 10_000) pendingTurns.delete(pendingTurns.values().next().value!);
        pendingTurns.add(message.id);
        return undefined;
      },
      // After commit, before the acknowledgement stage; the desk bounds how long ingest waits.
      afterTicketCreated: async ({ ticket, message }) => {
        if (!wanted(message) || !runner) return undefined;
        await runner.enqueue(ticket, message, { mustSpeak: ticket.meta.firstContact === FIRST_CONTACT_BY_BOT });
        return undefined;
      },
    },
    methods({ desk }: { desk: PluginDesk }): KnowledgeMethods {
      const deskApi = desk as unknown as BotDesk & {
        store: Store;
        clock: PluginDesk["clock"];
        emit: PluginDesk["emit"];
      };
      plans = deskApi.actionPlans;
      knowledge ??= createKnowledge({ ...options, store: options.store ?? deskApi.store, clock: deskApi.clock });
      const onError =
        options.onError ??
        ((error: unknown, context: string) => {
          deskApi.emit("plugin.knowledge.error", { error, context });
          console.error(`[knowledge bot] ${context}`, error);
        });
      if (config) {
        runner = createBotRunner({
          desk: deskApi,
          knowledge,
          config,
          calendar,
          timeZone,
          clock: deskApi.clock,
          generate: options.generate,
          onError,
        });
        const bot = runner;
        const onMessage = ({ ticket, message }: { ticket: Ticket; message: Message }) => {
          if (pendingTurns.delete(message.id)) void bot.enqueue(ticket, message);
        };
        deskApi.on("message.received", onMessage);
        detach = () => deskApi.off("message.received", onMessage);
      }
      return knowledgeMethods({ knowledge, runner, config, emit: deskApi.emit });
    },
    async close() {
      detach?.();
      await runner?.idle();
    },
  });
}
