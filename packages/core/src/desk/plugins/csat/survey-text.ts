/** The words of a survey, in Korean and English: the message, the buttons, the rating page. */

/** Locales the survey is written in; others fall back to English. */
export type SurveyLocale = "ko" | "en";

/**
 * The survey's locale for a customer's language.
 *
 * @example
 * surveyLocale("ko-KR"); // "ko"
 */
export function surveyLocale(language: string | null | undefined): SurveyLocale {
  return language?.toLowerCase().startsWith("ko") ? "ko" : "en";
}

const LABELS: Record<SurveyLocale, string[]> = {
  ko: ["1 매우 불만족", "2 불만족", "3 보통", "4 만족", "5 매우 만족"],
  en: ["1 Very poor", "2 Poor", "3 OK", "4 Good", "5 Excellent"],
};

/**
 * The button title of a rating (1–5).
 *
 * @example
 * ratingLabel(5, "ko"); // "5 매우 만족"
 */
export function ratingLabel(rating: number, locale: SurveyLocale): string {
  return LABELS[locale][rating - 1] ?? String(rating);
}

/** The survey message of a chat channel (buttons carry the answer; a typed digit works too). */
export function chatSurveyText(locale: SurveyLocale, ticketRef: string): string {
  return locale === "ko"
    ? `문의(${ticketRef})에 대한 상담은 어떠셨나요? 아래 버튼을 누르거나 1–5 숫자로 답해 주세요.`
    : `How was our help with your request ${ticketRef}? Tap a button below or reply with a number from 1 to 5.`;
}

/** The subject and bodies of an e-mail survey with one link per rating. */
export function emailSurvey(
  locale: SurveyLocale,
  ticketRef: string,
  links: string[],
): { subject: string; text: string; html: string } {
  const ko = locale === "ko";
  const subject = ko ? `상담은 만족스러우셨나요? (${ticketRef})` : `How did we do? (${ticketRef})`;
  const intro = ko
    ? `문의(${ticketRef}) 상담을 평가해 주세요. 한 번만 누르시면 됩니다.`
    : `Please rate our help with ${ticketRef}. One click is all it takes.`;
  const lines = links.map((link, i) => `${ratingLabel(i + 1, locale)}: ${link}`);
  const items = links.map(
    (link, i) => `<li><a href="${escapeHtml(link)}">${escapeHtml(ratingLabel(i + 1, locale))}</a></li>`,
  );
  return {
    subject,
    text: [intro, "", ...lines].join("\n"),
    html: `<p>${escapeHtml(intro)}</p><ul>${items.join("")}</ul>`,
  };
}

/**
 * Escapes text for HTML.
 *
 * @example
 * escapeHtml("<b>"); // "&lt;b&gt;"
 */
export function escapeHtml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** What a rating page says. */
export type PageKind = "thanks" | "commented" | "already" | "expired" | "invalid";

const PAGES: Record<SurveyLocale, Record<PageKind, string>> = {
  ko: {
    thanks: "평가해 주셔서 감사합니다.",
    commented: "의견을 보내 주셔서 감사합니다.",
    already: "이미 응답하신 설문입니다. 감사합니다.",
    expired: "응답 기간이 지난 설문입니다.",
    invalid: "올바르지 않은 링크입니다.",
  },
  en: {
    thanks: "Thank you for your rating.",
    commented: "Thank you for your comment.",
    already: "You have already answered this survey. Thank you.",
    expired: "This survey can no longer be answered.",
    invalid: "This link is not valid.",
  },
};

/**
 * A small self-contained HTML page (no scripts) for the rating links, with an optional comment form.
 *
 * @example
 * surveyPage("ko", "thanks", { action: "/csat", token });
 */
export function surveyPage(locale: SurveyLocale, kind: PageKind, form?: { action: string; token: string }): string {
  const ko = locale === "ko";
  const title = ko ? "고객 만족도 설문" : "Customer satisfaction survey";
  const formHtml = form
    ? `<form method="post" action="${escapeHtml(form.action)}"><input type="hidden" name="token" value="${escapeHtml(form.token)}">` +
      `<label for="comment">${ko ? "더 하실 말씀이 있으면 남겨 주세요 (선택)" : "Anything else you want to tell us? (optional)"}</label><br>` +
      `<textarea id="comment" name="comment" rows="4" cols="40" maxlength="5000"></textarea><br>` +
      `<button type="submit">${ko ? "보내기" : "Send"}</button></form>`
    : "";
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${title}</title></head><body><h1>${title}</h1><p>${PAGES[locale][kind]}</p>${formHtml}</body></html>`
  );
}
