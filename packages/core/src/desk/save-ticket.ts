/** The common tail of every ticket change, and the load-decide-save loop around it. */
import type { Customer } from "../domain/customer.js";
import type { Actor, TicketEvent } from "../domain/event.js";
import type { Ticket } from "../domain/ticket.js";
import type { Decision, Effect, EventDraft } from "../decision.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import { buildEvents, writeEvents } from "./audit-log.js";
import type { DeskContext } from "./context.js";
import { performStoreEffects } from "./perform-effects.js";
import { performLaterEffects, reportRefusedSends } from "./perform-effects.js";
import { queueSendEffects } from "./outbox/queue.js";
import { sendQueued } from "./outbox/sender.js";
import { runTicketHooks } from "./plugins/run-hooks.js";
import { withTx } from "./transaction.js";
import type { Queued, RefusedSend } from "./outbox/queue.js";

/** What a save wrote, and the effects left for after commit. */
export interface SavedTicket {
  ticket: Ticket;
  events: TicketEvent[];
  later: Effect[];
}

/**
 * Saves a ticket change inside a transaction: its audit events, the plugins' `statusChanged`
 * and `ticketSaving` hooks (the SLA engine, auto-close), their in-transaction effects and the
 * versioned write (an insert when `before` is null).
 *
 * @example
 * const saved = await saveTicket(ctx, tx, current, next, [{ type: "tags.changed", data }], actor, now);
 */
export async function saveTicket(
  ctx: DeskContext,
  tx: StoreOps,
  before: Ticket | null,
  after: Ticket,
  drafts: EventDraft[],
  actor: Actor,
  now: Date,
  customer?: Customer,
): Promise<SavedTicket> {
  const log = before ? await tx.listEvents(after.id) : [];
  const written = buildEvents(ctx, after.id, drafts, actor, now, log);
  let ticket = after;
  const effects: Effect[] = [];
  if (before && before.status !== after.status && ctx.hooks.statusChanged.length > 0) {
    const hooked = await runTicketHooks(ctx, tx, "statusChanged", ticket, { before }, now);
    ticket = hooked.ticket;
    written.push(...buildEvents(ctx, after.id, hooked.events, actor, now, log));
    effects.push(...hooked.effects);
  }
  if (ctx.hooks.ticketSaving.length > 0) {
    const owner = customer?.id === ticket.customerId ? customer : await tx.getCustomer(ticket.customerId);
    const hooked = await runTicketHooks(ctx, tx, "ticketSaving", ticket, { before, log, customer: owner }, now);
    ticket = hooked.ticket;
    written.push(...buildEvents(ctx, after.id, hooked.events, actor, now, log));
    effects.push(...hooked.effects);
  }
  const later = effects.length > 0 ? await performStoreEffects(ctx, tx, effects) : [];
  await writeEvents(tx, written);
  if (before) {
    ticket = { ...ticket, version: before.version + 1, updatedAt: now };
    await tx.updateTicket(ticket, before.version);
  } else {
    await tx.insertTicket(ticket);
  }
  return { ticket, events: written, later };
}

/** A pure decision over the current ticket, run inside the transaction. */
export type TicketDecider = (ticket: Ticket, tx: StoreOps, now: Date) => Promise<Decision<Ticket>> | Decision<Ticket>;

/**
 * Loads a ticket, applies a pure decision and saves it with its events and effects, retrying
 * on a version conflict; emits `ticket.updated` and the SLA notices after commit.
 *
 * @example
 * const { ticket } = await mutateTicket(ctx, id, actor, (t, _tx, now) => applyTicketAction(t, action, now));
 */
export async function mutateTicket(
  ctx: DeskContext,
  ticketId: string,
  actor: Actor,
  decide: TicketDecider,
  extra?: (tx: StoreOps, ticket: Ticket, now: Date) => Promise<void>,
  opts: { at?: Date } = {},
): Promise<SavedTicket & { queued: Queued[]; refused: RefusedSend[] }> {
  const result = await withTx(ctx, async (tx) => {
    // A job may run for a moment later than the clock (runDue(now)): never go back in time.
    const clockNow = ctx.clock.now();
    const now = opts.at && opts.at > clockNow ? opts.at : clockNow;
    const current = await tx.getTicket(ticketId);
    if (!current)
      throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
    const decision = await decide(current, tx, now);
    if (!decision.ok) throw decision.error;
    if (decision.value === current && decision.events.length === 0 && decision.effects.length === 0 && !extra) {
      return {
        ticket: current,
        events: [] as TicketEvent[],
        later: [] as Effect[],
        queued: [] as Queued[],
        refused: [] as RefusedSend[],
      };
    }
    const later = await performStoreEffects(ctx, tx, decision.effects);
    const saved = await saveTicket(ctx, tx, current, decision.value, decision.events, actor, now);
    if (extra) await extra(tx, saved.ticket, now);
    // The decision's messages go to the outbox in its own transaction: both land, or neither.
    const all = [...later, ...saved.later];
    const outbox = all.some((e) => e.type === "send")
      ? await queueSendEffects(ctx, tx, { ticket: saved.ticket, customer: null, effects: all, log: saved.events, now })
      : { queued: [], refused: [] };
    return Object.assign({}, saved, { later: all.filter((e) => e.type !== "send") }, outbox);
  });
  if (result.events.length > 0) ctx.emitter.emit("ticket.updated", { ticket: result.ticket, events: result.events });
  reportRefusedSends(ctx, result.refused);
  await performLaterEffects(ctx, result.ticket, result.later);
  await sendQueued(ctx, result.ticket, result.queued, "queued");
  return result;
}
