/** Options of the CSAT plugin, the survey record it keeps per ticket, and the button id convention. */

/** A channel template (its name and language as the provider knows them). */
export interface CsatTemplate {
  name: string;
  language: string;
  parameters?: Record<string, unknown>;
}

/** Options of {@link csatPlugin}. */
export interface CsatOptions {
  /** Hours after a solve before the survey goes out: one number, or per channel with `default`. Default 24. */
  delayHours?: number | (Record<string, number> & { default?: number });
  /** Channels that get surveys (default: every channel). */
  channels?: readonly string[];
  /** Also survey tickets the auto-close closed before the survey was due (default false: skipped with an audit note). */
  afterAutoClose?: boolean;
  /** HMAC secret of the e-mail rating links (required for e-mail surveys; without it e-mail surveys are skipped). */
  secret?: string;
  /** Absolute URL where `desk.csat.handler()` is mounted, e.g. `https://shop.example/csat`. */
  linkBaseUrl?: string;
  /** How long a survey can be answered (links and buttons). Default 7 days. */
  answerWithinHours?: number;
  /** The template per channel for a survey outside the reply window (WhatsApp after 24 h); none: skipped with an audit note. */
  templates?: Readonly<Record<string, CsatTemplate>>;
  /** Channels that answer by e-mail links instead of buttons. Default `["email"]`. */
  linkChannels?: readonly string[];
  /** Tag that marks a ticket "no survey" (an agent or a rule sets it). Default `no-survey`. */
  skipTag?: string;
}

/** Where a ticket's survey stands, kept in the plugin's records (`csat.surveys`, key: ticket id). */
export interface SurveyRecord {
  ticketId: string;
  customerId: string;
  state: "sending" | "sent" | "answered" | "skipped";
  channel: string;
  locale: string;
  agentId: string | null;
  category: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  /** The ticket the survey went out on when it is not the surveyed one (a closed ticket's survey opens a new one). */
  viaTicketId: string | null;
  rating: number | null;
  comment: string | null;
  answeredAt: string | null;
  skipReason: string | null;
}

/** Job type of the survey timer. */
export const CSAT_SEND_JOB = "csat.send";

/**
 * The key of a ticket's survey job.
 *
 * @example
 * csatJobKey(ticket.id); // "csat:…"
 */
export function csatJobKey(ticketId: string): string {
  return `csat:${ticketId}`;
}

/**
 * The id of a survey button (`ReplyInput.options.quickReplies[].id`): `csat:<ticket id>:<rating>`.
 *
 * @example
 * surveyButtonId(ticket.id, 5); // "csat:…:5"
 */
export function surveyButtonId(ticketId: string, rating: number): string {
  return `csat:${ticketId}:${rating}`;
}

/**
 * Reads a survey button id back; null when `value` is not one.
 *
 * @example
 * parseSurveyButtonId("csat:t1:4"); // { ticketId: "t1", rating: 4 }
 */
export function parseSurveyButtonId(value: unknown): { ticketId: string; rating: number } | null {
  if (typeof value !== "string") return null;
  const m = /^csat:(.{1,200}):([1-5])$/.exec(value.trim());
  return m ? { ticketId: m[1]!, rating: Number(m[2]) } : null;
}

/**
 * The delay of a channel's survey in ms.
 *
 * @example
 * surveyDelayMs({ delayHours: { default: 24, whatsapp: 2 } }, "whatsapp"); // 7_200_000
 */
export function surveyDelayMs(options: CsatOptions, channel: string): number {
  const d = options.delayHours;
  const hours = typeof d === "number" ? d : (d?.[channel] ?? d?.default ?? 24);
  return hours * 3_600_000;
}
