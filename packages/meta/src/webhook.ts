/**
 * One webhook for `object: "page"` (Messenger DMs, Facebook comments) and
 * `object: "instagram"` (Instagram DMs and comments): the same signature check,
 * then events tagged `messenger` or `instagram`.
 */
import type { InboundEventInput, WebhookResult } from "@storedesk/core";
import { eventTime, parseInput, StoredeskError } from "@storedesk/core";
import { handleGraphWebhook } from "@storedesk/meta-graph";
import type { ConversationLinks } from "./links.js";
import type { MessagingItem } from "./schemas.js";
import {
  FeedChangeValueSchema,
  InstagramCommentValueSchema,
  MessagingItemSchema,
  MetaWebhookSchema,
} from "./schemas.js";

/** The two Meta channels. */
export type MetaChannelId = "messenger" | "instagram";

/** What the webhook needs from the config. */
export interface MetaWebhookConfig {
  appSecret: string;
  verifyToken: string;
  pageId: string;
  instagramAccountId: string | null;
  /** Channels whose events are emitted; others are acknowledged and dropped. */
  channels: readonly MetaChannelId[];
  links: ConversationLinks;
  /** How long a private reply keeps threading the user's DMs onto the comment ticket. */
  linkMaxAgeMs: number;
  /**
   * This app's id. With it, an echo another app sent (the Page inbox, Meta Business Suite, the
   * Instagram app) is recorded on the customer's ticket as an agent's reply; without it every
   * echo is taken for the desk's own send (a "sent" receipt).
   */
  appId?: string | null;
  now: () => Date;
}

/** Conversation key of a DM thread: `meta:<page or IG account id>:<PSID / IGSID>`. */
export function dmConversationKey(accountId: string, userId: string): string {
  return `meta:${accountId}:${userId}`;
}

/** Conversation key of a commenter under one post / media: `meta:comment:<post or media id>:<commenter id>`. */
export function commentConversationKey(postId: string, userId: string): string {
  return `meta:comment:${postId}:${userId}`;
}

/** Handles one webhook request (GET verification or a signed POST). */
export async function handleMetaWebhook(request: Request, config: MetaWebhookConfig): Promise<WebhookResult> {
  return handleGraphWebhook(request, {
    appSecret: config.appSecret,
    verifyToken: config.verifyToken,
    parse: (body) => parseMetaPayload(body, config),
  });
}

function toDate(time: number, now: Date): Date {
  // Messaging timestamps are milliseconds; some entry times are seconds. Out of range: the receive time.
  return eventTime(time, "auto", now).occurredAt;
}

/**
 * Maps a verified Messenger / Instagram webhook body to inbound events. Malformed → INVALID_INPUT.
 * The shop's own messages (echoes) and comments become nothing or delivery events, never customer messages.
 */
export async function parseMetaPayload(
  body: unknown,
  config: Omit<MetaWebhookConfig, "appSecret" | "verifyToken">,
): Promise<InboundEventInput[]> {
  const payload = parseInput(MetaWebhookSchema, body, "Meta webhook");
  const channel: MetaChannelId = payload.object === "page" ? "messenger" : "instagram";
  if (!config.channels.includes(channel)) return [];
  const own = channel === "messenger" ? config.pageId : config.instagramAccountId;
  const events: InboundEventInput[] = [];
  for (const [e, entry] of payload.entry.entries()) {
    // Entries of other pages / accounts the app is subscribed to are not ours to answer.
    if (own !== null && entry.id !== own) continue;
    for (const [i, rawItem] of (entry.messaging ?? []).entries()) {
      const item = parseInput(MessagingItemSchema, rawItem, `Meta webhook entry ${e} messaging ${i}`);
      events.push(...(await messagingEvents(item, channel, entry.id, config, false)));
    }
    // Standby: another app (the Page inbox, a bot) owns the thread. The customer still wrote to
    // the shop, so the message is kept, marked, rather than lost.
    for (const [i, rawItem] of (entry.standby ?? []).entries()) {
      const item = parseInput(MessagingItemSchema, rawItem, `Meta webhook entry ${e} standby ${i}`);
      events.push(...(await messagingEvents(item, channel, entry.id, config, true)));
    }
    for (const [c, change] of (entry.changes ?? []).entries()) {
      const event = changeEvent(change, channel, entry.id, entry.time, config, `Meta webhook entry ${e} change ${c}`);
      if (event) events.push(event);
    }
  }
  return events;
}

function attachmentContentType(type: string): string {
  switch (type) {
    case "image":
      return "image/*";
    case "video":
    case "reel":
    case "ig_reel":
      return "video/*";
    case "audio":
      return "audio/*";
    default:
      return "application/octet-stream";
  }
}

async function messagingEvents(
  item: MessagingItem,
  channel: MetaChannelId,
  accountId: string,
  config: Omit<MetaWebhookConfig, "appSecret" | "verifyToken">,
  standby: boolean,
): Promise<InboundEventInput[]> {
  const time = eventTime(item.timestamp, "auto", config.now());
  const occurredAt = time.occurredAt;
  const message = item.message;
  if (message?.is_echo || (message && item.sender.id === accountId)) {
    // The shop's own message: typed in another app (the Page inbox) it is an agent's reply to
    // record; sent by this app it is a "sent" receipt. Never a customer message either way.
    const byApp = message.app_id === undefined ? null : String(message.app_id);
    if (config.appId && byApp !== config.appId && item.recipient.id !== accountId)
      return [inboxEcho(item, message, channel, accountId, occurredAt)];
    return [{ type: "delivery", channel, externalId: message.mid, status: "sent", occurredAt, error: null }];
  }
  if (item.delivery)
    return (item.delivery.mids ?? []).map((mid) => ({
      type: "delivery" as const,
      channel,
      externalId: mid,
      status: "delivered" as const,
      occurredAt,
      error: null,
    }));
  if (item.read) {
    // Messenger reports a watermark only (no ids): nothing to attach it to. Instagram names the message.
    return item.read.mid
      ? [{ type: "delivery", channel, externalId: item.read.mid, status: "read", occurredAt, error: null }]
      : [];
  }
  // The shop's own reaction or edit (from the Page inbox) is no customer message either.
  if (item.sender.id === accountId) return [];
  const reaction = item.reaction?.action === "react" && item.reaction.mid ? item.reaction : null;
  const edit = item.message_edit;
  // A removed reaction, a deleted message, opt-ins, referrals without a message: nothing to record.
  if (!message && !item.postback && !reaction && !edit) return [];
  if (message?.is_deleted) return [];

  const userId = item.sender.id;
  const meta: Record<string, unknown> = {
    accountId,
    userId,
    ...(standby ? { standby: true } : {}),
    ...(time.truncated ? { truncated: time.truncated } : {}),
  };
  const replyTo: string[] = [];
  let text: string;
  let externalId: string;
  const attachments: Array<{ contentType: string; url: string | null; filename: string | null }> = [];
  if (reaction?.mid) {
    // Like a WhatsApp reaction: the emoji, threaded onto the message it reacts to.
    externalId = `reaction:${reaction.mid}:${userId}:${item.timestamp}`;
    text = reaction.emoji ?? reaction.reaction ?? "👍";
    replyTo.push(reaction.mid);
    meta.reaction = { messageId: reaction.mid, emoji: reaction.emoji ?? null, reaction: reaction.reaction ?? null };
  } else if (edit) {
    // The edited text as a new message on the original's thread; the original stays as it was.
    const num = edit.num_edit !== undefined ? String(edit.num_edit) : String(item.timestamp);
    externalId = `edit:${edit.mid}:${num}`;
    text = edit.text ?? "";
    replyTo.push(edit.mid);
    meta.edit = { messageId: edit.mid, numEdit: edit.num_edit !== undefined ? Number(edit.num_edit) : null };
  } else if (message) {
    externalId = message.mid;
    text = message.text ?? "";
    if (message.quick_reply) meta.quickReply = { payload: message.quick_reply.payload };
    if (message.reply_to?.mid) replyTo.push(message.reply_to.mid);
    if (message.reply_to?.story) meta.replyToStory = message.reply_to.story;
    attachments.push(...attachmentsOf(message));
    if (message.attachments?.length) meta.attachmentTypes = message.attachments.map((a) => a.type);
  } else {
    const postback = item.postback ?? {};
    externalId = postback.mid ?? `postback:${userId}:${item.timestamp}`;
    text = postback.title ?? postback.payload ?? "";
    meta.postback = { title: postback.title ?? null, payload: postback.payload ?? null };
  }

  // A private reply to this user's comment: their DM continues the comment's ticket.
  const link = await config.links.byUser(channel, accountId, userId);
  if (link && occurredAt.getTime() - link.at.getTime() <= config.linkMaxAgeMs && !replyTo.includes(link.messageId)) {
    replyTo.push(link.messageId);
    meta.privateReplyOf = link.commentId;
  }
  // The user's answer to a private reply opens the messaging window on the comment's ticket (a
  // reaction or an edit is no answer). Kept on the link, since the ticket's last customer message may be a
  // later public comment, which opens no window.
  if (
    link &&
    !reaction &&
    !edit &&
    occurredAt.getTime() > link.at.getTime() &&
    occurredAt.getTime() > (link.answeredAt?.getTime() ?? 0)
  ) {
    await config.links.remember({ ...link, answeredAt: occurredAt });
  }

  return [
    {
      type: "message",
      channel,
      externalId,
      occurredAt,
      from: { identities: [{ kind: channel, value: userId }] },
      text,
      attachments,
      replyTo,
      conversationKey: dmConversationKey(accountId, userId),
      meta,
    },
  ];
}

/** A message's attachments as the desk keeps them (the customer's and the shop's alike). */
function attachmentsOf(message: NonNullable<MessagingItem["message"]>) {
  return (message.attachments ?? []).map((a) => ({
    contentType: attachmentContentType(a.type),
    url: a.payload?.url ?? null,
    filename: a.payload?.title ?? null,
  }));
}

/** A message the shop typed in another app (the Page inbox): an echo for the customer's ticket. */
function inboxEcho(
  item: MessagingItem,
  message: NonNullable<MessagingItem["message"]>,
  channel: MetaChannelId,
  accountId: string,
  occurredAt: Date,
): InboundEventInput {
  const userId = item.recipient.id;
  const attachments = attachmentsOf(message);
  return {
    type: "echo",
    channel,
    externalId: message.mid,
    occurredAt,
    to: { identities: [{ kind: channel, value: userId }] },
    conversationKey: dmConversationKey(accountId, userId),
    replyTo: message.reply_to?.mid ? [message.reply_to.mid] : [],
    text: message.text ?? (attachments.length > 0 ? "[attachment]" : ""),
    attachments,
    author: {},
    meta: { meta: { appId: message.app_id === undefined ? null : String(message.app_id) } },
  };
}

function changeEvent(
  change: { field: string; value: unknown },
  channel: MetaChannelId,
  accountId: string,
  time: number | undefined,
  config: Omit<MetaWebhookConfig, "appSecret" | "verifyToken">,
  what: string,
): InboundEventInput | null {
  if (channel === "messenger" && change.field === "feed") {
    const value = parseInput(FeedChangeValueSchema, change.value, what);
    if (value.item !== "comment" || (value.verb ?? "add") !== "add") return null;
    if (!value.comment_id || !value.post_id || !value.from)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Invalid ${what}: a comment needs comment_id, post_id and from`,
        path: ["changes", "value"],
      });
    // The page's own comments (our public replies) come back through the feed too.
    if (value.from.id === config.pageId) return null;
    const attachments = value.photo
      ? [{ contentType: "image/*", url: value.photo }]
      : value.video
        ? [{ contentType: "video/*", url: value.video }]
        : [];
    return {
      type: "message",
      channel,
      kind: "comment",
      externalId: value.comment_id,
      occurredAt:
        value.created_time !== undefined
          ? toDate(value.created_time, config.now())
          : time !== undefined
            ? toDate(time, config.now())
            : config.now(),
      from: { identities: [{ kind: "messenger", value: value.from.id }], name: value.from.name ?? null },
      text: value.message ?? "",
      attachments,
      replyTo: [],
      conversationKey: commentConversationKey(value.post_id, value.from.id),
      meta: {
        platform: "facebook",
        accountId,
        postId: value.post_id,
        commentId: value.comment_id,
        parentId: value.parent_id ?? null,
        userId: value.from.id,
      },
    };
  }
  if (channel === "instagram" && (change.field === "comments" || change.field === "live_comments")) {
    const value = parseInput(InstagramCommentValueSchema, change.value, what);
    if (config.instagramAccountId !== null && value.from.id === config.instagramAccountId) return null;
    if (value.from.id === accountId) return null;
    return {
      type: "message",
      channel,
      kind: "comment",
      externalId: value.id,
      occurredAt: time !== undefined ? toDate(time, config.now()) : config.now(),
      from: { identities: [{ kind: "instagram", value: value.from.id }], name: value.from.username ?? null },
      text: value.text,
      attachments: [],
      replyTo: [],
      conversationKey: commentConversationKey(value.media.id, value.from.id),
      meta: {
        platform: "instagram",
        accountId,
        mediaId: value.media.id,
        postId: value.media.id,
        commentId: value.id,
        parentId: value.parent_id ?? null,
        userId: value.from.id,
        username: value.from.username ?? null,
        live: change.field === "live_comments",
      },
    };
  }
  return null; // other fields (mentions, reactions, ratings…) are not support conversations here
}
