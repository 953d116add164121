/** `desk.retryMessage`: a failed outbound message queued again, audited, and sent. */
import type { Actor } from "../../domain/event.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import { appendEvents } from "../audit-log.js";
import type { DeskContext } from "../context.js";
import { withTx } from "../transaction.js";
import type { OutboxMeta } from "./prepare-outbound.js";
import { outboxJob, type Queued } from "./queue.js";
import { sendQueued, type OutboxWait } from "./sender.js";

/**
 * Queues a `failed` outbound message again (same id, so a provider that deduplicates by our
 * key sees one message) with its attempts reset, writes `reply.retried`, and sends it.
 * INVALID_INPUT for a message that is not a failed outbound one.
 *
 * @example
 * const message = await retryMessage(ctx, messageId, { agentId: "kim" }, "sent");
 */
export async function retryMessage(
  ctx: DeskContext,
  messageId: string,
  actor: Actor,
  wait?: OutboxWait,
): Promise<Message> {
  let ticket: Ticket | null = null;
  const queued = await withTx(ctx, async (tx): Promise<Queued> => {
    const message = await tx.getMessage(messageId);
    if (!message)
      throw new StoredeskError({ code: "NOT_FOUND", message: `Message ${messageId} not found`, path: ["messageId"] });
    if (message.direction !== "outbound" || message.deliveryStatus !== "failed") {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Only a failed outbound message can be retried (this one is ${message.direction}, ${message.deliveryStatus})`,
        path: ["messageId"],
        details: { deliveryStatus: message.deliveryStatus },
      });
    }
    ticket = await tx.getTicket(message.ticketId);
    if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket of message ${messageId} not found` });
    const now = ctx.clock.now();
    const before = (message.meta.outbox as OutboxMeta | undefined) ?? { attempts: 0 };
    const outbox: OutboxMeta = { attempts: 0, unanswered: 0, lastError: before.lastError ?? null };
    await tx.updateMessage(messageId, { deliveryStatus: "queued", deliveryError: null, meta: { outbox } });
    const job = outboxJob(ctx, message, now);
    await tx.scheduleJob(job);
    await appendEvents(
      ctx,
      tx,
      message.ticketId,
      [{ type: "reply.retried", data: { messageId, channel: message.channel, previousError: message.deliveryError } }],
      actor,
      now,
    );
    return {
      message: { ...message, deliveryStatus: "queued", deliveryError: null, meta: { ...message.meta, outbox } },
      job,
    };
  });
  const [message] = await sendQueued(ctx, ticket!, [queued], wait);
  return message!;
}
