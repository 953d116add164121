/**
 * Remembers private replies to comments, so the customer's DM answer threads
 * onto the comment's ticket. Meta tells us the user's page-scoped id (PSID /
 * IGSID) only in the private reply's Send API answer; comment webhooks give an id
 * that is not always the DM id (Facebook), and DMs rarely carry `reply_to`.
 */

/** One private reply: `userId` got message `messageId` in answer to comment `commentId`. */
export interface PrivateReplyLink {
  channel: string;
  /** Page id or Instagram account id the conversation belongs to. */
  accountId: string;
  userId: string;
  commentId: string;
  messageId: string;
  at: Date;
  /**
   * When the user last wrote by DM after the private reply. Meta allows one private reply per
   * comment and further messages only once the user answers it, within 24 hours of their answer
   * (7 days for a human agent); null or absent while they have not.
   */
  answeredAt?: Date | null;
}

/**
 * Where private-reply links are kept. The default keeps them in memory; with
 * several instances, pass one backed by a shared store (Redis, your database).
 */
export interface ConversationLinks {
  remember(link: PrivateReplyLink): void | Promise<void>;
  /** The latest private reply sent to this user on this account, or null. */
  byUser(
    channel: string,
    accountId: string,
    userId: string,
  ): PrivateReplyLink | null | Promise<PrivateReplyLink | null>;
  /** The private reply that answered this comment, or null. */
  byComment(channel: string, commentId: string): PrivateReplyLink | null | Promise<PrivateReplyLink | null>;
}

/**
 * In-memory {@link ConversationLinks}, keeping at most `maxEntries` links (oldest dropped first).
 *
 * @example
 * const links = memoryConversationLinks({ maxEntries: 1000 });
 */
export function memoryConversationLinks(options: { maxEntries?: number } = {}): ConversationLinks {
  const max = options.maxEntries ?? 10_000;
  const byUser = new Map<string, PrivateReplyLink>();
  const byComment = new Map<string, PrivateReplyLink>();
  const trim = (map: Map<string, PrivateReplyLink>) => {
    while (map.size > max) {
      const oldest = map.keys().next();
      if (oldest.done) break;
      map.delete(oldest.value);
    }
  };
  return {
    remember(link) {
      const userKey = `${link.channel}:${link.accountId}:${link.userId}`;
      byUser.delete(userKey);
      byUser.set(userKey, link);
      byComment.set(`${link.channel}:${link.commentId}`, link);
      trim(byUser);
      trim(byComment);
    },
    byUser: (channel, accountId, userId) => byUser.get(`${channel}:${accountId}:${userId}`) ?? null,
    byComment: (channel, commentId) => byComment.get(`${channel}:${commentId}`) ?? null,
  };
}
