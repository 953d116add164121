/**
 * Outbound Messenger / Instagram: DMs (Send API, with the HUMAN_AGENT tag between
 * 24 hours and 7 days), public comment replies and private replies to comments.
 */
import { metaSendError } from "./errors.js";
import { z } from "zod";
import type { OutboundMessage, SendReceipt } from "@storedesk/core";
import { invalidInput, parseInput, StoredeskError } from "@storedesk/core";
import type { GraphClient } from "@storedesk/meta-graph";
import type { ConversationLinks, PrivateReplyLink } from "./links.js";
import { CommentReplyResponseSchema, SendApiResponseSchema } from "./schemas.js";
import type { MetaChannelId } from "./webhook.js";
import type { MetaWindowOptions } from "./window.js";
import { META_HUMAN_AGENT_WINDOW_MS, metaReplyWindow } from "./window.js";
import { withMetaQuickReplies } from "./quick-replies.js";

/** Meta-specific options of a send (`OutboundMessage.options`). */
export const MetaSendOptionsSchema = z.looseObject({
  /** Answer the comment privately (Private Replies API): one message into the commenter's inbox. */
  privateReply: z.boolean().optional(),
  /** The comment to answer; default: the latest customer comment of the ticket's thread. */
  commentId: z.string().min(1).optional(),
  /** Quick reply buttons under a DM (at most 13). */
  quickReplies: z
    .array(z.object({ title: z.string().min(1).max(20), payload: z.string().min(1).max(1000) }))
    .min(1)
    .max(13)
    .optional(),
  /** Who is sending: bots and system messages get no HUMAN_AGENT tag. Default `agent`. */
  authorKind: z.enum(["agent", "bot", "system"]).optional(),
});
/** Options of a Meta send. */
export type MetaSendOptions = z.infer<typeof MetaSendOptionsSchema>;

/** What {@link sendMeta} needs. */
export interface MetaSendDeps {
  channel: MetaChannelId;
  graph: GraphClient;
  pageId: string;
  instagramAccountId: string | null;
  links: ConversationLinks;
  now: () => Date;
  window: MetaWindowOptions;
}

const DM_KEY = /^meta:([^:]+):([^:]+)$/;

/** Delivers one OutboundMessage on Messenger or Instagram. */
export async function sendMeta(message: OutboundMessage, deps: MetaSendDeps): Promise<SendReceipt> {
  const options = parseInput(MetaSendOptionsSchema, withMetaQuickReplies(message.options ?? {}), "Meta send options");
  const text = message.text.trim();
  const attachments = message.attachments ?? [];

  // A private reply wins over the visibility (the desk defaults comment tickets to public).
  if (options.privateReply) {
    if (!text) throw invalidInput("A private reply needs text", ["text"]);
    if (attachments.length > 0)
      throw invalidInput("A private reply is one text message; send attachments once the customer answers", [
        "attachments",
      ]);
    const commentId = commentToAnswer(message, options);
    const comment = [...message.thread].reverse().find((m) => m.externalId === commentId);
    const now = deps.now();
    // Meta accepts a private reply within 7 days of the comment.
    if (comment && now.getTime() - comment.createdAt.getTime() >= META_HUMAN_AGENT_WINDOW_MS) {
      throw new StoredeskError({
        code: "REPLY_WINDOW_CLOSED",
        message: "A private reply must be sent within 7 days of the comment; reply publicly instead.",
        details: {
          channel: deps.channel,
          closedAt: new Date(comment.createdAt.getTime() + META_HUMAN_AGENT_WINDOW_MS).toISOString(),
          suggestedTemplate: null,
        },
      });
    }
    // Meta allows one private reply per comment; a second is refused there, so refuse it here.
    const earlier = await deps.links.byComment(deps.channel, commentId);
    if (earlier) {
      throw new StoredeskError({
        code: "REPLY_WINDOW_CLOSED",
        message: earlier.answeredAt
          ? "This comment was answered privately already (Meta allows one private reply per comment); the customer answered, so reply by DM."
          : "This comment was answered privately already (Meta allows one private reply per comment); reply publicly, or by DM once the customer answers.",
        details: {
          channel: deps.channel,
          closedAt: earlier.at.toISOString(),
          privateReplyId: earlier.messageId,
          suggestedTemplate: null,
        },
      });
    }
    const answer = await sendApi(deps, { recipient: { comment_id: commentId }, message: { text } });
    if (answer.recipient_id) {
      await deps.links.remember({
        channel: deps.channel,
        accountId: accountOf(deps),
        userId: answer.recipient_id,
        commentId,
        messageId: answer.message_id,
        at: now,
      });
    }
    // The DM thread Meta opened takes part in the comment's ticket: the user's answer (from their
    // PSID, another id than the commenter's) may thread onto it by the private reply's id.
    const participants = answer.recipient_id ? [`${deps.channel}:${answer.recipient_id}`] : [];
    return {
      externalId: answer.message_id,
      status: "sent",
      meta: { privateReplyTo: commentId, recipientId: answer.recipient_id ?? null, participants },
    };
  }

  if (message.visibility === "public") {
    if (!text) throw invalidInput("A public reply needs text", ["text"]);
    const commentId = commentToAnswer(message, options);
    // Facebook: a comment on the comment; Instagram: a reply in the comment's thread.
    const path = deps.channel === "messenger" ? `${commentId}/comments` : `${commentId}/replies`;
    const answer = await deps.graph.call("post", path, CommentReplyResponseSchema, { json: { message: text } });
    return { externalId: answer.id, status: "sent", meta: { visibility: "public", commentId } };
  }

  // A DM: to the conversation's user, or to the commenter we already answered privately.
  const { recipient, lastInboundAt } = await recipientOf(message, deps);
  const window = metaReplyWindow(
    {
      ticket: { ...message.ticket, kind: "conversation" },
      lastInboundAt,
      authorKind: options.authorKind ?? "agent",
    },
    deps.now(),
    deps.window,
  );
  if (window.kind !== "open") {
    throw new StoredeskError({
      code: "REPLY_WINDOW_CLOSED",
      message: window.reason,
      details: { channel: deps.channel, closedAt: window.closedAt?.toISOString() ?? null, suggestedTemplate: null },
    });
  }
  const tagging = window.tag ? { messaging_type: "MESSAGE_TAG", tag: window.tag } : { messaging_type: "RESPONSE" };
  if (!text && attachments.length === 0) throw invalidInput("A message needs text or an attachment", ["text"]);
  if (text.length > 2000) throw invalidInput("Messenger and Instagram texts are limited to 2000 characters", ["text"]);

  const bodies: Array<Record<string, unknown>> = [];
  if (text)
    bodies.push({
      text,
      ...(options.quickReplies
        ? {
            quick_replies: options.quickReplies.map((q) => ({
              content_type: "text",
              title: q.title,
              payload: q.payload,
            })),
          }
        : {}),
    });
  for (const a of attachments) {
    const [major] = a.contentType.toLowerCase().split("/");
    const type = major === "image" || major === "video" || major === "audio" ? major : "file";
    if (a.providerId) bodies.push({ attachment: { type, payload: { attachment_id: a.providerId } } });
    else if (a.url && /^https?:\/\//i.test(a.url))
      bodies.push({ attachment: { type, payload: { url: a.url, is_reusable: true } } });
    else
      throw new StoredeskError({
        code: "UNSUPPORTED",
        message: "Meta attachments must be sent by https url or attachment id (inline upload is not supported)",
        path: ["attachments"],
      });
  }
  const ids: string[] = [];
  for (const body of bodies)
    ids.push((await sendApi(deps, { recipient: { id: recipient }, ...tagging, message: body })).message_id);
  const externalId = ids[0];
  if (!externalId) throw new StoredeskError({ code: "INTERNAL", message: "Nothing was sent" });
  return {
    externalId,
    status: "sent",
    meta: { externalIds: ids, recipientId: recipient, ...(window.tag ? { tag: window.tag } : {}) },
  };
}

function accountOf(deps: MetaSendDeps): string {
  return deps.channel === "instagram" && deps.instagramAccountId ? deps.instagramAccountId : deps.pageId;
}

function commentToAnswer(message: OutboundMessage, options: MetaSendOptions): string {
  if (options.commentId) return options.commentId;
  if (message.ticket.kind !== "comment")
    throw invalidInput(
      "Public and private replies answer a comment: this ticket is not a comment thread (or give options.commentId)",
      ["options", "commentId"],
    );
  const latest = [...message.thread].reverse().find((m) => m.direction === "inbound" && m.externalId);
  if (!latest?.externalId) throw invalidInput("No customer comment to answer in this thread", ["thread"]);
  return latest.externalId;
}

/**
 * Whom a DM goes to, and since when the window runs: the conversation's user from its last
 * message; on a comment ticket the commenter answered privately, from their DM answer to it
 * (Meta opens no window for the comment itself).
 */
async function recipientOf(
  message: OutboundMessage,
  deps: MetaSendDeps,
): Promise<{ recipient: string; lastInboundAt: Date | null }> {
  const lastInboundAt = message.ticket.lastCustomerMessageAt;
  const match = message.ticket.conversationKey ? DM_KEY.exec(message.ticket.conversationKey) : null;
  if (match?.[2]) return { recipient: match[2], lastInboundAt };
  if (message.ticket.kind === "comment") {
    for (const m of [...message.thread].reverse()) {
      if (m.direction !== "inbound" || !m.externalId) continue;
      const link = await deps.links.byComment(deps.channel, m.externalId);
      if (!link) continue;
      const answeredAt = await answeredSince(deps, link);
      if (!answeredAt)
        throw new StoredeskError({
          code: "REPLY_WINDOW_CLOSED",
          message:
            "The customer has not answered the private reply yet: Meta allows no further DM until they do; reply publicly meanwhile.",
          details: { channel: deps.channel, closedAt: link.at.toISOString(), suggestedTemplate: null },
        });
      return { recipient: link.userId, lastInboundAt: answeredAt };
    }
    throw invalidInput(
      'This comment has no private conversation yet: reply publicly (visibility: "public") or privately (options.privateReply: true)',
      ["options", "privateReply"],
    );
  }
  const identity = message.customer.identities.find((i) => i.kind === deps.channel);
  if (!identity) throw invalidInput(`The customer has no ${deps.channel} id`, ["customer", "identities"]);
  return { recipient: identity.value, lastInboundAt };
}

/**
 * When the user last wrote by DM after this private reply: on its own link, or on the user's
 * latest link (the webhook marks that one, even when the DM answers an older private reply;
 * any DM after ours opens the conversation's window).
 */
async function answeredSince(deps: MetaSendDeps, link: PrivateReplyLink): Promise<Date | null> {
  if (link.answeredAt) return link.answeredAt;
  const latest = await deps.links.byUser(deps.channel, link.accountId, link.userId);
  const at = latest?.answeredAt;
  return at && at.getTime() > link.at.getTime() ? at : null;
}

async function sendApi(deps: MetaSendDeps, json: Record<string, unknown>) {
  try {
    return await deps.graph.call("post", `${deps.pageId}/messages`, SendApiResponseSchema, { json });
  } catch (err) {
    throw metaSendError(err, deps.channel);
  }
}
