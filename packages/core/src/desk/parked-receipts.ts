/**
 * Delivery receipts that overtook the write of their message wait here as keyed records until the
 * message is recorded; applying one deletes it, and one whose message never comes (a message sent
 * from the provider's own console) expires after {@link PARKED_RECEIPT_TTL_MS}.
 */
import { createHash } from "node:crypto";
import type { DeliveryStatusEvent } from "../domain/inbound.js";
import type { DeliveryStatus, Message } from "../domain/message.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";

/** The keyed-records namespace of parked receipts. */
export const PARKED_RECEIPTS_NAMESPACE = "desk.early-receipt";
/** How long a parked receipt waits for its message: providers report within seconds; a day is generous. */
export const PARKED_RECEIPT_TTL_MS = 24 * 3_600_000;
/** Expired receipts purged per parking, so the namespace stays small without a separate sweeper. */
const PURGE_PER_PARK = 100;

/** Statuses a receipt can report, furthest first (failure wins). */
const STATUSES = ["failed", "read", "delivered", "sent"] as const;

/**
 * `channel:externalId:` — every status of one message shares this prefix (statuses hold no ":").
 * An id too long for a record key (keys hold 512 UTF-8 bytes; ids may have 512 themselves) is
 * hashed, so a receipt for any id the desk accepts can be parked.
 */
function prefixOf(channel: string, externalId: string): string {
  const prefix = `${channel}:${externalId}:`;
  if (Buffer.byteLength(prefix, "utf8") + "delivered".length <= 512) return prefix;
  return `${channel}:sha256:${createHash("sha256").update(externalId, "utf8").digest("hex")}:`;
}

/**
 * Parks a receipt (one record per status, so none overwrites another; a repeat is a no-op) and
 * purges a few expired ones of the namespace.
 *
 * @example
 * await parkReceipt(tx, { type: "delivery", channel: "whatsapp", externalId: "wamid.1", status: "read", occurredAt }, now);
 */
export async function parkReceipt(tx: StoreOps, event: DeliveryStatusEvent, now: Date): Promise<void> {
  await tx
    .putRecord(
      {
        namespace: PARKED_RECEIPTS_NAMESPACE,
        key: parkedReceiptKey(event),
        value: { error: event.error ?? null },
        updatedAt: now,
        expiresAt: new Date(now.getTime() + PARKED_RECEIPT_TTL_MS),
      },
      null,
    )
    .catch((err: unknown) => {
      if (!StoredeskError.is(err, "CONFLICT")) throw err;
    });
  await tx.purgeExpiredRecords(PARKED_RECEIPTS_NAMESPACE, now, PURGE_PER_PARK);
}

/**
 * The furthest live parked receipt of a message (one statement), with the keys to drop once applied.
 *
 * @example
 * const early = await findParkedReceipt(tx, "whatsapp", "wamid.1", now); // { status: "read", error: null, keys: [...] }
 */
export async function findParkedReceipt(
  tx: StoreOps,
  channel: string,
  externalId: string,
  now: Date,
): Promise<{ status: DeliveryStatus; error: Message["deliveryError"]; keys: string[] } | null> {
  const prefix = prefixOf(channel, externalId);
  // The prefix also matches longer ids ("a:b" under "a:"): only exact `prefix + status` keys count.
  const records = await tx.listRecords(PARKED_RECEIPTS_NAMESPACE, { prefix, now, limit: 50 });
  const byStatus = new Map(records.map((r) => [r.key, r]));
  const keys = STATUSES.map((s) => prefix + s).filter((k) => byStatus.has(k));
  for (const status of STATUSES) {
    const parked = byStatus.get(prefix + status);
    if (parked)
      return { status, error: (parked.value as { error?: Message["deliveryError"] } | null)?.error ?? null, keys };
  }
  return null;
}

/** The key a receipt is parked under. */
export function parkedReceiptKey(event: Pick<DeliveryStatusEvent, "channel" | "externalId" | "status">): string {
  return prefixOf(event.channel, event.externalId) + event.status;
}

/**
 * Deletes parked receipts once applied (the message now carries their status); returns how many went.
 *
 * @example
 * await dropParkedReceipts(tx, early.keys);
 */
export async function dropParkedReceipts(tx: StoreOps, keys: readonly string[]): Promise<number> {
  let dropped = 0;
  for (const key of keys) if (await tx.deleteRecord(PARKED_RECEIPTS_NAMESPACE, key)) dropped++;
  return dropped;
}
