/** What the bot says, in Korean and English: answers, order status, hand-offs, opening hours. */
import { formatDue, type BusinessCalendar, type OrderSummary, type Shipment } from "@storedesk/core";

const ko = (locale: string) => locale.startsWith("ko");

/** "도움이 되었나요?" and its two answers. */
export function feedbackQuestion(locale: string): { question: string; yes: string; no: string } {
  return ko(locale)
    ? { question: "도움이 되었나요?", yes: "예", no: "아니요" }
    : { question: "Did this help?", yes: "Yes", no: "No" };
}

/** The closing line on a channel without buttons. */
export function feedbackByText(locale: string): string {
  return ko(locale) ? "도움이 되었나요? '예' 또는 '아니요'로 답해 주세요." : "Did this help? Reply 'yes' or 'no'.";
}

/** Thanks after "yes". */
export function thanks(locale: string): string {
  return ko(locale)
    ? "다행이에요! 더 궁금한 점이 있으면 언제든 다시 말씀해 주세요."
    : "Glad it helped! Write again any time if you have another question.";
}

/** Where the rest of a long article is. */
export function readMore(locale: string, url: string): string {
  return ko(locale) ? `자세히 보기: ${url}` : `Read more: ${url}`;
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const KO_DAYS: Record<string, string> = { mon: "월", tue: "화", wed: "수", thu: "목", fri: "금", sat: "토", sun: "일" };
const EN_DAYS: Record<string, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

/**
 * The shop's weekly hours in words: "평일 09:00–18:00" / "weekdays 09:00–18:00", "월–토 10:00–19:00".
 * A lunch break is left out of the span (first opening to last closing).
 *
 * @example
 * describeHours(calendar, "ko"); // "평일 09:00–18:00"
 */
export function describeHours(calendar: BusinessCalendar, locale: string): string {
  const spans = new Map<string, string[]>();
  for (const day of DAYS) {
    const intervals = (calendar.weekly as Record<string, Array<{ start: string; end: string }> | undefined>)[day] ?? [];
    if (intervals.length === 0) continue;
    const span = `${intervals[0]!.start}–${intervals[intervals.length - 1]!.end}`;
    spans.set(span, [...(spans.get(span) ?? []), day]);
  }
  const parts = [...spans.entries()].map(([span, days]) => `${dayList(days, locale)} ${span}`);
  return parts.join(", ");
}

function dayList(days: string[], locale: string): string {
  const key = days.join(",");
  if (key === "mon,tue,wed,thu,fri") return ko(locale) ? "평일" : "weekdays";
  if (key === "sat,sun") return ko(locale) ? "주말" : "weekends";
  if (days.length === 7) return ko(locale) ? "매일" : "every day";
  const names = ko(locale) ? KO_DAYS : EN_DAYS;
  const idx = days.map((d) => DAYS.indexOf(d as (typeof DAYS)[number]));
  const consecutive = idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  if (consecutive && days.length > 2) return `${names[days[0]!]}–${names[days[days.length - 1]!]}`;
  return days.map((d) => names[d]).join(ko(locale) ? "·" : ", ");
}

/**
 * The hand-off message: a person will answer, and when.
 * "영업시간(평일 09:00–18:00)에 순서대로 답변드립니다. 예상 답변: 2026년 12월 7일 (월) 10:00 전"
 */
export function handOffMessage(input: {
  locale: string;
  open: boolean;
  hours: string | null;
  due: Date | null;
  timeZone: string;
}): string {
  const { locale, open, hours, due, timeZone } = input;
  const when = due ? formatDue(due, locale, timeZone) : null;
  if (ko(locale)) {
    const head = open ? "상담원에게 연결해 드렸어요." : "지금은 상담 시간이 아니라 상담원에게 문의를 남겨 두었어요.";
    const order = hours ? `영업시간(${hours})에 순서대로 답변드립니다.` : "순서대로 답변드립니다.";
    return [head, order, when ? `예상 답변: ${when} 전` : null].filter(Boolean).join(" ");
  }
  const head = open
    ? "I have passed you to a member of our team."
    : "We are closed right now; your message is waiting for our team.";
  const order = hours ? `We answer in order during our hours (${hours}).` : "We answer in order.";
  return [head, order, when ? `Expected reply: by ${when}.` : null].filter(Boolean).join(" ");
}

const KO_STATUS: Record<string, string> = {
  UNFULFILLED: "상품 준비 중",
  ON_HOLD: "상품 준비 중",
  SCHEDULED: "상품 준비 중",
  IN_PROGRESS: "상품 준비 중",
  PARTIALLY_FULFILLED: "일부 출고",
  FULFILLED: "출고 완료",
  CONFIRMED: "출고 완료",
  LABEL_PRINTED: "출고 준비",
  LABEL_PURCHASED: "출고 준비",
  IN_TRANSIT: "배송 중",
  OUT_FOR_DELIVERY: "배송 출발",
  ATTEMPTED_DELIVERY: "배송 시도(부재)",
  READY_FOR_PICKUP: "픽업 대기",
  PICKED_UP: "픽업 완료",
  DELIVERED: "배송 완료",
  FAILURE: "배송 문제",
  CANCELED: "취소됨",
};
const EN_STATUS: Record<string, string> = {
  UNFULFILLED: "being prepared",
  ON_HOLD: "being prepared",
  SCHEDULED: "being prepared",
  IN_PROGRESS: "being prepared",
  PARTIALLY_FULFILLED: "partly shipped",
  FULFILLED: "shipped",
  CONFIRMED: "shipped",
  LABEL_PRINTED: "about to ship",
  LABEL_PURCHASED: "about to ship",
  IN_TRANSIT: "in transit",
  OUT_FOR_DELIVERY: "out for delivery",
  ATTEMPTED_DELIVERY: "delivery attempted",
  READY_FOR_PICKUP: "ready for pickup",
  PICKED_UP: "picked up",
  DELIVERED: "delivered",
  FAILURE: "delivery problem",
  CANCELED: "cancelled",
};

/** A provider status (`IN_TRANSIT`, `in_transit`, `DELIVERED`…) in the customer's words. */
export function statusWords(status: string | null, locale: string): string {
  if (!status) return ko(locale) ? "확인 중" : "being checked";
  const key = status.toUpperCase().replace(/[\s-]+/g, "_");
  return (ko(locale) ? KO_STATUS : EN_STATUS)[key] ?? status;
}

/** The live status of an order: status, carrier, tracking link, estimated delivery. */
export function orderStatusMessage(order: OrderSummary, locale: string, timeZone: string): string {
  const shipment: Shipment | null =
    order.shipments.find((s) => s.trackingUrl || s.trackingNumber) ?? order.shipments[0] ?? null;
  const status = order.cancelledAt ? "CANCELED" : (shipment?.status ?? order.fulfillmentStatus);
  const eta = shipment?.estimatedDelivery ? new Date(shipment.estimatedDelivery) : null;
  const etaText = eta && !Number.isNaN(eta.getTime()) ? formatDue(eta, locale, timeZone) : null;
  if (ko(locale)) {
    return [
      `주문 ${order.name}: ${statusWords(status, locale)}`,
      shipment?.carrier || shipment?.trackingNumber
        ? `택배사: ${shipment.carrier ?? "-"}${shipment.trackingNumber ? ` (운송장 ${shipment.trackingNumber})` : ""}`
        : null,
      shipment?.trackingUrl ? `배송 조회: ${shipment.trackingUrl}` : null,
      etaText ? `도착 예정: ${etaText}` : null,
    ]
      .filter(Boolean)
      .join("\n");
  }
  return [
    `Order ${order.name}: ${statusWords(status, locale)}`,
    shipment?.carrier || shipment?.trackingNumber
      ? `Carrier: ${shipment.carrier ?? "-"}${shipment.trackingNumber ? ` (tracking ${shipment.trackingNumber})` : ""}`
      : null,
    shipment?.trackingUrl ? `Track it: ${shipment.trackingUrl}` : null,
    etaText ? `Estimated delivery: ${etaText}` : null,
  ]
    .filter(Boolean)
    .join("\n");
}
