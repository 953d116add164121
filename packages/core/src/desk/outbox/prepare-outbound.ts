/**
 * The checks an outbound message passes before it is queued (the caller hears a refusal at
 * once): the ticket can take it, the channel exists, the reply window, the plugins'
 * `beforeSend`. Builds the message as it will be stored, `queued`.
 */
import type { Customer } from "../../domain/customer.js";
import type { Actor } from "../../domain/event.js";
import { completeAttachment, type Message } from "../../domain/message.js";
import { ticketRef, type Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { ChannelAdapter, OutboundMessage } from "../../ports/channel.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import type { ReplyInput } from "../types.js";
import { runBeforeSend } from "./before-send.js";
import { checkReplyWindow } from "./reply-window.js";

/** What the outbox keeps on a message's `meta.outbox` while and after it sends it. */
export interface OutboxMeta {
  /** Attempts made so far. */
  attempts: number;
  /** Attempts whose outcome is unknown (the provider did not answer in time). */
  unanswered?: number;
  /** The last attempt's error, while a retry is scheduled or after the last one. */
  lastError?: { code: string; title: string } | null;
  nextAttemptAt?: string | null;
  sentAt?: string | null;
}

/**
 * Refuses what cannot be sent and returns the message to queue. Nothing is written.
 *
 * @example
 * const message = await prepareOutbound(ctx, { ticket, customer, input: { text: "곧 답변드릴게요" }, actor, now });
 */
export async function prepareOutbound(
  ctx: DeskContext,
  args: { ticket: Ticket; customer: Customer; input: ReplyInput; actor: Actor; now: Date },
): Promise<Message> {
  const { ticket, customer, actor, now } = args;
  if (ticket.status === "closed") {
    throw new StoredeskError({
      code: "TICKET_CLOSED",
      message: `Ticket ${ticketRef(ticket)} is closed`,
      details: { ticketId: ticket.id },
    });
  }
  const channel = args.input.channel ?? ticket.channel;
  const adapter = ctx.channels.get(channel);
  if (!adapter)
    throw new StoredeskError({
      code: "NOT_FOUND",
      message: `No channel adapter "${channel}" is registered`,
      path: ["channel"],
    });
  const files = args.input.attachments ?? [];
  // Refused here, not by the adapter later: a file the channel cannot carry must not vanish.
  if (files.length > 0 && !adapter.capabilities.attachments)
    throw new StoredeskError({
      code: "UNSUPPORTED",
      message: `Channel "${channel}" cannot send attachments`,
      path: ["attachments"],
      details: { channel },
    });
  const authorKind =
    args.input.authorKind ?? (actor.kind === "agent" ? "agent" : actor.kind === "bot" ? "bot" : "system");
  const visibility = args.input.visibility ?? (ticket.kind === "comment" ? "public" : "private");
  let input = checkReplyWindow(ctx, adapter, { ticket, customer, input: args.input, authorKind, visibility, now });
  input = await runBeforeSend(ctx, { ticket, customer, input, now });
  // A reply the ticket cannot take (its status change is illegal) must not be queued at all.
  if (input.status) {
    const dry = applyTicketAction(
      ticket,
      { type: "agent_reply", messageId: "dry-run", automatic: false, status: input.status },
      now,
    );
    if (!dry.ok) throw dry.error;
  }
  const subject = input.subject ?? (ticket.subject ? `Re: ${ticket.subject}` : null);
  const outbox: OutboxMeta = { attempts: 0 };
  return {
    id: ctx.newId(),
    ticketId: ticket.id,
    direction: "outbound",
    authorKind,
    authorId: actor.id,
    channel,
    externalId: null,
    text: input.text,
    html: input.html ?? null,
    attachments: files.map(completeAttachment),
    deliveryStatus: "queued",
    deliveryError: null,
    visibility: visibility === "public" ? "public" : "private",
    automatic: input.automatic ?? false,
    createdAt: now,
    meta: {
      ...(subject ? { subject } : {}),
      ...(input.template ? { template: input.template } : {}),
      ...(input.options ? { options: input.options } : {}),
      ...(input.purpose ? { purpose: input.purpose } : {}),
      outbox,
    },
  };
}

/**
 * The call to the channel for a queued message, rebuilt from what is stored (so a message
 * queued before a crash is sent the same way after it).
 *
 * @example
 * const outbound = outboundOf(message, ticket, customer, await store.listMessages(ticket.id));
 */
export function outboundOf(
  message: Message,
  ticket: Ticket,
  customer: Customer,
  history: readonly Message[],
): OutboundMessage {
  const meta = message.meta;
  const options = meta.options as Record<string, unknown> | undefined;
  return {
    messageId: message.id,
    ticket,
    customer,
    text: message.text,
    html: message.html,
    subject: (meta.subject as string | undefined) ?? null,
    ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
    visibility: message.visibility === "public" ? "public" : "private",
    thread: history
      .filter((m) => m.id !== message.id && m.channel === message.channel && m.externalId)
      .map((m) => ({ externalId: m.externalId, direction: m.direction, createdAt: m.createdAt })),
    template: (meta.template as OutboundMessage["template"]) ?? null,
    ...(options ? { options } : {}),
    automatic: message.automatic,
  };
}

/**
 * The reply window checked again just before sending (it may have closed while the message
 * waited): returns the template to use, or throws REPLY_WINDOW_CLOSED.
 *
 * @example
 * const template = recheckWindow(ctx, adapter, message, ticket, customer, now);
 */
export function recheckWindow(
  ctx: DeskContext,
  adapter: ChannelAdapter,
  message: Message,
  ticket: Ticket,
  customer: Customer,
  now: Date,
): OutboundMessage["template"] {
  const template = (message.meta.template as OutboundMessage["template"]) ?? null;
  const authorKind = message.authorKind === "customer" ? "system" : message.authorKind;
  const input: ReplyInput = {
    text: message.text,
    template,
    automatic: message.automatic,
    ...(typeof message.meta.purpose === "string"
      ? { purpose: message.meta.purpose as ReplyInput["purpose"] & string }
      : {}),
  };
  return (
    checkReplyWindow(ctx, adapter, { ticket, customer, input, authorKind, visibility: message.visibility, now })
      .template ?? null
  );
}
