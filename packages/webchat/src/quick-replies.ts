/**
 * Buttons under a chat message: the desk's one convention, `desk.reply(id, { text, options:
 * { quickReplies: [{ id, title }] } })`, cut to what the widget shows. A tap comes back as the
 * visitor's message with the title as text and `meta.quickReply.id`.
 */

/** One button: `id` comes back when tapped, `title` is shown. */
export interface ChatQuickReply {
  id: string;
  title: string;
}

/** At most this many buttons, titles of at most this many characters. */
export const CHAT_QUICK_REPLY_LIMITS = { max: 10, titleChars: 40, idChars: 200 } as const;

/**
 * The valid buttons of a reply's options (others are dropped, titles cut), in order.
 *
 * @example
 * chatQuickReplies({ quickReplies: [{ id: "yes", title: "예" }] }) // [{ id: "yes", title: "예" }]
 */
export function chatQuickReplies(options: Record<string, unknown> | undefined): ChatQuickReply[] {
  const list = options?.quickReplies;
  if (!Array.isArray(list)) return [];
  const out: ChatQuickReply[] = [];
  for (const q of list as unknown[]) {
    const { id, title } = (q ?? {}) as { id?: unknown; title?: unknown };
    if (
      typeof id !== "string" ||
      typeof title !== "string" ||
      !id ||
      id.length > CHAT_QUICK_REPLY_LIMITS.idChars ||
      !title.trim()
    )
      continue;
    out.push({ id, title: [...title.trim()].slice(0, CHAT_QUICK_REPLY_LIMITS.titleChars).join("") });
    if (out.length === CHAT_QUICK_REPLY_LIMITS.max) break;
  }
  return out;
}
