/**
 * The knowledge base and the answer bot as a `DeskPlugin` (`id: "knowledge"`): articles, search
 * and reports under `desk.knowledge`, kept in the plugin's record namespace (`knowledge.*`), and
 * the bot as hooks on the pipeline. The bot takes its turn in the ingest transaction: its message
 * is a `send` effect queued in the outbox with the customer's message, its audit events and bot
 * state land in the same commit, and on a new ticket `ticket.meta.firstContact = "knowledge"` keeps
 * the auto-acknowledgement from going out too. Only a turn that needs the commerce context (an
 * order question, a VIP by total spent), a generated answer or a message too long to search runs
 * after commit; the ingest transaction schedules a `knowledge.turn` job for it, so a crash between
 * the commit and that turn still gets the customer an answer or a person (`deferred-turn.ts`).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  defineDeskPlugin,
  parseInput,
  type BusinessCalendar,
  type Customer,
  type HookDecision,
  type Message,
  type PluginDesk,
  type PluginRecords,
  type Store,
  type Ticket,
} from "@storedesk/core";
import {
  NEW_BOT_STATE,
  BotConfigSchema,
  type BotConfig,
  type BotState,
  type BotConfigInput,
  type GenerateAnswer,
} from "../bot/bot-config.js";
import { createBotRunner, isCustomerTurn, type BotDesk, type BotRunner } from "../bot/bot-runner.js";
import { decideTurnInTransaction, type AfterTurn } from "../bot/bot-turn-in-transaction.js";
import { decideBotTurn, looksLikeOrderQuestion } from "../bot/decide-bot-turn.js";
import {
  BOT_STATE_TTL_MS,
  createDeferredTurns,
  DEFAULT_TURN_GRACE_MS,
  scheduleTurn,
  SEARCHABLE_CHARS,
  TURN_JOB,
  TURN_JOB_ATTEMPTS,
  turnJobKey,
  type DeferredTurns,
} from "./deferred-turn.js";
import { planForQuestion, type BotPlan } from "../bot/plan-answer.js";
import { createKnowledge, type Knowledge, type KnowledgeOptions } from "../create-knowledge.js";
import { knowledgeMethods, type KnowledgeMethods } from "./knowledge-methods.js";

/** What a hook left for after its commit: a turn's bookkeeping (`taken`), or the turn itself (`deferred`). */
type PendingTurn = { stage: "created" | "message" } & ({ kind: "taken"; after: AfterTurn } | { kind: "deferred" });

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
  /**
   * How long after the ingest's commit a deferred turn's job falls due (default 30 s): the turn
   * runs right after the commit and cancels it; after a crash, any instance's `runDue` takes it.
   * 0 to 3,600,000 ms.
   */
  turnGraceMs?: number;
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
  // A message search refuses goes to a person after the commit: the bot speaks (its hand-off).
  const tooLong = message.text.length > SEARCHABLE_CHARS;
  // The index was brought up to date before the transaction (beforeClassify): no store read here.
  const hits = tooLong ? [] : args.knowledge.index.search(message.text, { locale });
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
    ...(tooLong ? { handOff: "too_long" as const } : {}),
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
  let deferred: DeferredTurns | null = null;
  let cancelTurnJob: (messageId: string) => Promise<void> = async () => undefined;
  let reportError: (error: unknown, context: string) => void = () => undefined;
  const graceMs = parseInput(
    z.number().int().min(0).max(3_600_000),
    options.turnGraceMs ?? DEFAULT_TURN_GRACE_MS,
    "turnGraceMs",
  );
  let detach: (() => void) | null = null;
  let plans: ReadonlyMap<string, BotPlan> | undefined;
  // What the hooks left for after the commit, by inbound message id: the bookkeeping of a turn
  // taken in the transaction, or the whole turn (`deferred`). Bounded: an id whose transaction
  // rolled back is never taken and ages out; a retried transaction overwrites its entry.
  const pendingTurns = new Map<string, PendingTurn>();
  const remember = (messageId: string, entry: PendingTurn) => {
    if (pendingTurns.size > 10_000) pendingTurns.delete(pendingTurns.keys().next().value!);
    pendingTurns.set(messageId, entry);
  };
  /** Runs what the hooks left for after the commit: the bookkeeping, or the deferred turn. */
  const takeAfterCommit = (bot: BotRunner, ticket: Ticket, message: Message, entry: PendingTurn | undefined) => {
    pendingTurns.delete(message.id);
    if (entry?.kind === "taken") return bot.afterTurn(entry.after);
    // A new ticket's turn the bot claimed must say something (no acknowledgement went out).
    const mustSpeak = entry?.stage !== "message" && ticket.meta.firstContact === FIRST_CONTACT_BY_BOT;
    return bot.serialize(ticket.id, async () => {
      const outcome = await deferred!.take({ ticketId: ticket.id, messageId: message.id, mustSpeak });
      // A take cancels the job in its own transaction; a turn with nothing to take leaves it to go too.
      if (outcome !== "taken") await cancelTurnJob(message.id);
    });
  };
  /** The job that takes the turn on `message` if the after-commit take never completes. */
  const scheduled = (ticket: Ticket, message: Message, now: Date, mustSpeak: boolean): HookDecision => ({
    effects: [scheduleTurn(ticket.id, message.id, { mustSpeak, now, graceMs })],
  });

  const wanted = (message: Message | null): message is Message =>
    config !== null && knowledge !== null && message !== null && isCustomerTurn(message);

  /**
   * The turn on `message`, decided in the stage's transaction: the bot state written through the
   * records (same transaction), the decision returned for the desk to apply. Null when it must
   * run after the commit (remembered as `deferred`).
   */
  async function turnInTransaction(args: {
    ticket: Ticket;
    customer: Customer;
    message: Message;
    records: PluginRecords;
    now: Date;
    stage: PendingTurn["stage"];
  }): Promise<HookDecision | null> {
    const { ticket, message, records, now } = args;
    // A new ticket has no state yet (a follow-up is a new ticket too).
    const stored = args.stage === "created" ? null : await records.get("bot-state", ticket.id);
    const state: BotState = { ...NEW_BOT_STATE, ...(stored?.value as Partial<BotState> | undefined) };
    const t = decideTurnInTransaction({
      ticket,
      customer: args.customer,
      message,
      state,
      knowledge: knowledge!,
      config: config!,
      calendar,
      timeZone,
      now,
      generate: options.generate !== undefined,
      messageId: randomUUID(),
      ...(plans ? { plans } : {}),
    });
    if (t.kind === "deferred") {
      remember(message.id, { stage: args.stage, kind: "deferred" });
      return null;
    }
    if (JSON.stringify(t.state) !== JSON.stringify(state)) {
      const expiresAt = new Date(now.getTime() + BOT_STATE_TTL_MS);
      await records.put({ namespace: "bot-state", key: ticket.id, value: t.state, expiresAt });
    }
    remember(message.id, { stage: args.stage, kind: "taken", after: t.after });
    return t.hook;
  }

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
      // The turn in the ingest transaction; an order question or a generated answer after commit,
      // with a job scheduled in this transaction in case the process dies before it.
      ticketCreated: async ({ ticket, customer, message, now, records }) => {
        if (!wanted(message)) return undefined;
        const decided = await turnInTransaction({ ticket, customer, message, records, now, stage: "created" });
        // The bot speaks: read by the auto-acknowledgement plugin, which then stays quiet (one message, not two).
        const firstContact = { meta: { firstContact: FIRST_CONTACT_BY_BOT } };
        if (decided)
          return decided.effects?.some((e) => e.type === "send")
            ? { ...decided, ticket: { ...decided.ticket, ...firstContact } }
            : decided;
        const claims = botTakesFirstContact({
          ticket,
          customer,
          message,
          knowledge: knowledge!,
          config: config!,
          calendar,
          timeZone,
          now,
          ...(plans ? { plans } : {}),
        });
        const job = scheduled(ticket, message, now, claims);
        return claims ? { ...job, ticket: firstContact } : job;
      },
      customerMessage: async ({ ticket, customer, message, now, records }) => {
        if (!wanted(message)) return undefined;
        // A turn of this ticket still running after its commit goes first: this one waits behind it.
        if (runner?.busy(ticket.id)) {
          remember(message.id, { stage: "message", kind: "deferred" });
          return scheduled(ticket, message, now, false);
        }
        const decided = await turnInTransaction({ ticket, customer, message, records, now, stage: "message" });
        return decided ?? scheduled(ticket, message, now, false);
      },
      // A save that marks a deferred turn taken writes its bot state in the same transaction.
      ticketSaving: (args) => deferred?.ticketSaving(args),
      // After commit, before the acknowledgement stage; the desk bounds how long ingest waits.
      afterTicketCreated: async ({ ticket, message }) => {
        if (!wanted(message) || !runner) return undefined;
        await takeAfterCommit(runner, ticket, message, pendingTurns.get(message.id));
        return undefined;
      },
    },
    jobs: {
      // A deferred turn whose after-commit take never completed (the process died, or it threw).
      [TURN_JOB]: async ({ job, now }) => {
        const messageId = job.payload.messageId;
        if (!deferred || !job.ticketId || typeof messageId !== "string") return;
        const take = { ticketId: job.ticketId, messageId, mustSpeak: job.payload.mustSpeak === true, now };
        try {
          // A model that throws fails the attempt: the desk retries it with backoff.
          await deferred.take({ ...take, strict: true });
        } catch (error) {
          if (job.attempts + 1 < TURN_JOB_ATTEMPTS) throw error;
          // The last attempt: a person takes the ticket rather than nobody (never silently dropped).
          reportError(error, `turn on ticket ${job.ticketId}; handed off`);
          await deferred.take({ ...take, handOff: "bot_unavailable" });
        }
      },
    },
    methods({ desk }: { desk: PluginDesk }): KnowledgeMethods {
      const deskApi = desk as unknown as BotDesk & {
        store: Store;
        clock: PluginDesk["clock"];
        emit: PluginDesk["emit"];
        decide: PluginDesk["decide"];
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
          // The in-transaction turns keep the state in the desk's store, through the plugin's records.
          stateStore: deskApi.store,
        });
        const bot = runner;
        deferred = createDeferredTurns({
          desk: deskApi,
          store: deskApi.store,
          knowledge,
          config,
          calendar,
          timeZone,
          clock: deskApi.clock,
          generate: options.generate,
          plans: () => plans,
          afterTurn: (after) => bot.afterTurn(after),
          onError,
        });
        cancelTurnJob = (messageId) => deskApi.store.cancelJob(turnJobKey(messageId));
        reportError = onError;
        const onMessage = ({ ticket, message }: { ticket: Ticket; message: Message }) => {
          // A new ticket's turn is afterTicketCreated's; here the messages of open tickets.
          const entry = pendingTurns.get(message.id);
          if (entry?.stage === "message") void takeAfterCommit(bot, ticket, message, entry);
        };
        deskApi.on("message.received", onMessage);
        detach = () => deskApi.off("message.received", onMessage);
      }
      // A turn is done when its message had its first attempt too (queued in the ingest's commit).
      const settled = runner && {
        ...runner,
        idle: async () => {
          await runner!.idle();
          await (deskApi as { settle?: () => Promise<void> }).settle?.();
        },
      };
      return knowledgeMethods({ knowledge, runner: settled, config, emit: deskApi.emit });
    },
    async close() {
      detach?.();
      await runner?.idle();
    },
  });
}
