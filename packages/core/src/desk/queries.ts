/** The desk's reads: tickets, messages, audit log, customers, exports and rendered templates. */
import { z } from "zod";
import { IdentitySchema, normalizeIdentity } from "../domain/customer.js";
import { StoredeskError } from "../errors.js";
import type { TicketQuery } from "../ports/store.js";
import { renderTemplate } from "../template/render-template.js";
import { parseInput } from "../validate.js";
import { chooseTemplate } from "./choose-template.js";
import type { DeskContext } from "./context.js";
import { mutateTicket } from "./save-ticket.js";
import { IdSchema, TicketQuerySchema } from "./schemas.js";
import { ticketVariables } from "./template-variables.js";
import { liveTicket } from "./threading.js";
import type { Desk } from "./types.js";

type QueryMethods =
  | "getTicket"
  | "getTicketByNumber"
  | "listTickets"
  | "listMessages"
  | "listEvents"
  | "getCustomer"
  | "findCustomer"
  | "exportCustomer"
  | "renderTemplate"
  | "renderForTicket"
  | "templateVariables";

/**
 * The desk's read methods.
 *
 * @example
 * const { listTickets } = deskQueries(ctx);
 */
export function deskQueries(ctx: DeskContext): Pick<Desk, QueryMethods> {
  const { store } = ctx;
  return {
    async getTicket(id) {
      const t = await liveTicket(store, await store.getTicket(parseInput(IdSchema, id, "ticket id")));
      if (!t) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${id} not found` });
      return t;
    },
    getTicketByNumber: async (n) =>
      store.getTicketByNumber(parseInput(z.number().int().positive(), n, "ticket number")),
    listTickets: async (query: TicketQuery = {}) =>
      store.listTickets(parseInput(TicketQuerySchema, query, "ticket query")),
    listMessages: async (ticketId) => store.listMessages(parseInput(IdSchema, ticketId, "ticket id")),
    listEvents: async (ticketId) => store.listEvents(parseInput(IdSchema, ticketId, "ticket id")),
    getCustomer: async (id) => store.getCustomer(parseInput(IdSchema, id, "customer id")),
    findCustomer: async (identity) =>
      store.findCustomerByIdentity(normalizeIdentity(parseInput(IdentitySchema, identity, "identity"))),
    async exportCustomer(customerId) {
      const customer = await store.getCustomer(parseInput(IdSchema, customerId, "customer id"));
      if (!customer) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found` });
      const tickets = await store.listTickets({ customerId });
      return {
        customer,
        tickets: await Promise.all(
          tickets.map(async (ticket) => ({
            ticket,
            messages: await store.listMessages(ticket.id),
            events: await store.listEvents(ticket.id),
          })),
        ),
        commerce: ctx.commerceCache.get(customerId)?.context ?? null,
        exportedAt: ctx.clock.now().toISOString(),
      };
    },
    renderTemplate(templateId, variables, locale) {
      const t = ctx.templates.get(templateId);
      if (!t)
        throw new StoredeskError({
          code: "NOT_FOUND",
          message: `Template ${templateId} not found`,
          path: ["templateId"],
        });
      return renderTemplate(t, variables, locale);
    },
    async renderForTicket(templateId, ticketId, extra = {}) {
      const id = parseInput(IdSchema, templateId, "template id");
      const ticket = await liveTicket(store, await store.getTicket(parseInput(IdSchema, ticketId, "ticket id")));
      if (!ticket)
        throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
      const { template: t, events } = await chooseTemplate(ctx, store, {
        ticket,
        templateId: id,
        now: ctx.clock.now(),
      });
      // A plugin's choice (an A/B test's variant) goes to the audit log before the text is used.
      if (events.length > 0)
        await mutateTicket(ctx, ticket.id, { kind: "system", id: "template" }, (current) => ({
          ok: true,
          value: current,
          events,
          effects: [],
        }));
      const customer = await store.getCustomer(ticket.customerId);
      const locale = customer?.locale ?? ticket.language ?? ctx.settings.defaultLocale;
      return renderTemplate(t, { ...ticketVariables(ctx, ticket, customer, locale), ...extra }, locale);
    },
    async templateVariables(ticketId) {
      const ticket = await liveTicket(store, await store.getTicket(parseInput(IdSchema, ticketId, "ticket id")));
      if (!ticket)
        throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticketId} not found`, path: ["ticketId"] });
      const customer = await store.getCustomer(ticket.customerId);
      const locale = customer?.locale ?? ticket.language ?? ctx.settings.defaultLocale;
      return { variables: ticketVariables(ctx, ticket, customer, locale), locale };
    },
  };
}
