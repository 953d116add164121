/**
 * An echo with no ticket to land on: the shop started (or restarted) a conversation in the
 * provider's own inbox. The desk opens a ticket for it, `pending` on the customer, so the
 * customer's answer threads onto it and the agent's message is on record; the customer is found
 * or created from the echo's recipient.
 */
import type { Customer } from "../../domain/customer.js";
import type { Actor, TicketEvent } from "../../domain/event.js";
import type { InboundEchoEvent } from "../../domain/inbound.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Effect } from "../../decision.js";
import type { StoreOps } from "../../ports/store.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import { findOrCreateCustomer } from "../customers.js";
import { queueSendEffects, type Queued, type RefusedSend } from "../outbox/queue.js";
import { sendQueued } from "../outbox/sender.js";
import { performLaterEffects, reportRefusedSends } from "../perform-effects.js";
import { saveTicket } from "../save-ticket.js";
import { withTx } from "../transaction.js";

/** Whether an echo on `channel` may open a ticket (the desk's `openTicketsFromEchoes`, default true). */
export function echoesOpenTickets(ctx: DeskContext, channel: string): boolean {
  const setting = ctx.options.openTicketsFromEchoes ?? true;
  if (typeof setting === "boolean") return setting;
  return !setting.channels || setting.channels.includes(channel);
}

/** How the echo's message is built on its ticket (shared with the echo that finds a ticket). */
export type EchoMessageBuilder = (at: { id: string; ticket: Ticket; now: Date }) => Message;

/** What the echo's transaction wrote. */
interface Opened {
  ticket: Ticket;
  message: Message;
  customer: Customer;
  events: TicketEvent[];
  later: Effect[];
  queued: Queued[];
  refused: RefusedSend[];
}

/**
 * Opens a ticket for an echo that found none and records the echo on it as the agent's first
 * reply, in one transaction (a concurrent redelivery fails on the message's external id and
 * leaves no empty ticket behind). The plugins' `ticketCreated` hooks do not run: there is no
 * customer message to route, acknowledge or answer. Emits `ticket.created` and `message.sent`.
 *
 * @example
 * const { ticket, message } = await openEchoTicket(ctx, event, actor, build);
 * // ticket.status === "pending", ticket.meta.origin === "provider_inbox"
 */
export async function openEchoTicket(
  ctx: DeskContext,
  event: InboundEchoEvent,
  actor: Actor,
  build: EchoMessageBuilder,
): Promise<{ ticket: Ticket; message: Message }> {
  // The agent's words tell the topic and language; an apology is the shop's, not a complaint.
  const classification = await ctx.classifier({
    text: event.text,
    subject: null,
    channel: event.channel,
    localeHint: null,
  });
  const category = classification.category === "complaint" ? "other" : classification.category;
  const opened = await withTx(ctx, async (tx): Promise<Opened> => {
    const now = ctx.clock.now();
    const found = await findOrCreateCustomer(tx, { identities: event.to.identities }, now, ctx.newId);
    const ticket = echoTicketDraft(ctx, event, {
      customer: found.customer,
      number: await tx.nextTicketNumber(),
      category,
      language: classification.language || ctx.settings.defaultLocale,
      now,
    });
    const createdData = {
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      channel: ticket.channel,
      tags: ticket.tags,
      followUpOf: null,
      language: ticket.language,
      origin: "provider_inbox",
    };
    const first = await saveTicket(
      ctx,
      tx,
      null,
      ticket,
      [{ type: "ticket.created", data: createdData }],
      actor,
      now,
      found.customer,
    );
    const messageId = ctx.newId();
    const decision = applyTicketAction(
      first.ticket,
      { type: "agent_reply", messageId, automatic: false, status: "pending" },
      now,
    );
    if (!decision.ok) throw decision.error;
    const replyData = {
      messageId,
      channel: event.channel,
      authorKind: "agent",
      automatic: false,
      visibility: "private",
      template: null,
      external: true,
      authorName: event.author.name ?? null,
    };
    const saved = await saveTicket(
      ctx,
      tx,
      first.ticket,
      decision.value,
      [{ type: "reply.sent", data: replyData }, ...decision.events],
      actor,
      now,
      found.customer,
    );
    const message = build({ id: messageId, ticket: saved.ticket, now });
    await tx.insertMessage(message);
    const events = [...first.events, ...saved.events];
    const later = [...first.later, ...saved.later];
    return {
      ticket: saved.ticket,
      message,
      customer: found.customer,
      events,
      ...(await queueLater(ctx, tx, { ticket: saved.ticket, customer: found.customer, events, now }, later)),
    };
  });
  ctx.emitter.emit("ticket.created", { ticket: opened.ticket, message: opened.message, classification });
  ctx.emitter.emit("message.sent", { ticket: opened.ticket, message: opened.message });
  reportRefusedSends(ctx, opened.refused);
  await performLaterEffects(ctx, opened.ticket, opened.later);
  await sendQueued(ctx, opened.ticket, opened.queued, "queued");
  return { ticket: opened.ticket, message: opened.message };
}

/** A plugin's `send` effect from the saves (a rule on status changes…) goes to the outbox in this transaction. */
async function queueLater(
  ctx: DeskContext,
  tx: StoreOps,
  at: { ticket: Ticket; customer: Customer; events: TicketEvent[]; now: Date },
  later: Effect[],
): Promise<{ later: Effect[]; queued: Queued[]; refused: RefusedSend[] }> {
  if (!later.some((e) => e.type === "send")) return { later, queued: [], refused: [] };
  const { ticket, customer, events, now } = at;
  const outbox = await queueSendEffects(ctx, tx, { ticket, customer, effects: later, log: events, now });
  return { later: later.filter((e) => e.type !== "send"), ...outbox };
}

function echoTicketDraft(
  ctx: DeskContext,
  event: InboundEchoEvent,
  at: { customer: Customer; number: number; category: Ticket["category"]; language: string; now: Date },
): Ticket {
  const line = event.text.split(/\r?\n/, 1)[0]!.trim();
  return {
    id: ctx.newId(),
    number: at.number,
    subject: line ? line.slice(0, 120) : null,
    status: "new",
    priority: "normal",
    category: at.category,
    channel: event.channel,
    kind: "conversation",
    customerId: at.customer.id,
    assigneeId: null,
    team: null,
    tags: ["provider-inbox"],
    language: at.language,
    conversationKey: event.conversationKey ?? null,
    version: 1,
    createdAt: at.now,
    updatedAt: at.now,
    lastCustomerMessageAt: null,
    firstRepliedAt: null,
    solvedAt: null,
    closedAt: null,
    followUpOf: null,
    mergedInto: null,
    slaDueAt: null,
    sla: null,
    complaint: null,
    meta: { origin: "provider_inbox" },
  };
}
