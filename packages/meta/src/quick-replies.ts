/**
 * The desk's quick-reply convention (`options.quickReplies: [{ id, title }]`) as Messenger and
 * Instagram quick replies (`{ title, payload }`): at most 13, titles at most 20 characters (cut,
 * not refused). Entries already in Meta's shape (`payload`) pass unchanged.
 */

/** Meta's limits for quick replies. */
export const META_QUICK_REPLY_LIMITS = { max: 13, titleChars: 20, payloadChars: 1000 } as const;

/**
 * The send options with `quickReplies` in Meta's shape; the tapped button's id comes back as
 * `meta.quickReply.payload`.
 *
 * @example
 * withMetaQuickReplies({ quickReplies: [{ id: "kb:helpful:no:a1", title: "아니요" }] })
 * // { quickReplies: [{ title: "아니요", payload: "kb:helpful:no:a1" }] }
 */
export function withMetaQuickReplies(options: Record<string, unknown>): Record<string, unknown> {
  const { quickReplies } = options;
  if (!Array.isArray(quickReplies)) return options;
  const mapped = (quickReplies as Array<{ id?: unknown; title?: unknown; payload?: unknown }>)
    .map((q) => ({ title: q?.title, payload: q?.payload ?? q?.id }))
    .filter(
      (q): q is { title: string; payload: string } =>
        typeof q.title === "string" &&
        q.title.trim().length > 0 &&
        typeof q.payload === "string" &&
        q.payload.length > 0,
    )
    .slice(0, META_QUICK_REPLY_LIMITS.max)
    .map((q) => ({
      title: [...q.title.trim()].slice(0, META_QUICK_REPLY_LIMITS.titleChars).join(""),
      payload: q.payload.slice(0, META_QUICK_REPLY_LIMITS.payloadChars),
    }));
  const { quickReplies: _drop, ...rest } = options;
  return mapped.length > 0 ? { ...rest, quickReplies: mapped } : rest;
}
