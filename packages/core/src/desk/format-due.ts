/**
 * The expected handling time in the customer's language and the shop's time
 * zone, e.g. "2026년 11월 26일 (목) 18:00" or "Thu, Nov 26, 2026, 6:00 PM".
 * Korean uses the 24-hour clock: recent ICU data renders the Korean day period
 * as "PM", which reads oddly in a Korean sentence.
 */
export function formatDue(due: Date, locale: string, timeZone: string): string {
  const lang = locale.startsWith("ko") ? "ko-KR" : "en-US";
  const key = `${lang}|${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = makeFormatter(lang, timeZone);
    formatters.set(key, format);
  }
  return format.format(due);
}

// Building an Intl formatter costs far more than using one: keep one per language and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function makeFormatter(lang: string, timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
    ...(lang === "ko-KR" ? { hourCycle: "h23" as const } : {}),
  });
}

/** Pulls an order reference out of a customer's text: `#1001`, `주문번호 1001`, `order 1001`. */
export function extractOrderName(text: string): string | null {
  const m = /(?:#|주문\s*번호\s*:?\s*#?|order\s*(?:no\.?|number|#)?\s*:?\s*#?)(\d{3,12})/i.exec(text);
  return m?.[1] ? `#${m[1]}` : null;
}
