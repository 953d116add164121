/** What the Shopify webhook handler says by default, and how it tells which order a ticket is about. */
import type { Ticket, TicketStatus } from "@storedesk/core";
import type { ShopifyMessageTemplate } from "./render-template.js";
import { fromGid } from "./shopify-commerce.js";
import type { FulfillmentWebhook } from "./schemas.js";

/** Ticket statuses a notice may still answer. */
export const OPEN_STATUSES: TicketStatus[] = ["new", "open", "pending", "on_hold"];

/** Subjects of the messages that start a conversation, when a template gives none: never an internal name. */
export const DEFAULT_SUBJECTS: Record<string, { en: string; ko: string }> = {
  "shopify.order_created": { en: "Thank you for your order {{order.name}}", ko: "주문 {{order.name}} 감사합니다" },
  "shopify.welcome": { en: "Welcome", ko: "가입을 환영합니다" },
  "shopify.fulfillment": {
    en: "Your order {{order.name}} is on its way",
    ko: "주문 {{order.name}} 상품이 발송되었습니다",
  },
};

/** The built-in English/Korean shipping update. */
export const DEFAULT_FULFILLMENT: ShopifyMessageTemplate = {
  locales: {
    en: {
      subject: "Your order {{order.name}} is on its way",
      body: [
        "Your order {{order.name}} has shipped.",
        "Carrier: {{tracking.company}}",
        "Tracking number: {{tracking.number}}",
        "Track it here: {{tracking.url}}",
        "Expected delivery: {{order.estimatedDelivery}}",
      ].join("\n"),
    },
    ko: {
      subject: "주문 {{order.name}} 상품이 발송되었습니다",
      body: [
        "주문하신 {{order.name}} 상품이 발송되었습니다.",
        "택배사: {{tracking.company}}",
        "운송장 번호: {{tracking.number}}",
        "배송 조회: {{tracking.url}}",
        "도착 예정일: {{order.estimatedDelivery}}",
      ].join("\n"),
    },
  },
};

/** The date part of an ISO timestamp (the value itself when it is not one). */
export function dateOnly(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^\d{4}-\d{2}-\d{2}/.exec(value);
  return m ? m[0] : value;
}

/** The order name of a fulfillment (`#1001.1` → `#1001`). */
export function orderNameOf(fulfillment: FulfillmentWebhook): string | null {
  return fulfillment.name ? fulfillment.name.replace(/\.\d+$/, "") : null;
}

/** Whether `text` mentions the order `#1001` (also `1001` on its own, not inside a longer number). */
export function mentionsOrder(text: string, orderName: string): boolean {
  const digits = orderName.replace(/^#/, "");
  if (!digits) return false;
  const escaped = digits.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\d])#?${escaped}(?!\\d)`).test(text);
}

/** Whether the ticket's meta names this order, another one, or none. */
export function metaPointsAt(ticket: Ticket, order: { id: string; name: string | null }): "match" | "other" | "none" {
  const metaId = ticket.meta.orderId;
  const metaName = ticket.meta.orderName;
  if (typeof metaId === "string" || typeof metaId === "number")
    return fromGid(String(metaId)) === fromGid(order.id) ? "match" : "other";
  if (typeof metaName === "string" && order.name)
    return metaName.replace(/^#/, "") === order.name.replace(/^#/, "") ? "match" : "other";
  return "none";
}
