/**
 * Stage: after commit, the messages the ingest's decision queued (the auto-acknowledgement of
 * a new ticket, naming the expected handling time; plugins' first-contact messages) start
 * sending.
 */
import type { Customer } from "../../domain/customer.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import type { DeskContext } from "../context.js";
import type { Queued } from "../outbox/queue.js";
import { sendQueued } from "../outbox/sender.js";

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
 * Starts the sends the ingest queued (waiting for their first attempt when the desk's
 * `outbox.wait` is `sent`). Returns the acknowledgement, if one was queued, as it stands.
 * A failed send is on record as a failed message and reported on `error`, never thrown:
 * the inbound message is committed.
 *
 * @example
 * const acknowledgement = await acknowledge(ctx, ticket, customer, inbound, queued);
 */
export async function acknowledge(
  ctx: DeskContext,
  ticket: Ticket,
  customer: Customer,
  inbound: Message,
  queued: readonly Queued[],
): Promise<Message | null> {
  if (queued.length === 0) return null;
  const known = { ticket, customer, thread: [inbound] };
  // The acknowledgement first: decided last (ticketSaving), it is still what the customer reads first.
  queued = [...queued].sort(
    (a, b) => Number(b.message.meta.purpose === "auto_ack") - Number(a.message.meta.purpose === "auto_ack"),
  );
  const messages = await sendQueued(ctx, ticket, queued, undefined, known).catch((error: unknown) => {
    ctx.emitter.emit("error", { error, context: `auto-acknowledgement of ticket ${ticket.id}` });
    return null;
  });
  const ack = (list: readonly Message[]) => list.find((m) => m.meta.purpose === "auto_ack") ?? null;
  if (messages) return ack(messages);
  const failed = ack(queued.map((q) => q.message));
  return failed ? ((await ctx.store.getMessage(failed.id)) ?? failed) : null;
}
