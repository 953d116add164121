/** Numbering and writing a ticket's append-only audit events. */
import type { Actor, TicketEvent } from "../domain/event.js";
import type { EventDraft } from "../decision.js";
import type { StoreOps } from "../ports/store.js";
import type { DeskContext } from "./context.js";

/**
 * Numbers audit events after `log` (the ticket's events so far, read once per transaction and
 * extended in place, so seq numbers continue without re-reading). Nothing is written yet.
 *
 * @example
 * const events = buildEvents(ctx, ticket.id, [{ type: "note.added", data: {} }], actor, now, log);
 */
export function buildEvents(
  ctx: DeskContext,
  ticketId: string,
  drafts: EventDraft[],
  actor: Actor,
  at: Date,
  log: TicketEvent[],
): TicketEvent[] {
  let seq = log.length === 0 ? 0 : log[log.length - 1]!.seq;
  const built = drafts.map((draft) => ({
    id: ctx.newId(),
    ticketId,
    seq: ++seq,
    type: draft.type,
    at,
    actor: draft.actor ?? actor,
    data: draft.data,
  }));
  log.push(...built);
  return built;
}

/**
 * Writes events in one round trip when the store can.
 *
 * @example
 * await writeEvents(tx, events);
 */
export async function writeEvents(tx: StoreOps, events: TicketEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (tx.appendEvents && events.length > 1) await tx.appendEvents(events);
  else for (const event of events) await tx.appendEvent(event);
}

/**
 * Numbers and writes audit events after the ticket's log (`log` when the caller holds it).
 *
 * @example
 * await appendEvents(ctx, tx, ticketId, [{ type: "customer.merged", data }], actor, now);
 */
export async function appendEvents(
  ctx: DeskContext,
  tx: StoreOps,
  ticketId: string,
  drafts: EventDraft[],
  actor: Actor,
  at: Date,
  log?: TicketEvent[],
): Promise<TicketEvent[]> {
  if (drafts.length === 0) return [];
  const written = buildEvents(ctx, ticketId, drafts, actor, at, log ?? (await tx.listEvents(ticketId)));
  await writeEvents(tx, written);
  return written;
}
