/** Stage: the auto-acknowledgement of a new ticket, naming the expected handling time. */
import type { Customer } from "../../domain/customer.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import { renderTemplate } from "../../template/render-template.js";
import type { DeskContext } from "../context.js";
import { sendOnTicket, type KnownState } from "../outbox/send-on-ticket.js";
import { dueVariables, expectedBy, ticketVariables } from "../template-variables.js";

/**
 * Whether a new ticket gets an acknowledgement (not comments; only on the channels the
 * `autoAcknowledge` option names; only where an adapter can send).
 *
 * @example
 * if (shouldAcknowledge(ctx, ticket)) await acknowledge(ctx, ticket, customer, inbound);
 */
export function shouldAcknowledge(ctx: DeskContext, ticket: Ticket): boolean {
  const setting = ctx.options.autoAcknowledge ?? true;
  if (setting === false || ticket.kind === "comment") return false;
  if (typeof setting === "object" && setting.channels && !setting.channels.includes(ticket.channel)) return false;
  return ctx.channels.has(ticket.channel);
}

/**
 * Sends the acknowledgement (the `auto_ack` template, in the customer's language).
 *
 * @example
 * const ack = await acknowledge(ctx, ticket, customer, inbound);
 */
export async function acknowledge(
  ctx: DeskContext, ticket: Ticket, customer: Customer, inbound: Message,
  known: KnownState = { ticket, customer, thread: [inbound] },
): Promise<Message | null> {
  const due = expectedBy(ticket);
  const locale = customer.locale ?? ticket.language ?? ctx.settings.defaultLocale;
  const variables = { ...ticketVariables(ctx, ticket, customer), due: dueVariables(ctx, due, locale) };
  const rendered = renderTemplate(ctx.templates.get("auto_ack")!, variables, locale, { onMissing: "empty" });
  const input = { text: rendered.body, subject: rendered.subject, authorKind: "system" as const, automatic: true, purpose: "auto_ack" as const };
  return sendOnTicket(ctx, ticket.id, input, { kind: "system", id: "auto-ack" }, "ack.sent", known);
}
