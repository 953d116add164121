/**
 * One inbound message through the pipeline, in the order it passes the stages:
 * classify → (one transaction: identify-customer → thread → decide → persist) → dedupe when
 * the store refuses a repeat → events → commerce context → acknowledge.
 */
import type { Customer, Identity } from "../../domain/customer.js";
import type { Actor, TicketEvent } from "../../domain/event.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import { attachCommerceContext } from "../commerce-context.js";
import type { DeskContext } from "../context.js";
import type { KnownState } from "../outbox/send-on-ticket.js";
import { emitSlaNotices, type SlaNotice } from "../sla-refresh.js";
import { withTx } from "../transaction.js";
import type { IngestResult } from "../types.js";
import { acknowledge, shouldAcknowledge } from "./acknowledge.js";
import { classifyMessage } from "./classify.js";
import { decideNewTicket, decideOnThread } from "./decide.js";
import { judgeDuplicate } from "./dedupe.js";
import { identifyCustomer } from "./identify-customer.js";
import { inboundMessage, persistChange, receivedDraft } from "./persist.js";
import { threadMessage } from "./thread.js";

interface Persisted {
  outcome: IngestResult["outcome"];
  ticket: Ticket;
  message: Message;
  events: TicketEvent[];
  created: boolean;
  notices: SlaNotice[];
  linked: Identity[];
  customer: Customer;
}

/**
 * Ingests one inbound message: a new ticket, a continued one, a follow-up, or a duplicate.
 *
 * @example
 * const { outcome, ticket } = await ingestMessage(ctx, event);
 */
export async function ingestMessage(ctx: DeskContext, event: InboundMessageEvent): Promise<IngestResult> {
  const classification = await classifyMessage(ctx, event);
  let r: Persisted;
  try {
    r = await withTx(ctx, async (tx): Promise<Persisted> => {
      const now = ctx.clock.now();
      const { customer, linked } = await identifyCustomer(ctx, tx, event, classification, now);
      const found = await threadMessage(tx, event, customer.id, now);
      const message = inboundMessage(ctx, event, customer, classification, now);
      const received = receivedDraft(event, message.id);
      const actor: Actor = { kind: "customer", id: customer.id };
      if (found && found.status !== "closed") {
        const change = decideOnThread(ctx, found, event, classification, received, now);
        const saved = await persistChange(ctx, tx, { before: found, change, message, actor, customer, now });
        const outcome = found.status === "solved" && !event.automatic ? "reopened" : event.automatic ? "auto_reply" : "threaded";
        return { outcome, ...saved, created: false, linked, customer };
      }
      // A new ticket, or a follow-up of a closed one.
      const number = await tx.nextTicketNumber();
      const change = decideNewTicket(ctx, { closed: found, customerId: customer.id, number, received }, event, classification, now);
      const saved = await persistChange(ctx, tx, { before: null, closed: found, change, message, actor, customer, now });
      return { outcome: found ? "follow_up" : "created", ...saved, created: true, linked, customer };
    });
  } catch (err) {
    const verdict = await judgeDuplicate(ctx, err, event);
    if (!verdict) throw err;
    if (verdict.kind === "rescoped") return ingestMessage(ctx, verdict.event);
    return verdict.result;
  }

  const { emitter } = ctx;
  if (r.linked.length > 0) emitter.emit("customer.linked", { customer: r.customer, identities: r.linked });
  if (r.created) emitter.emit("ticket.created", { ticket: r.ticket, message: r.message, classification });
  else emitter.emit("ticket.updated", { ticket: r.ticket, events: r.events });
  emitter.emit("message.received", { ticket: r.ticket, message: r.message });
  emitSlaNotices(ctx, r.ticket, r.notices);

  let ticket = r.ticket;
  let acknowledgement: Message | null = null;
  if (r.created) {
    ticket = (await attachCommerceContext(ctx, ticket, r.customer)) ?? ticket;
    if (!event.automatic && shouldAcknowledge(ctx, ticket)) {
      const known: KnownState = { ticket, customer: r.customer, thread: [r.message] };
      acknowledgement = await acknowledge(ctx, ticket, r.customer, r.message, known).catch((error: unknown) => {
        emitter.emit("error", { error, context: `auto-acknowledgement of ticket ${ticket.id}` });
        return null;
      });
      if (acknowledgement) ticket = known.saved ?? (await ctx.store.getTicket(ticket.id)) ?? ticket;
    }
  }
  return { outcome: r.outcome, ticket, message: r.message, acknowledgement };
}
