/**
 * Stage: the policies, as pure decisions: the lifecycle step of a continued conversation or
 * the fields of a new ticket (category, priority, team from the action plan, routing). The
 * plugins' hooks (`ticketCreated`, `customerMessage`: complaint workflow, the bot's turn…; the
 * auto-acknowledgement decides later, in `ticketSaving`)
 * add theirs next, in the same transaction.
 */
import type { Classification } from "../../classify/classify-text.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Effect, EventDraft } from "../../decision.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import { extractOrderName } from "../format-due.js";

/** A stage's decision on a ticket: the new state, audit events and effects. */
export interface TicketChange {
  ticket: Ticket;
  events: EventDraft[];
  effects: Effect[];
}

/**
 * The change a customer's message makes to the open ticket it continues.
 *
 * @example
 * const change = decideOnThread(ctx, found, event, classification, receivedDraft, now);
 */
export function decideOnThread(
  ctx: DeskContext,
  found: Ticket,
  event: InboundMessageEvent,
  classification: Classification,
  received: EventDraft,
  now: Date,
): TicketChange {
  const messageId = String(received.data.messageId);
  const decision = event.automatic
    ? { ok: true as const, value: { ...found, version: found.version + 1, updatedAt: now }, events: [], effects: [] }
    : applyTicketAction(found, { type: "customer_message", messageId, automatic: false }, now);
  if (!decision.ok) throw decision.error;
  // Reply windows run from when the customer wrote, not from a late redelivery.
  if (!event.automatic && event.occurredAt < now) {
    // …but a late message dated earlier never moves it backwards.
    const previous = found.lastCustomerMessageAt;
    decision.value.lastCustomerMessageAt = previous && previous > event.occurredAt ? previous : event.occurredAt;
  }
  return { ticket: decision.value, events: [received, ...decision.events], effects: [...decision.effects] };
}

/**
 * A new ticket for the message (a follow-up when `closed` is the conversation's closed ticket).
 *
 * @example
 * const change = decideNewTicket(ctx, { closed: null, customerId, number, received }, event, classification, now);
 */
export function decideNewTicket(
  ctx: DeskContext,
  at: { closed: Ticket | null; customerId: string; number: number; received: EventDraft },
  event: InboundMessageEvent,
  classification: Classification,
  now: Date,
): TicketChange {
  const { closed, customerId, number } = at;
  const plan = ctx.actionPlans.get(classification.category);
  const orderName = extractOrderName(event.text);
  let ticket: Ticket = {
    id: ctx.newId(),
    number,
    subject: event.subject ?? firstLine(event.text),
    status: "new",
    priority: classification.suggestedPriority,
    category: classification.category,
    channel: event.channel,
    kind: event.kind === "comment" ? "comment" : "conversation",
    customerId,
    assigneeId: null,
    team: plan?.responsibleTeam ?? null,
    tags: closed ? ["follow-up"] : [],
    language: classification.language || ctx.settings.defaultLocale,
    conversationKey: event.conversationKey ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    lastCustomerMessageAt: event.automatic ? null : event.occurredAt < now ? event.occurredAt : now,
    firstRepliedAt: null,
    solvedAt: null,
    closedAt: null,
    followUpOf: closed?.id ?? null,
    mergedInto: null,
    slaDueAt: null,
    sla: null,
    complaint: null,
    meta: {
      classification: {
        topic: classification.topic,
        confidence: classification.confidence,
        matched: classification.matched,
        modelId: classification.modelId,
        scores: classification.scores,
      },
      ...(orderName ? { orderName } : {}),
    },
  };
  const routed = ctx.options.route?.(ticket, classification);
  if (routed) ticket = { ...ticket, ...routed };
  const created: EventDraft = {
    type: closed ? "ticket.follow_up_created" : "ticket.created",
    data: {
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      channel: ticket.channel,
      tags: ticket.tags,
      followUpOf: closed?.id ?? null,
      language: ticket.language,
      // Which model decided, and how sure it was of each category: audited with the decision.
      classification: { modelId: classification.modelId, scores: classification.scores },
    },
  };
  return { ticket, events: [created, at.received], effects: [] };
}

function firstLine(text: string): string | null {
  const line =
    text
      .split(/\r?\n/)
      .find((l) => l.trim().length > 0)
      ?.trim() ?? "";
  if (!line) return null;
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
