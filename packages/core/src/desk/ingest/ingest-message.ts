/**
 * One inbound message through the pipeline, in the order it passes the stages:
 * classify → (one transaction: identify-customer → thread → decide → plugins' hooks → persist)
 * → outbox (the acknowledgement queued) → dedupe when the store refuses a repeat → events →
 * after-commit hooks (commerce context, within a budget) → acknowledge (the queued sends start).
 */
import type { Customer, Identity } from "../../domain/customer.js";
import type { Actor, TicketEvent } from "../../domain/event.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { Message } from "../../domain/message.js";
import type { Classification } from "../../classify/classify-text.js";
import type { StoreOps } from "../../ports/store.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Effect } from "../../decision.js";
import type { DeskContext } from "../context.js";
import { performLaterEffects, reportRefusedSends } from "../perform-effects.js";
import { queueSendEffects, type Queued, type RefusedSend } from "../outbox/queue.js";
import { runAfterTicketCreated } from "../plugins/after-commit.js";
import { runTicketHooks } from "../plugins/run-hooks.js";
import { withTx } from "../transaction.js";
import type { IngestResult } from "../types.js";
import { acknowledge } from "./acknowledge.js";
import { classifyMessage } from "./classify.js";
import { decideNewTicket, decideOnThread, type TicketChange } from "./decide.js";
import { judgeDuplicate } from "./dedupe.js";
import { identifyCustomer } from "./identify-customer.js";
import { inboundMessage, persistChange, receivedDraft } from "./persist.js";
import { threadMessage } from "./thread.js";
import { suspectedThreadEvents } from "../threading.js";
import { appendEvents } from "../audit-log.js";

/** What the ingest transaction wrote for one message, for the steps after commit. */
export interface Persisted {
  outcome: IngestResult["outcome"];
  ticket: Ticket;
  message: Message;
  events: TicketEvent[];
  later: Effect[];
  created: boolean;
  linked: Identity[];
  customer: Customer;
  /** The decision's messages, written to the outbox in the ingest's transaction. */
  queued: Queued[];
  refused: RefusedSend[];
}

/**
 * The ingest transaction's work for one message: customer, thread, decision, hooks, writes and
 * the outbox, inside `tx` (one message's own transaction, or a webhook batch's shared one).
 *
 * @example
 * const persisted = await withTx(ctx, (tx) => persistInbound(ctx, tx, event, classification));
 */
export async function persistInbound(
  ctx: DeskContext,
  tx: StoreOps,
  event: InboundMessageEvent,
  classification: Classification,
): Promise<Persisted> {
  const now = ctx.clock.now();
  const { customer, linked } = await identifyCustomer(ctx, tx, event, classification, now);
  const { ticket: found, suspected, stale, rekeyFrom } = await threadMessage(tx, event, customer.id, now);
  // One open ticket per conversation: the stale one (past the window) gives its key to the new one.
  if (stale) await releaseConversationKey(ctx, tx, stale, now);
  const message = inboundMessage(ctx, event, customer, classification, now);
  const received = receivedDraft(event, message.id);
  const actor: Actor = { kind: "customer", id: customer.id };
  // A reply id naming another customer's ticket: kept off it, linked both ways for an agent.
  const linkSuspected = async (ticket: Ticket) => {
    if (!suspected) return;
    for (const link of suspectedThreadEvents(suspected, ticket, message.id)) {
      await appendEvents(ctx, tx, link.ticketId, [link.draft], actor, now);
    }
  };
  // The decision's `send` effects (the acknowledgement…) are queued in this same transaction.
  const toOutbox = async <S extends { ticket: Ticket; events: TicketEvent[]; later: Effect[] }>(saved: S) => {
    if (!saved.later.some((e) => e.type === "send"))
      return Object.assign({ queued: [] as Queued[], refused: [] as RefusedSend[] }, saved);
    const outbox = await queueSendEffects(ctx, tx, {
      ticket: saved.ticket,
      customer,
      effects: saved.later,
      log: saved.events,
      now,
    });
    return Object.assign({}, saved, { later: saved.later.filter((e) => e.type !== "send") }, outbox);
  };
  const hooked = async (change: TicketChange, stage: "ticketCreated" | "customerMessage", before: Ticket | null) => {
    if (ctx.hooks[stage].length === 0) return change;
    const withId = { ...message, ticketId: change.ticket.id };
    const args =
      stage === "ticketCreated"
        ? { customer, message: withId, classification }
        : { customer, message: withId, classification, before: before! };
    const h = await runTicketHooks(ctx, tx, stage, change.ticket, args as never, now);
    return { ticket: h.ticket, events: [...change.events, ...h.events], effects: [...change.effects, ...h.effects] };
  };
  if (found && found.status !== "closed") {
    const decided = decideOnThread(ctx, found, event, classification, received, now);
    const change = await hooked(rekeyFrom ? rekeyed(decided, rekeyFrom, event) : decided, "customerMessage", found);
    const saved = await toOutbox(
      await persistChange(ctx, tx, { before: found, change, message, actor, customer, now }),
    );
    await linkSuspected(found);
    // What happened, not what the message usually does: a hook may keep a solved ticket solved
    // (a CSAT survey tap), and then nothing was reopened.
    const reopened = found.status === "solved" && saved.ticket.status !== "solved";
    const outcome = event.automatic ? "auto_reply" : reopened ? "reopened" : "threaded";
    return { outcome, ...saved, created: false, linked, customer };
  }
  // A new ticket, or a follow-up of a closed one.
  const number = await tx.nextTicketNumber();
  const decided = decideNewTicket(
    ctx,
    { closed: found, customerId: customer.id, number, received },
    event,
    classification,
    now,
  );
  const change = await hooked(decided, "ticketCreated", null);
  const saved = await toOutbox(
    await persistChange(ctx, tx, { before: null, closed: found, change, message, actor, customer, now }),
  );
  await linkSuspected(change.ticket);
  return { outcome: found ? "follow_up" : "created", ...saved, created: true, linked, customer };
}

/**
 * Ingests one inbound message: a new ticket, a continued one, a follow-up, or a duplicate.
 *
 * @example
 * const { outcome, ticket } = await ingestMessage(ctx, event);
 * // `done`: a batch's transaction already wrote it (see persistInbound); only the steps after commit run.
 */
export async function ingestMessage(
  ctx: DeskContext,
  event: InboundMessageEvent,
  done?: { classification: Classification; persisted: Persisted },
): Promise<IngestResult> {
  const classification = done?.classification ?? (await classifyMessage(ctx, event));
  let r: Persisted;
  if (done) {
    r = done.persisted;
  } else {
    try {
      r = await withTx(ctx, (tx) => persistInbound(ctx, tx, event, classification));
    } catch (err) {
      const verdict = await judgeDuplicate(ctx, err, event);
      if (!verdict) throw err;
      if (verdict.kind === "rescoped") return ingestMessage(ctx, verdict.event);
      return verdict.result;
    }
  }

  const { emitter } = ctx;
  if (r.linked.length > 0) emitter.emit("customer.linked", { customer: r.customer, identities: r.linked });
  if (r.created) emitter.emit("ticket.created", { ticket: r.ticket, message: r.message, classification });
  else emitter.emit("ticket.updated", { ticket: r.ticket, events: r.events });
  emitter.emit("message.received", { ticket: r.ticket, message: r.message });
  reportRefusedSends(ctx, r.refused);
  await performLaterEffects(ctx, r.ticket, r.later);

  let ticket = r.ticket;
  if (r.created) ticket = await runAfterTicketCreated(ctx, ticket, r.customer, r.message);
  const acknowledgement = await acknowledge(ctx, ticket, r.customer, r.message, r.queued);
  return { outcome: r.outcome, ticket, message: r.message, acknowledgement };
}

/** The change with the ticket moved from an old key of its conversation to the event's key. */
function rekeyed(change: TicketChange, from: string, event: InboundMessageEvent): TicketChange {
  const to = event.conversationKey ?? null;
  return {
    ...change,
    ticket: { ...change.ticket, conversationKey: to },
    events: [...change.events, { type: "conversation.rekeyed", data: { from, to } }],
  };
}

/**
 * Takes the conversation key off an open ticket past the channel's threading window, so the
 * new ticket of the same conversation can hold it; the old key stays in `meta` and the audit log.
 */
async function releaseConversationKey(ctx: DeskContext, tx: StoreOps, stale: Ticket, now: Date): Promise<void> {
  const key = stale.conversationKey;
  const next: Ticket = {
    ...stale,
    conversationKey: null,
    meta: { ...stale.meta, staleConversationKey: key },
    version: stale.version + 1,
    updatedAt: now,
  };
  await tx.updateTicket(next, stale.version);
  await appendEvents(
    ctx,
    tx,
    stale.id,
    [{ type: "conversation.released", data: { conversationKey: key, reason: "thread_window_passed" } }],
    { kind: "system", id: "threading" },
    now,
  );
}
