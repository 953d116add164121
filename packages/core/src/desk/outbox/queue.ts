/**
 * Writing to the outbox: a `queued` message and its `outbox.send` job, in the transaction of
 * the decision that makes the message (a reply, an acknowledgement, a plugin's `send` effect).
 */
import type { Customer } from "../../domain/customer.js";
import type { Actor, TicketEvent } from "../../domain/event.js";
import type { Job } from "../../domain/job.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import type { Effect, EventDraft } from "../../decision.js";
import { StoredeskError } from "../../errors.js";
import type { StoreOps } from "../../ports/store.js";
import { renderTemplate } from "../../template/render-template.js";
import { appendEvents } from "../audit-log.js";
import { chooseTemplate } from "../choose-template.js";
import type { DeskContext } from "../context.js";
import { dueVariables, expectedBy, ticketVariables } from "../template-variables.js";
import type { AutomaticPurpose } from "../types.js";
import { prepareOutbound } from "./prepare-outbound.js";

/** The job type that sends one queued message. */
export const OUTBOX_JOB = "outbox.send";

/** The job key of a message's send: one pending send per message. */
export function outboxKey(messageId: string): string {
  return `outbox:${messageId}`;
}

/** A message written to the outbox with the job that sends it (leased to this instance). */
export interface Queued {
  message: Message;
  job: Job;
}

/**
 * The `outbox.send` job of a message, leased to this instance for `leaseMs`: this instance
 * sends right after commit; if it dies first, the lease ends and any instance's scheduler sends it.
 *
 * @example
 * await tx.scheduleJob(outboxJob(ctx, message, now));
 */
export function outboxJob(ctx: DeskContext, message: Pick<Message, "id" | "ticketId">, now: Date): Job {
  return {
    id: ctx.newId(),
    key: outboxKey(message.id),
    type: OUTBOX_JOB,
    ticketId: message.ticketId,
    runAt: now,
    payload: { messageId: message.id },
    attempts: 0,
    lockedBy: ctx.workerId,
    lockedUntil: new Date(now.getTime() + ctx.settings.outbox.leaseMs),
  };
}

/**
 * Inserts the queued message and its send job ({@link outboxJob}) in one store write (one
 * statement on PostgreSQL).
 *
 * @example
 * const queued = await queueMessage(ctx, tx, message, now);
 */
export async function queueMessage(ctx: DeskContext, tx: StoreOps, message: Message, now: Date): Promise<Queued> {
  const job = outboxJob(ctx, message, now);
  await tx.insertMessage(message, { scheduleJob: job });
  return { message, job };
}

/** A `send` effect the outbox refused at queue time (reported on `error` after commit). */
export interface RefusedSend {
  effect: Extract<Effect, { type: "send" }>;
  error: unknown;
}

/**
 * Queues the `send` effects of a decision on the saved ticket, in its transaction: renders the
 * template (ticket variables, `due.*`, the effect's own), runs the outbox checks, writes the
 * message (the effect's `authorKind`, `options` and `messageId`), its job and the
 * `ack.sent`/`reply.sent` audit event by the effect's author after `log` (the events this
 * transaction wrote, whose last one has the ticket's latest seq; read from the store when
 * absent). A send the checks refuse is returned, not thrown: the decision itself stands.
 *
 * @example
 * const { queued, refused } = await queueSendEffects(ctx, tx, { ticket, customer, effects, log, now });
 */
export async function queueSendEffects(
  ctx: DeskContext,
  tx: StoreOps,
  args: { ticket: Ticket; customer: Customer | null; effects: readonly Effect[]; log?: TicketEvent[]; now: Date },
): Promise<{ queued: Queued[]; refused: RefusedSend[] }> {
  const queued: Queued[] = [];
  const refused: RefusedSend[] = [];
  for (const effect of args.effects) {
    if (effect.type !== "send") continue;
    try {
      const same = effect.ticketId === args.ticket.id;
      const ticket = same ? args.ticket : await tx.getTicket(effect.ticketId);
      if (!ticket)
        throw new StoredeskError({
          code: "NOT_FOUND",
          message: `Ticket ${effect.ticketId} not found`,
          path: ["ticketId"],
        });
      const customer =
        (args.customer?.id === ticket.customerId ? args.customer : null) ?? (await tx.getCustomer(ticket.customerId));
      if (!customer)
        throw new StoredeskError({ code: "NOT_FOUND", message: `Customer of ticket ${ticket.id} not found` });
      const { text, subject, events: chosen } = await renderSendEffect(ctx, tx, effect, ticket, customer, args.now);
      const ack = effect.reason === "auto_ack";
      const authorKind = effect.authorKind ?? "system";
      const actor: Actor = { kind: authorKind, id: effect.authorId ?? (ack ? "auto-ack" : effect.reason) };
      const input = {
        text,
        subject,
        authorKind,
        automatic: effect.automatic,
        purpose: effect.reason as AutomaticPurpose,
        ...(effect.options ? { options: effect.options } : {}),
      };
      const prepared = await prepareOutbound(ctx, { ticket, customer, input, actor, now: args.now });
      const message = effect.messageId ? { ...prepared, id: effect.messageId } : prepared;
      queued.push(await queueMessage(ctx, tx, message, args.now));
      const data = {
        messageId: message.id,
        channel: message.channel,
        authorKind,
        automatic: message.automatic,
        visibility: message.visibility,
        template: null,
        queued: true,
      };
      await appendEvents(
        ctx,
        tx,
        ticket.id,
        [...chosen, { type: ack ? "ack.sent" : "reply.sent", data }],
        actor,
        args.now,
        same && args.log?.length ? args.log : undefined,
      );
    } catch (error) {
      if (StoredeskError.is(error) && (error.code === "CONFLICT" || error.code === "PROVIDER_UNAVAILABLE")) throw error; // the transaction retries
      refused.push({ effect, error });
    }
  }
  return { queued, refused };
}

/** A send effect's text: its registered template (or the variant a plugin chose) rendered for the ticket, or its text. */
async function renderSendEffect(
  ctx: DeskContext,
  tx: StoreOps,
  effect: Extract<Effect, { type: "send" }>,
  ticket: Ticket,
  customer: Customer,
  now: Date,
): Promise<{ text: string; subject: string | null; events: EventDraft[] }> {
  if (!effect.templateId) return { text: effect.text ?? "", subject: null, events: [] };
  const { template, events } = await chooseTemplate(ctx, tx, { ticket, templateId: effect.templateId, now });
  const locale = customer.locale ?? ticket.language ?? ctx.settings.defaultLocale;
  const variables = {
    ...ticketVariables(ctx, ticket, customer, locale),
    due: dueVariables(ctx, expectedBy(ticket), locale),
    ...effect.variables,
  };
  const rendered = renderTemplate(template, variables, locale, { onMissing: "empty" });
  return { text: rendered.body, subject: rendered.subject, events };
}
