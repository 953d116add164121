/** The variables templates can use on a ticket. */
import type { Customer } from "../domain/customer.js";
import { ticketRef, type Ticket } from "../domain/ticket.js";
import type { CustomerContext } from "../ports/commerce.js";
import type { DeskContext } from "./context.js";
import { formatDue } from "./format-due.js";

/**
 * The variables every template can use on a ticket: `ticket.*`, `customer.*`, `shop.name`,
 * and from the commerce context `order.*` (the order the ticket is about, else the latest:
 * `order.name`, `order.total`, `order.fulfillmentStatus`, `order.estimatedDelivery`…) and
 * `tracking.*` (`tracking.url`, `tracking.number`, `tracking.carrier`).
 *
 * @example
 * renderTemplate(template, ticketVariables(ctx, ticket, customer), "ko");
 */
export function ticketVariables(ctx: DeskContext, ticket: Ticket, customer: Customer | null): Record<string, unknown> {
  const context = (ticket.meta.commerce as CustomerContext | undefined) ?? null;
  const order = context
    ? (context.recentOrders.find((o) => o.id === ticket.meta.orderId || o.name === ticket.meta.orderName) ??
      context.recentOrders[0] ??
      null)
    : null;
  const shipment = order?.shipments.find((s) => s.trackingUrl || s.trackingNumber) ?? order?.shipments[0] ?? null;
  return {
    ticket: {
      ref: ticketRef(ticket),
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      category: ticket.category,
    },
    customer: {
      name: customer?.name ?? null,
      ordersCount: context?.ordersCount ?? null,
      totalSpent: context?.totalSpent ?? null,
    },
    shop: { name: ctx.settings.shopName },
    order: order ? { ...order, estimatedDelivery: shipment?.estimatedDelivery ?? null } : null,
    tracking: shipment
      ? {
          url: shipment.trackingUrl,
          number: shipment.trackingNumber,
          carrier: shipment.carrier,
          status: shipment.status,
        }
      : null,
  };
}

/**
 * The expected handling time: the earliest reply or resolution due time of the ticket's SLA.
 *
 * @example
 * expectedBy(ticket); // Date of the first-reply target, or null
 */
export function expectedBy(ticket: Ticket): Date | null {
  const metrics = ticket.sla?.metrics ?? [];
  const pick =
    metrics.find((m) => m.metric === "first_reply" && m.dueAt) ?? metrics.find((m) => m.dueAt && m.status === "active");
  return pick?.dueAt ? new Date(pick.dueAt) : null;
}

/**
 * Template variables of the expected handling time: `due.text` (the time), `due.sentence` (a whole promise).
 *
 * @example
 * dueVariables(ctx, due, "ko").sentence; // "2026년 3월 2일 … 22:00까지 답변드리겠습니다."
 */
export function dueVariables(ctx: DeskContext, due: Date | null, locale: string): Record<string, string | null> {
  const ko = locale.startsWith("ko");
  if (!due)
    return {
      text: null,
      iso: null,
      sentence: ko ? "최대한 빨리 답변드리겠습니다." : "We will reply as soon as we can.",
    };
  const text = formatDue(due, locale, ctx.settings.timeZone);
  return { text, iso: due.toISOString(), sentence: ko ? `${text}까지 답변드리겠습니다.` : `We will reply by ${text}.` };
}
