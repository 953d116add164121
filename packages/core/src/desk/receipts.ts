/**
 * Delivery receipts (sent, delivered, read, failed) of outbound messages: applied in order,
 * never backwards; a receipt that overtakes the write of its message is parked until then.
 */
import type { DeliveryStatusEvent } from "../domain/inbound.js";
import type { DeliveryStatus, Message } from "../domain/message.js";
import type { EventDraft } from "../decision.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import { appendEvents } from "./audit-log.js";
import type { DeskContext } from "./context.js";
import { withTx } from "./transaction.js";
import type { IngestResult } from "./types.js";

/** Delivery receipts that arrived before their message was recorded wait here (idempotency scope). */
const EARLY_RECEIPT_SCOPE = "early-receipt";
const DELIVERY_RANK: Record<DeliveryStatus, number> = { received: 0, queued: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

/** Key of a parked receipt: channel and status hold no ":", so the external id can come last as it is. */
function parkedKey(channel: string, externalId: string, status: DeliveryStatus): string {
  return `${channel}:${status}:${externalId}`;
}

/**
 * Applies a delivery receipt to its message (parks it when the message is not recorded yet).
 *
 * @example
 * await ingestDelivery(ctx, { type: "delivery", channel: "whatsapp", externalId: "wamid.1", status: "read", occurredAt });
 */
export async function ingestDelivery(ctx: DeskContext, event: DeliveryStatusEvent, recheck = true): Promise<IngestResult> {
  const result = await withTx(ctx, async (tx) => {
    const message = await tx.findMessageByExternalId(event.channel, event.externalId);
    if (!message) {
      // The receipt may have overtaken the write of its message (a fast provider): park it;
      // recording the message applies it. Receipts for messages storedesk never sent stay parked.
      await parkReceipt(ctx, tx, event);
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
      const drafts: EventDraft[] = [{
        type: "delivery.updated",
        data: { messageId: message.id, from: message.deliveryStatus, to: event.status, error: event.error ?? null },
      }];
      if (event.status === "failed") drafts.push({ type: "reply.failed", data: { messageId: message.id, error: event.error ?? null } });
      await appendEvents(ctx, tx, ticket.id, drafts, { kind: "system", id: event.channel }, ctx.clock.now());
    }
    return { message: { ...message, deliveryStatus: event.status, deliveryError: event.error ?? null }, ticket, changed: true };
  });
  if (!result) {
    // Parking committed; the message may have committed meanwhile, unseen by that transaction.
    // Look once more: with the sender's own look after its commit, one of the two always sees the other.
    if (recheck && (await ctx.store.findMessageByExternalId(event.channel, event.externalId))) return ingestDelivery(ctx, event, false);
    return { outcome: "parked", ticket: null, message: null };
  }
  if (result.changed) ctx.emitter.emit("message.delivery", { message: result.message, status: result.message.deliveryStatus });
  return { outcome: "delivery", ticket: result.ticket, message: result.message };
}

/** Parks a receipt under its channel, external id and status (one record each, so none overwrites another). */
async function parkReceipt(ctx: DeskContext, tx: StoreOps, event: DeliveryStatusEvent): Promise<void> {
  const key = parkedKey(event.channel, event.externalId, event.status);
  await tx.putIdempotency({ scope: EARLY_RECEIPT_SCOPE, key, result: { error: event.error ?? null }, createdAt: ctx.clock.now() })
    .catch((err: unknown) => { if (!StoredeskError.is(err, "CONFLICT")) throw err; });
}

/** The furthest parked receipt of a message just recorded, if any (failure wins). */
async function parkedReceipt(
  tx: StoreOps, channel: string, externalId: string,
): Promise<{ status: DeliveryStatus; error: Message["deliveryError"] } | null> {
  for (const status of ["failed", "read", "delivered", "sent"] as const) {
    const parked = await tx.getIdempotency(EARLY_RECEIPT_SCOPE, parkedKey(channel, externalId, status));
    if (parked) return { status, error: (parked.result as { error?: Message["deliveryError"] }).error ?? null };
  }
  return null;
}

/**
 * After an outbound message is committed with its provider id: applies a receipt that beat the
 * write (fast providers), race-free with the receipt side's own second look.
 *
 * @example
 * await applyParkedReceipt(ctx, "whatsapp", message.externalId, now);
 */
export async function applyParkedReceipt(ctx: DeskContext, channel: string, externalId: string, now: Date): Promise<void> {
  const early = await ctx.store.transaction((tx) => parkedReceipt(tx, channel, externalId));
  if (!early) return;
  await ingestDelivery(ctx, { type: "delivery", channel, externalId, status: early.status, occurredAt: now, error: early.error }, false);
}
