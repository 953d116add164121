/** The variables templates can use on a ticket. */
import { isoString } from "../domain/iso-time.js";
import type { Customer } from "../domain/customer.js";
import { ticketRef, type Ticket } from "../domain/ticket.js";
import type { CustomerContext } from "../ports/commerce.js";
import type { DeskContext } from "./context.js";
import { formatDue } from "./format-due.js";

/**
 * What the ticket's action plan still needs from the customer (`ticket.meta.informationMissing`,
 * kept by the rules plugin for the plan of the ticket's category): `information.missing` (the
 * items, comma-separated) and `information.sentence` (a request for them, with a leading space;
 * empty when nothing is missing, so `{{information.sentence|}}` can sit in any template).
 *
 * @example
 * informationVariables(ticket, "ko").sentence; // " 빠른 처리를 위해 주문번호, 사진을(를) 함께 보내 주세요."
 */
export function informationVariables(ticket: Ticket, locale: string): { missing: string; sentence: string } {
  const items =
    ticket.meta["informationFor"] === ticket.category && Array.isArray(ticket.meta["informationMissing"])
      ? (ticket.meta["informationMissing"] as unknown[]).filter((i): i is string => typeof i === "string")
      : [];
  if (items.length === 0) return { missing: "", sentence: "" };
  const list = items.join(", ");
  const sentence = locale.startsWith("ko")
    ? ` 빠른 처리를 위해 다음 정보를 함께 보내 주세요: ${list}.`
    : ` To help us handle it quickly, please also send: ${list}.`;
  return { missing: list, sentence };
}

/**
 * The variables every template can use on a ticket: `ticket.*`, `customer.*`, `shop.name`,
 * `plan.*` from the action plan of the ticket's category (`plan.returnRules`,
 * `plan.claimProcedure` as numbered lines, `plan.responsibleTeam`, `plan.decisionMaker`),
 * `information.*` (see {@link informationVariables}), and from the commerce context `order.*` (the order the ticket is about, else the latest:
 * `order.name`, `order.total`, `order.fulfillmentStatus`, `order.estimatedDelivery`…) and
 * `tracking.*` (`tracking.url`, `tracking.number`, `tracking.carrier`).
 *
 * @example
 * renderTemplate(template, ticketVariables(ctx, ticket, customer, "ko"), "ko");
 */
export function ticketVariables(
  ctx: DeskContext,
  ticket: Ticket,
  customer: Customer | null,
  locale = "en",
): Record<string, unknown> {
  const plan = ticket.category ? ctx.actionPlans.get(ticket.category) : undefined;
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
    plan: plan
      ? {
          returnRules: plan.returnRules,
          claimProcedure: plan.claimProcedure.map((step, i) => `${i + 1}. ${step}`).join("\n") || null,
          responsibleTeam: plan.responsibleTeam,
          decisionMaker: plan.decisionMaker,
        }
      : null,
    information: informationVariables(ticket, locale),
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
  return { text, iso: isoString(due), sentence: ko ? `${text}까지 답변드리겠습니다.` : `We will reply by ${text}.` };
}
