/**
 * The answer bot on a desk that was created without the knowledge plugin: it listens for
 * customer messages after they are stored and takes a turn on each. Prefer `knowledgePlugin`,
 * which runs the same turns as pipeline hooks and keeps the auto-acknowledgement from going out
 * on top of a bot answer; this wrapper stays for desks that cannot add a plugin.
 */
import { parseInput, type BusinessCalendar, type Clock, type Message, type Ticket } from "@storedesk/core";
import type { Knowledge } from "../create-knowledge.js";
import {
  BotConfigSchema,
  type BotConfig,
  type BotConfigInput,
  type BotState,
  type GenerateAnswer,
} from "./bot-config.js";
import { createBotRunner, isCustomerTurn, type BotDesk } from "./bot-runner.js";
import type { BotButton } from "./decide-bot-turn.js";
import { quickReplyOptions } from "./quick-replies.js";

export type { BotDesk } from "./bot-runner.js";

/** Options of {@link attachAnswerBot} (and the bot part of `knowledgePlugin`). */
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

/**
 * Reply options that show the buttons on the channel (`{ quickReplies: [{ id, title }] }`).
 *
 * @deprecated use {@link quickReplyOptions}; kept for callers of the first release.
 */
export function buttonOptions(
  channel: string,
  buttons: BotButton[],
  config: BotConfig,
): Record<string, unknown> | undefined {
  return quickReplyOptions(channel, buttons, config);
}

/**
 * Starts the answer bot on an existing desk through its public API. Turn off the desk's
 * auto-acknowledgement on the bot's channels (`autoAcknowledge: { channels: [...] }`), or
 * customers get both; `knowledgePlugin` needs no such setting.
 *
 * @example
 * const knowledge = createKnowledge({ store });
 * const bot = attachAnswerBot(desk, { knowledge, calendar: seoul, bot: { channels: ["webchat"], humanOnlyCategories: ["refund_exchange"] } });
 */
export function attachAnswerBot(desk: BotDesk, options: AnswerBotOptions): AnswerBot {
  const config = parseInput(BotConfigSchema, options.bot ?? {}, "bot config");
  const runner = createBotRunner({
    desk,
    knowledge: options.knowledge,
    config,
    calendar: options.calendar ?? null,
    timeZone: options.timeZone ?? "Asia/Seoul",
    clock: options.clock,
    generate: options.generate,
    onError:
      options.onError ?? ((error: unknown, context: string) => console.error(`[knowledge bot] ${context}`, error)),
  });
  const listener = ({ ticket, message }: { ticket: Ticket; message: Message }) => {
    if (isCustomerTurn(message)) void runner.enqueue(ticket, message);
  };
  desk.on("message.received", listener);
  return {
    config,
    idle: () => runner.idle(),
    detach() {
      desk.off("message.received", listener);
    },
    state: (ticketId) => runner.state(ticketId),
  };
}
