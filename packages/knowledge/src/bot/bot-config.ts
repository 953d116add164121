/** The answer bot's settings (zod at the edge) and its per-ticket memory. */
import { z } from "zod";
import type { BusinessCalendar } from "@storedesk/core";

/** How a channel shows the "was this helpful?" choice. */
export type FeedbackStyle = "buttons" | "quick_replies" | "text";

/** Channels whose adapters take reply buttons (WhatsApp) or quick replies (Messenger, Instagram, chat). */
export const DEFAULT_FEEDBACK_STYLES: Record<string, FeedbackStyle> = {
  whatsapp: "buttons",
  messenger: "quick_replies",
  instagram: "quick_replies",
  webchat: "quick_replies",
  kakao: "quick_replies",
};

/** The bot's settings: where and when it answers, when it hands off. */
export const BotConfigSchema = z.strictObject({
  /** Channels the bot answers on (default: every channel). */
  channels: z.array(z.string().min(1)).optional(),
  /**
   * When the bot answers, by the desk's business calendar: `always` (default),
   * `outside_business_hours` (people take the day) or `business_hours`.
   */
  hours: z.enum(["always", "outside_business_hours", "business_hours"]).default("always"),
  /** Confidence from which the bot answers with an article (default 0.55, see the bench's calibration table). */
  threshold: z.number().min(0).max(1).default(0.55),
  /** Low-confidence turns before a hand-off (default 2). */
  maxLowConfidenceTurns: z.number().int().min(1).max(10).default(2),
  /** Categories a person always handles (e.g. refund approvals): by ticket category or article category. */
  humanOnlyCategories: z.array(z.string().min(1)).default([]),
  /** Customer attribute that marks a VIP (default `vip`), or a total spent from which a customer is one. */
  vip: z
    .object({
      attribute: z.string().min(1).default("vip"),
      totalSpentAtLeast: z.number().positive().nullable().default(null),
    })
    .default({ attribute: "vip", totalSpentAtLeast: null }),
  /** A customer writing again within this many hours of a bot-resolved ticket goes to a person (default 72). */
  reopenWithinHours: z
    .number()
    .positive()
    .max(24 * 90)
    .default(72),
  /** Bot answers count as the SLA's first reply where the policy counts bot replies (default false: never). */
  countsAsReply: z.boolean().default(false),
  /** Per-channel feedback style, merged over {@link DEFAULT_FEEDBACK_STYLES}. */
  feedbackStyles: z.record(z.string(), z.enum(["buttons", "quick_replies", "text"])).default({}),
  /** Longest article text the bot sends before linking to the rest (default 900 characters). */
  maxAnswerChars: z.number().int().min(100).max(4000).default(900),
  /** The shop's hours in words for the hand-off message, per language; derived from the calendar when absent. */
  hoursText: z.record(z.string(), z.string().min(1)).optional(),
  /**
   * Settings of one channel over the ones above, e.g. `{ whatsapp: { hours: "outside_business_hours" } }`
   * (a person takes WhatsApp in the day) or a stricter `threshold` on email.
   */
  perChannel: z
    .record(
      z.string(),
      z.strictObject({
        hours: z.enum(["always", "outside_business_hours", "business_hours"]).optional(),
        threshold: z.number().min(0).max(1).optional(),
        maxLowConfidenceTurns: z.number().int().min(1).max(10).optional(),
        humanOnlyCategories: z.array(z.string().min(1)).optional(),
      }),
    )
    .default({}),
  /** Actor id on the audit log (default `knowledge-bot`). */
  botId: z.string().min(1).max(100).default("knowledge-bot"),
});
/** Bot settings as given. */
export type BotConfigInput = z.input<typeof BotConfigSchema>;
/** Bot settings with defaults applied. */
export type BotConfig = z.output<typeof BotConfigSchema>;

/**
 * The settings that hold on one channel: `perChannel[channel]` over the rest.
 *
 * @example
 * configFor(config, "whatsapp").hours; // "outside_business_hours"
 */
export function configFor(config: BotConfig, channel: string): BotConfig {
  const own = config.perChannel?.[channel];
  if (!own) return config;
  return { ...config, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) };
}

/** What the bot remembers about one ticket (a keyed record `knowledge.bot-state/<ticketId>`). */
export interface BotState {
  lowConfidenceTurns: number;
  /** The article the bot answered with and asked about ("도움이 되었나요?"). */
  awaitingFeedback: { articleId: string; score?: number | null } | null;
  /** A person has the ticket now: the bot stays quiet. */
  handedOff: boolean;
  /** When the customer said the answer helped and the ticket was solved (deflection), ISO. */
  deflectedAt: string | null;
  /** Articles answered with on this ticket, for hand-off counting. */
  answered: string[];
}

/** A fresh state. */
export const NEW_BOT_STATE: BotState = {
  lowConfidenceTurns: 0,
  awaitingFeedback: null,
  handedOff: false,
  deflectedAt: null,
  answered: [],
};

/** What a generative answer hook returns: text grounded in the hits, citing their ids; null to refuse. */
export interface GeneratedAnswer {
  text: string;
  citedArticleIds: string[];
}

/**
 * An optional generative answer (e.g. from `@storedesk/ai`): given the question and the retrieved
 * hits, answer only from them and cite them, or return null to refuse.
 */
export type GenerateAnswer = (
  question: string,
  hits: Array<{ articleId: string; title: string; snippet: string; body: string }>,
) => Promise<GeneratedAnswer | null>;

/** The calendar and SLA facts the hand-off message needs. */
export interface BotCalendar {
  calendar: BusinessCalendar | null;
  timeZone: string;
}
