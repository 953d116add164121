/**
 * A message on a ticket through the outbox: checked, written `queued` in the same transaction
 * as the ticket's change (status, first reply), then sent after commit.
 */
import type { Actor } from "../../domain/event.js";
import type { Message } from "../../domain/message.js";
import type { Decision, EventDraft } from "../../decision.js";
import { StoredeskError } from "../../errors.js";
import type { Ticket } from "../../domain/ticket.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import { mutateTicket } from "../save-ticket.js";
import type { ReplyInput } from "../types.js";
import { prepareOutbound } from "./prepare-outbound.js";
import { authorizeChange } from "../actions/authorize-change.js";
import { queueMessage, type Queued } from "./queue.js";
import { sendQueued, type OutboxWait } from "./sender.js";

/**
 * Queues a message on a ticket and starts sending it. The reply window, the plugins'
 * `beforeSend` and the status change are checked first (the caller gets the refusal, nothing
 * is written). Returns the message `queued`, or after the first attempt with `wait: "sent"`
 * (a message that failed for good then rejects with the provider's error).
 *
 * @example
 * const message = await sendOnTicket(ctx, ticketId, { text: "곧 답변드릴게요" }, { kind: "agent", id: "kim" });
 */
export async function sendOnTicket(
  ctx: DeskContext,
  ticketId: string,
  input: ReplyInput,
  actor: Actor,
  opts: { eventType?: "reply.sent" | "ack.sent"; wait?: OutboxWait } = {},
): Promise<Message> {
  const { store } = ctx;
  const ticket = await store.getTicket(ticketId);
  if (!ticket)
    throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
  const customer = await store.getCustomer(ticket.customerId);
  if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer of ticket ${ticketId} not found` });
  // A status change an agent makes with the reply may be a decision maker's: held, nothing is sent.
  if (input.status) await authorizeChange(ctx, ticketId, actor, [{ type: "set_status", status: input.status }]);
  const prepared = await prepareOutbound(ctx, { ticket, customer, input, actor, now: ctx.clock.now() });
  const eventType = opts.eventType ?? "reply.sent";

  const record = (current: Ticket, now: Date): Decision<Ticket> => {
    const automatic = prepared.automatic || prepared.authorKind !== "agent";
    const decision = applyTicketAction(
      current,
      {
        type: "agent_reply",
        messageId: prepared.id,
        automatic,
        ...(input.status ? { status: input.status } : {}),
      },
      now,
    );
    if (!decision.ok) return decision;
    const data = {
      messageId: prepared.id,
      channel: prepared.channel,
      authorKind: prepared.authorKind,
      automatic: prepared.automatic,
      visibility: prepared.visibility,
      template: input.template?.name ?? null,
      queued: true,
    };
    const drafts: EventDraft[] = [{ type: eventType, data }, ...decision.events];
    return { ok: true, value: decision.value, events: drafts, effects: [...decision.effects] };
  };
  let queued!: Queued;
  const saved = await mutateTicket(
    ctx,
    ticketId,
    actor,
    (current, _tx, now) => record(current, now),
    async (tx, _t, now) => {
      queued = await queueMessage(ctx, tx, { ...prepared, createdAt: now }, now);
    },
  );
  const [message] = await sendQueued(ctx, saved.ticket, [queued], opts.wait, {
    ticket: saved.ticket,
    customer,
    thread: await threadFor(ctx, saved.ticket.id),
  });
  return message!;
}

/** The thread the channel needs for threading headers (read once, after the commit). */
async function threadFor(ctx: DeskContext, ticketId: string): Promise<Message[]> {
  return ctx.store.listMessages(ticketId);
}
