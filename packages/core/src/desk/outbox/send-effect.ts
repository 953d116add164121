/** A `send` effect made into a message: its template rendered for the ticket, then sent. */
import type { Effect } from "../../decision.js";
import type { Message } from "../../domain/message.js";
import { StoredeskError } from "../../errors.js";
import { renderTemplate } from "../../template/render-template.js";
import type { AutomaticPurpose } from "../types.js";
import type { DeskContext } from "../context.js";
import { dueVariables, expectedBy, ticketVariables } from "../template-variables.js";
import { sendOnTicket, type KnownState } from "./send-on-ticket.js";

/**
 * Renders a `send` effect (a registered template with the ticket's variables, `due.*` and the
 * effect's own, or its text) and sends it as an automatic message of the system.
 *
 * @example
 * await sendEffect(ctx, { type: "send", ticketId, templateId: "auto_ack", automatic: true, reason: "auto_ack" });
 */
export async function sendEffect(ctx: DeskContext, effect: Extract<Effect, { type: "send" }>, known?: KnownState): Promise<Message> {
  const ticket = known?.ticket ?? (await ctx.store.getTicket(effect.ticketId));
  if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${effect.ticketId} not found`, path: ["ticketId"] });
  const customer = known?.customer ?? (await ctx.store.getCustomer(ticket.customerId));
  let text = effect.text ?? "";
  let subject: string | null = null;
  if (effect.templateId) {
    const template = ctx.templates.get(effect.templateId);
    if (!template) throw new StoredeskError({ code: "NOT_FOUND", message: `Template ${effect.templateId} not found`, path: ["templateId"] });
    const locale = customer?.locale ?? ticket.language ?? ctx.settings.defaultLocale;
    const variables = { ...ticketVariables(ctx, ticket, customer), due: dueVariables(ctx, expectedBy(ticket), locale), ...effect.variables };
    const rendered = renderTemplate(template, variables, locale, { onMissing: "empty" });
    text = rendered.body;
    subject = rendered.subject;
  }
  const ack = effect.reason === "auto_ack";
  const input = { text, subject, authorKind: "system" as const, automatic: effect.automatic, purpose: effect.reason as AutomaticPurpose };
  return sendOnTicket(ctx, ticket.id, input, { kind: "system", id: ack ? "auto-ack" : effect.reason }, ack ? "ack.sent" : "reply.sent", known);
}
