/** A message to a customer outside a conversation (order updates, welcome): proactive notices. */
import type { IdentityKind } from "../../domain/customer.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { DeskContext } from "../context.js";
import { sendOnTicket } from "../outbox/send-on-ticket.js";
import { saveTicket } from "../save-ticket.js";
import { accept, OutboundToCustomerSchema, SendOptionsSchema } from "../schemas.js";
import { withTx } from "../transaction.js";
import type { Desk } from "../types.js";
import { act } from "./ticket-fields.js";

/** Identity kinds that are reached through a channel of another id (a BSUID or a phone through WhatsApp). */
const CHANNEL_OF_IDENTITY: Partial<Record<IdentityKind, string>> = {
  phone: "whatsapp",
  whatsapp_bsuid: "whatsapp",
};

/**
 * The desk's `sendToCustomer`: uses `ticketId` when given; otherwise opens a solved ticket that
 * a customer reply reopens with the context.
 *
 * @example
 * const { sendToCustomer } = proactiveActions(ctx);
 */
export function proactiveActions(ctx: DeskContext): Pick<Desk, "sendToCustomer"> {
  return {
    async sendToCustomer(customerId, input, opts) {
      const { store, channels } = ctx;
      const parsed = accept(OutboundToCustomerSchema, input, "outbound message");
      const { wait } = accept(SendOptionsSchema, opts ?? {}, "send options");
      let customer = await store.getCustomer(customerId);
      // A merged-away id (kept by the shop's own records) reaches the customer it was merged into.
      for (let hops = 0; customer?.mergedInto && hops < 10; hops++)
        customer = await store.getCustomer(customer.mergedInto);
      if (!customer)
        throw new StoredeskError({
          code: "NOT_FOUND",
          message: `Customer ${customerId} not found`,
          path: ["customerId"],
        });
      customerId = customer.id;
      let ticketId = parsed.ticketId;
      if (ticketId) {
        const named = await store.getTicket(ticketId);
        if (!named)
          throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
        if (named.customerId !== customerId) {
          throw new StoredeskError({
            code: "INVALID_INPUT",
            message: "That ticket belongs to another customer",
            path: ["ticketId"],
          });
        }
      }
      let proactive: Ticket | null = null;
      if (!ticketId) {
        const recent = await store.listTickets({ customerId, newestFirst: true, limit: 20 });
        const preferred = (customer.attributes.preferredChannel as string | undefined) ?? null;
        const candidates = [
          preferred,
          ...recent.map((t) => t.channel),
          ...customer.identities.map((i) => CHANNEL_OF_IDENTITY[i.kind] ?? i.kind),
        ];
        const channel = parsed.channel ?? candidates.find((c): c is string => !!c && channels.has(c));
        if (!channel)
          throw new StoredeskError({
            code: "NOT_FOUND",
            message: "No registered channel reaches this customer",
            path: ["channel"],
          });
        // Refuse before opening a ticket when the channel would refuse the message anyway.
        const adapter = channels.get(channel)!;
        const lastTicket = recent.find((t) => t.channel === channel) ?? null;
        const lastInboundAt = lastTicket?.lastCustomerMessageAt ?? null;
        let template = parsed.template ?? null;
        if (!template && adapter.capabilities.replyWindow && adapter.replyWindow) {
          const probe = lastTicket ?? ({ channel, customerId } as Ticket);
          const window = adapter.replyWindow({ ticket: probe, lastInboundAt, authorKind: "system" }, ctx.clock.now());
          if (window.kind === "template_only") {
            const suggestedTemplate = window.suggestedTemplate ?? null;
            template =
              lastTicket && ctx.options.templateOutsideWindow
                ? ctx.options.templateOutsideWindow({
                    channel,
                    purpose: "proactive",
                    ticket: lastTicket,
                    customer,
                    text: parsed.text,
                    suggestedTemplate,
                  })
                : null;
            if (!template) {
              throw new StoredeskError({
                code: "REPLY_WINDOW_CLOSED",
                message: `The ${channel} window is closed: send a template${suggestedTemplate ? ` such as "${suggestedTemplate}"` : ""}`,
                details: { channel, suggestedTemplate, reason: window.reason },
              });
            }
          }
        }
        parsed.template = template;
        const created = await withTx(ctx, async (tx) => {
          const now = ctx.clock.now();
          const number = await tx.nextTicketNumber();
          const ticket: Ticket = {
            id: ctx.newId(),
            number,
            subject: parsed.subject ?? parsed.reason,
            status: "new",
            priority: "low",
            category: parsed.category ?? "other",
            channel,
            kind: "conversation",
            customerId,
            assigneeId: null,
            team: null,
            tags: ["proactive", parsed.reason],
            language: customer.locale ?? ctx.settings.defaultLocale,
            conversationKey: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
            lastCustomerMessageAt: lastInboundAt,
            firstRepliedAt: null,
            solvedAt: null,
            closedAt: null,
            followUpOf: null,
            mergedInto: null,
            slaDueAt: null,
            sla: null,
            complaint: null,
            meta: { proactive: parsed.reason },
          };
          const data = {
            status: "new",
            priority: "low",
            category: ticket.category,
            channel,
            tags: ticket.tags,
            proactive: parsed.reason,
          };
          const saved = await saveTicket(
            ctx,
            tx,
            null,
            ticket,
            [{ type: "ticket.created", data }],
            { kind: "system", id: parsed.reason },
            now,
          );
          return saved.ticket;
        });
        ticketId = created.id;
        proactive = created;
        ctx.emitter.emit("ticket.created", { ticket: created, message: null, classification: null });
      }
      const send = {
        text: parsed.text,
        subject: parsed.subject ?? null,
        authorKind: "system" as const,
        automatic: true,
        purpose: "proactive" as const,
        template: parsed.template ?? null,
        ...(parsed.channel ? { channel: parsed.channel } : {}),
        ...(parsed.ticketId ? {} : { status: "solved" as const }),
      };
      const message = await sendOnTicket(ctx, ticketId, send, { kind: "system", id: parsed.reason }, { wait }).catch(
        async (err: unknown) => {
          // Solve the ticket opened for it so no SLA clock runs on it (a send that failed is on record as a failed message).
          if (proactive)
            await act(ctx, proactive.id, { type: "set_status", status: "solved" }, { system: parsed.reason }).catch(
              () => undefined,
            );
          throw err;
        },
      );
      return { ticket: (await store.getTicket(ticketId))!, message };
    },
  };
}
