/**
 * Delivery receipts (sent, delivered, read, failed) of outbound messages: applied in order,
 * never backwards; a receipt that overtakes the write of its message is parked until then.
 */
import type { DeliveryStatusEvent } from "../domain/inbound.js";
import type { DeliveryStatus } from "../domain/message.js";
import type { EventDraft } from "../decision.js";
import { appendEvents } from "./audit-log.js";
import { dropParkedReceipts, findParkedReceipt, parkReceipt, parkedReceiptKey } from "./parked-receipts.js";
import type { DeskContext } from "./context.js";
import { withTx } from "./transaction.js";
import type { StoreOps } from "../ports/store.js";
import { outboxKey } from "./outbox/queue.js";
import type { IngestResult } from "./types.js";

const DELIVERY_RANK: Record<DeliveryStatus, number> = {
  received: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
};

/**
 * Applies a delivery receipt to its message (parks it when the message is not recorded yet).
 *
 * @example
 * await ingestDelivery(ctx, { type: "delivery", channel: "whatsapp", externalId: "wamid.1", status: "read", occurredAt });
 */
export async function ingestDelivery(
  ctx: DeskContext,
  event: DeliveryStatusEvent,
  recheck = true,
): Promise<IngestResult> {
  const result = await withTx(ctx, async (tx) => {
    const message = await tx.findMessageByExternalId(event.channel, event.externalId);
    if (!message && event.messageId) {
      const reconciled = await reconcileByOwnId(ctx, tx, event, event.messageId);
      if (reconciled) return reconciled;
    }
    if (!message) {
      // The receipt may have overtaken the write of its message (a fast provider): park it;
      // recording the message applies it. Receipts for messages storedesk never sent stay parked.
      await parkReceipt(tx, event, ctx.clock.now());
      return null;
    }
    // Receipts arrive out of order: never move backwards (read → delivered), failure always wins.
    const behind = event.status !== "failed" && DELIVERY_RANK[event.status] < DELIVERY_RANK[message.deliveryStatus];
    if (message.deliveryStatus === event.status || behind) {
      return { message, ticket: await tx.getTicket(message.ticketId), changed: false };
    }
    await tx.updateMessageDelivery(message.id, event.status, event.error ?? null);
    const ticket = await tx.getTicket(message.ticketId);
    if (ticket) {
      const drafts: EventDraft[] = [
        {
          type: "delivery.updated",
          data: { messageId: message.id, from: message.deliveryStatus, to: event.status, error: event.error ?? null },
        },
      ];
      if (event.status === "failed")
        drafts.push({ type: "reply.failed", data: { messageId: message.id, error: event.error ?? null } });
      await appendEvents(ctx, tx, ticket.id, drafts, { kind: "system", id: event.channel }, ctx.clock.now());
    }
    return {
      message: { ...message, deliveryStatus: event.status, deliveryError: event.error ?? null },
      ticket,
      changed: true,
    };
  });
  if (!result) {
    // Parking committed; the message may have committed meanwhile, unseen by that transaction.
    // Look once more: with the sender's own look after its commit, one of the two always sees the other.
    if (recheck && (await ctx.store.findMessageByExternalId(event.channel, event.externalId))) {
      const applied = await ingestDelivery(ctx, event, false);
      await ctx.store.transaction((tx) => dropParkedReceipts(tx, [parkedReceiptKey(event)])); // applied: no longer parked
      return applied;
    }
    return { outcome: "parked", ticket: null, message: null };
  }
  if (result.changed)
    ctx.emitter.emit("message.delivery", { message: result.message, status: result.message.deliveryStatus });
  return { outcome: "delivery", ticket: result.ticket, message: result.message };
}

/**
 * After an outbound message is committed with its provider id: applies a receipt that beat the
 * write (fast providers), race-free with the receipt side's own second look.
 *
 * @example
 * await applyParkedReceipt(ctx, "whatsapp", message.externalId, now);
 */
export async function applyParkedReceipt(
  ctx: DeskContext,
  channel: string,
  externalId: string,
  now: Date,
): Promise<void> {
  const early = await ctx.store.transaction((tx) => findParkedReceipt(tx, channel, externalId, ctx.clock.now()));
  if (!early) return;
  await ingestDelivery(
    ctx,
    { type: "delivery", channel, externalId, status: early.status, occurredAt: now, error: early.error },
    false,
  );
  await ctx.store.transaction((tx) => dropParkedReceipts(tx, early.keys)); // applied; left over, they expire
}

/**
 * A receipt that names our message id (the provider echoed it) for an outbound message we have
 * no provider id for — queued (its sender died or timed out after the provider took it) or
 * failed after unanswered attempts: records the provider id and status and drops the pending
 * send, so the outbox does not send it again.
 */
async function reconcileByOwnId(ctx: DeskContext, tx: StoreOps, event: DeliveryStatusEvent, messageId: string) {
  const ours = await tx.getMessage(messageId);
  if (!ours || ours.channel !== event.channel || ours.direction !== "outbound" || ours.externalId !== null) return null;
  if (ours.deliveryStatus !== "queued" && ours.deliveryStatus !== "failed") return null;
  const error = event.status === "failed" ? (event.error ?? null) : null;
  await tx.updateMessage(ours.id, {
    externalId: event.externalId,
    deliveryStatus: event.status,
    deliveryError: error,
    meta: { reconciledByReceipt: true },
  });
  await tx.cancelJob(outboxKey(ours.id));
  const ticket = await tx.getTicket(ours.ticketId);
  if (ticket) {
    const data = { messageId: ours.id, from: ours.deliveryStatus, to: event.status, error, reconciled: true };
    await appendEvents(
      ctx,
      tx,
      ticket.id,
      [{ type: "delivery.updated", data }],
      { kind: "system", id: event.channel },
      ctx.clock.now(),
    );
  }
  return {
    message: { ...ours, externalId: event.externalId, deliveryStatus: event.status, deliveryError: error },
    ticket,
    changed: true,
  };
}
