/**
 * Stage: after commit, the messages the ingest's decision asked to send (the auto-acknowledgement
 * of a new ticket, naming the expected handling time; plugins' first-contact messages).
 */
import type { Customer } from "../../domain/customer.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Effect } from "../../decision.js";
import type { DeskContext } from "../context.js";
import { performLaterEffects } from "../perform-effects.js";
import type { KnownState } from "../outbox/send-on-ticket.js";

/**
 * Whether a new ticket gets an acknowledgement (not comments; only on the channels the
 * `autoAcknowledge` option names; only where an adapter can send).
 *
 * @example
 * if (shouldAcknowledge(ctx, ticket)) effects.push(ackEffect);
 */
export function shouldAcknowledge(ctx: DeskContext, ticket: Ticket): boolean {
  const setting = ctx.options.autoAcknowledge ?? true;
  if (setting === false || ticket.kind === "comment") return false;
  if (typeof setting === "object" && setting.channels && !setting.channels.includes(ticket.channel)) return false;
  return ctx.channels.has(ticket.channel);
}

/**
 * Sends the ingest's `send` effects on the saved ticket. Returns the acknowledgement (if one
 * was sent) and the ticket as saved with it.
 *
 * @example
 * const { acknowledgement, ticket } = await acknowledge(ctx, ticket, customer, inbound, sends);
 */
export async function acknowledge(
  ctx: DeskContext, ticket: Ticket, customer: Customer, inbound: Message, sends: Effect[],
): Promise<{ acknowledgement: Message | null; ticket: Ticket }> {
  if (sends.length === 0) return { acknowledgement: null, ticket };
  const known: KnownState = { ticket, customer, thread: [inbound] };
  // The acknowledgement first: decided last (ticketSaving), it is still what the customer reads first.
  sends = [...sends.filter((e) => e.type === "send" && e.reason === "auto_ack"), ...sends.filter((e) => !(e.type === "send" && e.reason === "auto_ack"))];
  const sent = await performLaterEffects(ctx, ticket, sends, known);
  const acknowledgement = sent.find((s) => s.effect.type === "send" && s.effect.reason === "auto_ack")?.message ?? null;
  if (!sent.some((s) => s.message)) return { acknowledgement, ticket };
  return { acknowledgement, ticket: known.saved ?? (await ctx.store.getTicket(ticket.id)) ?? ticket };
}
