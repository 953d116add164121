/**
 * Deferred bot turns, made durable. A turn the ingest transaction cannot decide (an order
 * question, a possible VIP by total spent, a generated answer, a message too long to search)
 * runs after the commit; so that a process dying between the commit and that turn loses
 * nothing, the ingest transaction also schedules a `knowledge.turn` job for the message, due
 * after a grace. The turn itself (right after the commit, or from the job on any instance's
 * `runDue`) is applied in one ticket transaction that holds the bot's message (outbox), its audit
 * events, its tags and status, the bot state, a mark on the ticket (`meta.knowledgeTurns`) and
 * the job's cancellation: both ways run the same code, and whichever commits first takes the turn;
 * the other finds the mark and does nothing. The bot's message has an id derived from the
 * customer's (`botReplyId`), so even a retried transaction cannot queue it twice.
 */
import { createHash } from "node:crypto";
import { MAX_JOB_ATTEMPTS } from "@storedesk/core";
import type {
  BusinessCalendar,
  Clock,
  Effect,
  HookResult,
  PluginDesk,
  PluginRecords,
  Store,
  Ticket,
} from "@storedesk/core";
import { NS } from "../article.js";
import { NEW_BOT_STATE, type BotConfig, type BotState, type GenerateAnswer } from "../bot/bot-config.js";
import type { BotDesk } from "../bot/bot-runner.js";
import { turnHook, type AfterTurn } from "../bot/bot-turn-in-transaction.js";
import { asksForPerson, decideBotTurn, helpfulAnswer, type HandOffReason } from "../bot/decide-bot-turn.js";
import { planForQuestion, type BotPlan } from "../bot/plan-answer.js";
import type { Knowledge } from "../create-knowledge.js";
import type { SearchHit } from "../search-index.js";

/** The job type of a deferred turn (payload `{ messageId, mustSpeak }`, one job per customer message). */
export const TURN_JOB = "knowledge.turn";

/**
 * How long after the ingest's commit the job of a deferred turn falls due by default: the turn
 * normally completes (and cancels the job) well before; after a crash, the job takes the turn.
 */
export const DEFAULT_TURN_GRACE_MS = 30_000;

/**
 * The job's attempt that hands off instead of retrying: attempts before it that throw (a model or
 * provider down) are retried by the desk with backoff (30 s, 60 s, 120 s); this one hands the
 * ticket to a person (`bot.handoff { trigger: "bot_unavailable" }`). One below the desk's own
 * limit ({@link MAX_JOB_ATTEMPTS}, 5), where a job is given up with only a `job.abandoned` event.
 */
export const TURN_JOB_ATTEMPTS = MAX_JOB_ATTEMPTS - 1;

/** The ticket's `meta` key listing the customer messages whose deferred turn was taken (last 20). */
export const TURNS_META = "knowledgeTurns";

/** How long the bot remembers a ticket (`knowledge.bot-state`). */
export const BOT_STATE_TTL_MS = 90 * 86_400_000;

const MARKS_KEPT = 20;
/** Search's limit (5,000 characters): a longer message goes to a person (hand-off `too_long`). */
export const SEARCHABLE_CHARS = 5000;

/**
 * The dedupe key of the job of the turn on customer message `messageId`.
 *
 * @example
 * await store.cancelJob(turnJobKey(message.id));
 */
export function turnJobKey(messageId: string): string {
  return `${TURN_JOB}:${messageId}`;
}

/**
 * The id of the bot's message answering customer message `messageId` in a deferred turn: a UUID
 * derived from it, so two takes of the same turn cannot both queue a message (the second is a
 * CONFLICT, its transaction retried, and it finds the turn taken).
 *
 * @example
 * botReplyId("6f1c…"); // always the same id for the same message
 */
export function botReplyId(messageId: string): string {
  const h = createHash("sha256").update(`${TURN_JOB}:${messageId}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The `schedule` effect for the ingest transaction: the job that takes the turn on `message`
 * if nothing else did by `now + graceMs`.
 *
 * @example
 * return { effects: [scheduleTurn(ticket.id, message.id, { mustSpeak: true, now, graceMs: DEFAULT_TURN_GRACE_MS })] };
 */
export function scheduleTurn(
  ticketId: string,
  messageId: string,
  opts: { mustSpeak: boolean; now: Date; graceMs: number },
): Effect {
  return {
    type: "schedule",
    job: {
      key: turnJobKey(messageId),
      type: TURN_JOB,
      ticketId,
      runAt: new Date(opts.now.getTime() + opts.graceMs),
      payload: { messageId, mustSpeak: opts.mustSpeak },
    },
  };
}

/** The customer messages whose deferred turn is marked taken on the ticket. */
function marksOf(ticket: Ticket): string[] {
  const marks = ticket.meta[TURNS_META];
  return Array.isArray(marks) ? marks.filter((m): m is string => typeof m === "string") : [];
}

/**
 * What taking a deferred turn came to: `taken` (applied now), `already` (another take committed
 * first), or skipped because a person replied after the message, the ticket is closed or merged,
 * or the ticket or message is gone.
 */
export type DeferredOutcome = "taken" | "already" | "answered_by_person" | "closed" | "gone";

/** What {@link createDeferredTurns} needs. */
export interface DeferredTurnsOptions {
  /** The desk: `decide` applies the turn in a transaction, `commerceContext` for order questions and VIPs. */
  desk: Pick<PluginDesk, "decide"> & Pick<BotDesk, "commerceContext">;
  /** The desk's store (tickets, messages, the bot state). */
  store: Store;
  knowledge: Knowledge;
  config: BotConfig;
  calendar: BusinessCalendar | null;
  timeZone: string;
  clock: Clock;
  generate?: GenerateAnswer | undefined;
  /** The desk's action plans, once known. */
  plans: () => ReadonlyMap<string, BotPlan> | undefined;
  /** The counters, vote and question log of a taken turn (the runner's `afterTurn`). */
  afterTurn: (after: AfterTurn) => Promise<void>;
  onError: (error: unknown, context: string) => void;
}

/** One take of a deferred turn. */
export interface TakeTurnInput {
  ticketId: string;
  /** The customer message the turn answers. */
  messageId: string;
  /** The bot claimed the new ticket's first contact: when it has nothing to say it hands off. */
  mustSpeak: boolean;
  /** The turn's time (a job's `now`; default the clock). */
  now?: Date;
  /** A generate hook that throws fails the take (the job retries it) instead of answering without it. */
  strict?: boolean;
  /** Hand off for this reason instead of answering (the job's last attempt). */
  handOff?: HandOffReason;
}

/**
 * Makes the deferred turns of a plugin: `take` (the after-commit path and the job both call it)
 * and the `ticketSaving` hook that writes a taken turn's bot state in its transaction.
 *
 * @example
 * const turns = createDeferredTurns({ desk, store, knowledge, config, calendar, timeZone, clock, plans, afterTurn, onError });
 * await turns.take({ ticketId, messageId, mustSpeak: false });
 */
export function createDeferredTurns(options: DeferredTurnsOptions) {
  const { desk, store, knowledge, config } = options;
  // The new bot state of a turn being applied, by customer message id: `decide` gives no access
  // to the plugin's records, its transaction's `ticketSaving` hook does (and writes it there).
  const pendingStates = new Map<string, BotState>();

  async function generateFor(text: string, hits: SearchHit[], strict: boolean) {
    if (!options.generate || hits.length === 0 || (hits[0]?.score ?? 0) < 0.25) return null;
    const sources = hits
      .slice(0, 3)
      .map((h) => ({ articleId: h.articleId, title: h.title, snippet: h.snippet, body: h.article.body }));
    try {
      return await options.generate(text, sources);
    } catch (error) {
      if (strict) throw error;
      options.onError(error, "generate hook failed; answering from retrieval only");
      return null;
    }
  }

  async function take(input: TakeTurnInput): Promise<DeferredOutcome> {
    const now = input.now ?? options.clock.now();
    const [ticket, message] = await Promise.all([store.getTicket(input.ticketId), store.getMessage(input.messageId)]);
    if (!ticket || !message) return "gone";
    if (ticket.mergedInto || ticket.status === "closed") return "closed";
    if (marksOf(ticket).includes(message.id)) return "already";
    // A person answered after this message: the bot's late turn would talk over them.
    const messages = await store.listMessages(ticket.id);
    const at = messages.findIndex((m) => m.id === message.id);
    if (messages.slice(at + 1).some((m) => m.direction === "outbound" && m.authorKind === "agent"))
      return "answered_by_person";

    const stored = await store.getRecord(NS.botState, ticket.id);
    const state: BotState = { ...NEW_BOT_STATE, ...(stored?.value as Partial<BotState> | undefined) };
    const customer = await store.getCustomer(ticket.customerId);
    const commerce = customer ? await desk.commerceContext(customer.id).catch(() => null) : null;
    const classification =
      (message.meta.classification as
        { category: string; language?: string; complaint?: { signal: boolean } } | undefined) ?? null;
    const locale = ticket.language || customer?.locale || classification?.language || "ko";
    const handOff = input.handOff ?? (message.text.length > SEARCHABLE_CHARS ? "too_long" : undefined);
    const isFeedback = state.awaitingFeedback !== null && helpfulAnswer(message.text, message.meta) !== null;
    const searched = !(handOff || isFeedback || asksForPerson(message.text) || state.handedOff);
    const hits = searched ? await knowledge.search(message.text, { locale }) : [];
    const generated = handOff ? null : await generateFor(message.text, hits, input.strict ?? false);
    const turn = decideBotTurn({
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
      now,
      generated,
      mustSpeak: input.mustSpeak,
      plan: planForQuestion(options.plans(), ticket.category, message.text),
      ...(handOff ? { handOff } : {}),
    });

    // What the last run of the decision built (a retried transaction runs it again).
    const result: { after: AfterTurn | null } = { after: null };
    const actor = { kind: "bot" as const, id: config.botId };
    await desk
      .decide(
        ticket.id,
        (fresh, at) => {
          result.after = null;
          // Decided on the fresh ticket (a retry after a conflict sees what the other take wrote).
          if (marksOf(fresh).includes(message.id)) return undefined;
          if (fresh.assigneeId && !ticket.assigneeId) return undefined; // a person took it meanwhile
          const built = turnHook({
            turn,
            ticket: fresh,
            message,
            hits,
            before: state,
            searched,
            locale,
            config,
            now: at,
            messageId: botReplyId(message.id),
            knowledge: options.knowledge,
          });
          if (!built) throw new Error(`the bot's "resolved" turn may not solve ticket ${fresh.id} (${fresh.status})`);
          const marks = [...marksOf(fresh), message.id].slice(-MARKS_KEPT);
          pendingStates.set(message.id, turn.state);
          result.after = built.after;
          return {
            ...built.hook,
            ticket: { ...built.hook.ticket, meta: { ...built.hook.ticket?.meta, [TURNS_META]: marks } },
            effects: [...(built.hook.effects ?? []), { type: "cancel_job", key: turnJobKey(message.id) }],
          };
        },
        actor,
        { at: now },
      )
      .finally(() => pendingStates.delete(message.id));
    if (!result.after) return "already";
    await options.afterTurn(result.after);
    return "taken";
  }

  /**
   * The plugin's `ticketSaving` hook: a save that marks a deferred turn taken writes that turn's
   * bot state in the same transaction. Synchronous and empty on every other save.
   */
  function ticketSaving(args: {
    before: Ticket | null;
    ticket: Ticket;
    records: PluginRecords;
    now: Date;
  }): HookResult {
    if (pendingStates.size === 0) return undefined;
    const before = new Set(args.before ? marksOf(args.before) : []);
    const taken = marksOf(args.ticket).filter((id) => !before.has(id) && pendingStates.has(id));
    if (taken.length === 0) return undefined;
    return (async () => {
      const expiresAt = new Date(args.now.getTime() + BOT_STATE_TTL_MS);
      for (const id of taken)
        await args.records.put({
          namespace: "bot-state",
          key: args.ticket.id,
          value: pendingStates.get(id),
          expiresAt,
        });
      return undefined;
    })();
  }

  return { take, ticketSaving };
}

/** What {@link createDeferredTurns} returns. */
export type DeferredTurns = ReturnType<typeof createDeferredTurns>;
