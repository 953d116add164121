/**
 * The expected handling time in the customer's language and the shop's time
 * zone, e.g. "2026년 11월 26일 (목) 오후 6:00" or "Thu, Nov 26, 2026, 6:00 PM".
 */
export function formatDue(due: Date, locale: string, timeZone: string): string {
  const lang = locale.startsWith("ko") ? "ko-KR" : "en-US";
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    year: "numeric", month: "short", day: "numeric", weekday: "short", hour: "numeric", minute: "2-digit",
  }).format(due);
}

/** Pulls an order reference out of a customer's text: `#1001`, `주문번호 1001`, `order 1001`. */
export function extractOrderName(text: string): string | null {
  const m = /(?:#|주문\s*번호\s*:?\s*#?|order\s*(?:no\.?|number|#)?\s*:?\s*#?)(\d{3,12})/i.exec(text);
  return m?.[1] ? `#${m[1]}` : null;
}
