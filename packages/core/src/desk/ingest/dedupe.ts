/**
 * Stage: a repeat delivery is a no-op. There is no lookup first: the store's unique
 * (channel, externalId) decides, and a redelivery rolls its transaction back (redeliveries are
 * rare; the common path saves a round trip).
 */
import { identityKey, normalizeIdentity } from "../../domain/customer.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import { StoredeskError } from "../../errors.js";
import { liveCustomer } from "../actions/identities.js";
import type { DeskContext } from "../context.js";
import { liveTicket } from "../threading.js";
import type { IngestResult } from "../types.js";

/** What to do with a message the store refused as a duplicate. */
export type DuplicateVerdict =
  | { kind: "duplicate"; result: IngestResult }
  /** Another sender reused the id (a mailer with fixed Message-IDs): ingest it under this scoped id. */
  | { kind: "rescoped"; event: InboundMessageEvent }
  | null;

/**
 * Judges an ingest that failed: a duplicate of what is on record, a new message under a reused
 * id, or (null) a failure that is not about duplicates at all.
 *
 * @example
 * const verdict = await judgeDuplicate(ctx, err, event);
 */
export async function judgeDuplicate(
  ctx: DeskContext,
  err: unknown,
  event: InboundMessageEvent,
): Promise<DuplicateVerdict> {
  if (!StoredeskError.is(err, "CONFLICT") || err.details?.duplicate !== true) return null;
  const winner = await ctx.store.findMessageByExternalId(event.channel, event.externalId);
  if (!winner) return null;
  const primary = event.from.identities[0]!;
  const sender = await ctx.store.findCustomerByIdentity(normalizeIdentity(primary));
  const author = winner.authorId ? await liveCustomer(ctx, winner.authorId) : null; // follows customer merges
  if (
    winner.direction === "inbound" &&
    author !== null &&
    author.id !== sender?.id &&
    !event.externalId.includes("#from:")
  ) {
    return { kind: "rescoped", event: { ...event, externalId: `${event.externalId}#from:${identityKey(primary)}` } };
  }
  const ticket = await liveTicket(ctx.store, await ctx.store.getTicket(winner.ticketId));
  return { kind: "duplicate", result: { outcome: "duplicate", ticket, message: winner } };
}
