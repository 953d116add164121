/**
 * The desk's quick-reply convention (`options.quickReplies: [{ id, title }]`) as WhatsApp
 * interactive reply buttons: at most 3, titles at most 20 characters (cut, not refused, so a bot
 * answer written for the chat widget still goes out). Options that already name `buttons` or a
 * `list` are left as they are.
 */

/** WhatsApp's limits for reply buttons. */
export const WHATSAPP_QUICK_REPLY_LIMITS = { max: 3, titleChars: 20, idChars: 256 } as const;

/**
 * The send options with `quickReplies` turned into reply `buttons`.
 *
 * @example
 * withReplyButtons({ quickReplies: [{ id: "kb:helpful:yes:a1", title: "예" }] })
 * // { buttons: [{ id: "kb:helpful:yes:a1", title: "예" }] }
 */
export function withReplyButtons(options: Record<string, unknown>): Record<string, unknown> {
  const { quickReplies, ...rest } = options;
  if (!Array.isArray(quickReplies) || rest.buttons || rest.list) return options;
  const buttons = (quickReplies as Array<{ id?: unknown; title?: unknown }>)
    .filter(
      (q) => typeof q?.id === "string" && typeof q.title === "string" && q.id.length > 0 && q.title.trim().length > 0,
    )
    .slice(0, WHATSAPP_QUICK_REPLY_LIMITS.max)
    .map((q) => ({
      id: (q.id as string).slice(0, WHATSAPP_QUICK_REPLY_LIMITS.idChars),
      title: [...(q.title as string).trim()].slice(0, WHATSAPP_QUICK_REPLY_LIMITS.titleChars).join(""),
    }));
  return buttons.length > 0 ? { ...rest, buttons } : rest;
}
