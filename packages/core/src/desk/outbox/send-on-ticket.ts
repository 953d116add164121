/**
 * Sends a message on a ticket through its channel and records it: reply window first, the
 * lifecycle change decided before anything leaves, a failed send recorded as a failed message.
 */
import type { Customer } from "../../domain/customer.js";
import type { Actor } from "../../domain/event.js";
import { boundedKey } from "../../domain/inbound.js";
import type { Message } from "../../domain/message.js";
import { ticketRef, type Ticket } from "../../domain/ticket.js";
import type { Decision, EventDraft } from "../../decision.js";
import { StoredeskError } from "../../errors.js";
import type { ChannelAdapter, OutboundMessage } from "../../ports/channel.js";
import type { StoreOps } from "../../ports/store.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import { applyParkedReceipt } from "../receipts.js";
import { mutateTicket } from "../save-ticket.js";
import { withStatusTimers } from "../ticket-timers.js";
import type { ReplyInput } from "../types.js";
import { checkReplyWindow } from "./reply-window.js";

/** What the caller already holds (the ingest path), so the hot path reads nothing twice. */
export interface KnownState {
  ticket: Ticket;
  customer: Customer;
  thread: Message[];
  /** Set by the send: the ticket as saved with the message. */
  saved?: Ticket;
}

/**
 * Sends a message on a ticket through its channel and records it. The reply window is checked
 * before anything leaves; a failed send is recorded as a failed message (nothing accepted is
 * lost) and rethrown.
 *
 * @example
 * const message = await sendOnTicket(ctx, ticketId, { text: "곧 답변드릴게요" }, { kind: "agent", id: "kim" });
 */
export async function sendOnTicket(
  ctx: DeskContext,
  ticketId: string,
  input: ReplyInput,
  actor: Actor,
  eventType: "reply.sent" | "ack.sent" = "reply.sent",
  known?: KnownState,
): Promise<Message> {
  const { store, emitter } = ctx;
  const ticket = known?.ticket ?? (await store.getTicket(ticketId));
  if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
  if (ticket.status === "closed") {
    throw new StoredeskError({ code: "TICKET_CLOSED", message: `Ticket ${ticketRef(ticket)} is closed`, details: { ticketId } });
  }
  const channel = input.channel ?? ticket.channel;
  const adapter = ctx.channels.get(channel);
  if (!adapter) throw new StoredeskError({ code: "NOT_FOUND", message: `No channel adapter "${channel}" is registered`, path: ["channel"] });
  const customer = known?.customer ?? (await store.getCustomer(ticket.customerId));
  if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer of ticket ${ticketId} not found` });
  const now = ctx.clock.now();
  const authorKind = input.authorKind ?? (actor.kind === "agent" ? "agent" : actor.kind === "bot" ? "bot" : "system");
  const visibility = input.visibility ?? (ticket.kind === "comment" ? "public" : "private");
  input = checkReplyWindow(ctx, adapter, { ticket, customer, input, authorKind, visibility, now });

  // Decide the lifecycle change first: a reply the ticket cannot take must not leave at all.
  if (input.status) {
    const dry = applyTicketAction(ticket, { type: "agent_reply", messageId: "dry-run", automatic: false, status: input.status }, now);
    if (!dry.ok) throw dry.error;
  }

  const history = known?.thread ?? (await store.listMessages(ticketId));
  const messageId = ctx.newId();
  const outbound: OutboundMessage = {
    messageId, ticket, customer, text: input.text, html: input.html ?? null,
    subject: input.subject ?? (ticket.subject ? `Re: ${ticket.subject}` : null), visibility,
    thread: history.filter((m) => m.channel === channel && m.externalId)
      .map((m) => ({ externalId: m.externalId, direction: m.direction, createdAt: m.createdAt })),
    template: input.template ?? null, ...(input.options ? { options: input.options } : {}), automatic: input.automatic ?? false,
  };
  let receipt: Awaited<ReturnType<ChannelAdapter["send"]>> | null = null;
  let failure: unknown = null;
  try {
    receipt = await adapter.send(outbound);
  } catch (err) {
    failure = err;
  }
  const deliveryError = failure
    ? { code: StoredeskError.is(failure) ? failure.code : "INTERNAL", title: failure instanceof Error ? failure.message : JSON.stringify(failure) }
    : null;
  const message: Message = {
    id: messageId, ticketId, direction: "outbound", authorKind, authorId: actor.id, channel,
    externalId: receipt ? boundedKey(receipt.externalId) : null, text: input.text, html: input.html ?? null, attachments: [],
    deliveryStatus: receipt ? receipt.status : "failed", deliveryError,
    visibility: visibility === "public" ? "public" : "private", automatic: input.automatic ?? false, createdAt: now,
    meta: { ...(receipt?.meta ?? {}), ...(outbound.subject ? { subject: outbound.subject } : {}), ...(input.template ? { template: input.template } : {}) },
  };
  const sentData = { messageId, channel, authorKind, automatic: message.automatic, visibility: message.visibility };

  const record = (current: Ticket, withStatus: boolean): Decision<Ticket> => {
    if (failure) {
      const value = { ...current, version: current.version + 1, updatedAt: now };
      return { ok: true, value, events: [{ type: "reply.failed", data: { messageId, channel, error: message.deliveryError } }], effects: [] };
    }
    const automatic = message.automatic || authorKind !== "agent";
    const decision = applyTicketAction(current, {
      type: "agent_reply", messageId, automatic, ...(withStatus && input.status ? { status: input.status } : {}),
    }, now);
    if (!decision.ok) return decision;
    const drafts: EventDraft[] = [{ type: eventType, data: { ...sentData, template: input.template?.name ?? null } }, ...decision.events];
    return withStatusTimers(ctx, current, { ok: true, value: decision.value, events: drafts, effects: [...decision.effects] }, now);
  };
  const insert = async (tx: StoreOps) => { await tx.insertMessage(message); };

  /**
   * Fallbacks once the provider has answered and the normal write failed: first without the
   * status change (the ticket moved meanwhile), then, if the store keeps failing, retried with
   * backoff; as a last resort the whole message goes out on the `error` event (a dead letter
   * the application can log) together with the original failure.
   */
  const recordAfterSend = async (err: unknown): Promise<Ticket> => {
    const moved = StoredeskError.is(err) && (err.code === "ILLEGAL_TRANSITION" || err.code === "TICKET_CLOSED" || err.code === "CONFLICT");
    if (StoredeskError.is(err, "CONFLICT") && err.details?.duplicate === true) throw err; // the provider reused an id: already on record
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        const { ticket: saved } = await mutateTicket(ctx, ticketId, actor, (current) => current.status === "closed" || failure
          ? {
            ok: true, value: { ...current },
            events: [{
              type: failure ? "reply.failed" : eventType,
              data: { ...sentData, recordedLate: true, ...(failure ? { error: message.deliveryError } : {}) },
            }],
            effects: [],
          }
          : record(current, false), insert);
        const how = moved ? "the status change no longer fit; the reply was recorded without it" : "recorded after a retry";
        emitter.emit("error", { error: err, context: `recording reply ${messageId} on ticket ${ticketId}: ${how}` });
        return saved;
      } catch (again) {
        if (attempt === 4 || !(StoredeskError.is(again) && again.retryable)) {
          const letter = JSON.stringify({ message, cause: String(err) }).slice(0, 20_000);
          emitter.emit("error", { error: again, context: `reply ${messageId} on ticket ${ticketId} could not be recorded: ${letter}` });
          throw again;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    throw err;
  };

  let saved: Ticket;
  try {
    ({ ticket: saved } = await mutateTicket(ctx, ticketId, actor, (current) => record(current, true), insert));
  } catch (err) {
    // The message left (or its failure is known): it must be on record whatever went wrong.
    saved = await recordAfterSend(err);
  }
  if (failure) {
    emitter.emit("message.failed", { ticket: saved, message, error: failure });
    throw failure instanceof Error ? failure : new StoredeskError({ code: "PROVIDER_ERROR", message: "The channel failed to send", cause: failure });
  }
  emitter.emit("message.sent", { ticket: saved, message });
  if (message.externalId && adapter.capabilities.deliveryReceipts) await applyParkedReceipt(ctx, channel, message.externalId, now);
  if (known) known.saved = saved; // hand the saved ticket back to the ingest path: no re-read
  return message;
}
