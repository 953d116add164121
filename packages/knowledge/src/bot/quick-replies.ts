/**
 * The one convention for buttons under an outbound message: `desk.reply(id, { text, options:
 * { quickReplies: [{ id, title }] } })`. Every adapter maps it to what its channel has (WhatsApp
 * reply buttons, Messenger and Instagram quick replies, the chat widget's buttons); a tap comes
 * back as the customer's message with the button's `id` in `meta.quickReply.id` (WhatsApp:
 * `meta.interactive.id`, Messenger: `meta.quickReply.payload`).
 */
import type { BotButton } from "./decide-bot-turn.js";
import { DEFAULT_FEEDBACK_STYLES, type BotConfig } from "./bot-config.js";

/** One button: `id` comes back when it is tapped, `title` is what the customer sees. */
export interface QuickReply {
  id: string;
  title: string;
}

/** How many buttons a channel shows and how long a title may be (adapters cut to these). */
export const QUICK_REPLY_LIMITS: Readonly<Record<string, { max: number; titleChars: number }>> = {
  webchat: { max: 10, titleChars: 40 },
  whatsapp: { max: 3, titleChars: 20 },
  messenger: { max: 13, titleChars: 20 },
  instagram: { max: 13, titleChars: 20 },
};

/**
 * The reply options that put `buttons` under a message on `channel`, or undefined on a channel
 * configured for text (the message then asks to answer in words).
 *
 * @example
 * quickReplyOptions("webchat", [{ id: "kb:helpful:yes:a1", title: "예" }], config)
 * // { quickReplies: [{ id: "kb:helpful:yes:a1", title: "예" }] }
 */
export function quickReplyOptions(
  channel: string,
  buttons: BotButton[],
  config: Pick<BotConfig, "feedbackStyles">,
): { quickReplies: QuickReply[] } | undefined {
  if (buttons.length === 0) return undefined;
  const style = { ...DEFAULT_FEEDBACK_STYLES, ...config.feedbackStyles }[channel] ?? "text";
  if (style === "text") return undefined;
  const limit = QUICK_REPLY_LIMITS[channel];
  const cut = limit ? buttons.slice(0, limit.max) : buttons;
  return {
    quickReplies: cut.map((b) => ({
      id: b.id,
      title: limit ? [...b.title].slice(0, limit.titleChars).join("") : b.title,
    })),
  };
}
