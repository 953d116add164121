/**
 * The acknowledgement mail a customer gets when their mail opened a ticket:
 * the ticket number to quote and when to expect an answer, in Korean or English.
 */

/** Input of {@link renderAcknowledgement}. */
export interface AcknowledgementInput {
  ticket: { number: number; subject?: string | null };
  /** When the first answer is due (the SLA's first-reply deadline); null when the shop names none. */
  dueAt: Date | null;
  /** `ko` for Korean; anything else renders English. */
  locale: string;
  shopName: string;
  /** Time zone the due time is shown in; default `Asia/Seoul` for Korean, `UTC` otherwise. */
  timeZone?: string;
}

/** A rendered acknowledgement. */
export interface RenderedAcknowledgement {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function formatDue(dueAt: Date, locale: "ko" | "en", timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-US", {
    timeZone,
    year: "numeric",
    month: "long",
    day: "numeric",
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(dueAt);
}

/**
 * Renders the acknowledgement of a new ticket. The subject carries the
 * `[#SD-<number>]` token, so a reply to the acknowledgement threads onto the ticket.
 *
 * @example
 * const ack = renderAcknowledgement({ ticket: { number: 1042, subject: "배송 문의" }, dueAt, locale: "ko", shopName: "달빛상점" });
 * // ack.subject === "[달빛상점] 문의가 접수되었습니다: 배송 문의 [#SD-1042]"
 */
export function renderAcknowledgement(input: AcknowledgementInput): RenderedAcknowledgement {
  const locale = input.locale.toLowerCase().startsWith("ko") ? "ko" : "en";
  const timeZone = input.timeZone ?? (locale === "ko" ? "Asia/Seoul" : "UTC");
  const ref = `SD-${input.ticket.number}`;
  const topic = input.ticket.subject?.trim() ? `: ${input.ticket.subject.trim()}` : "";
  const due = input.dueAt ? formatDue(input.dueAt, locale, timeZone) : null;

  const lines = locale === "ko"
    ? [
        "안녕하세요, 고객님.",
        "",
        `${input.shopName} 고객센터에 문의해 주셔서 감사합니다. 문의가 접수되었습니다.`,
        `접수 번호: ${ref}`,
        due ? `담당자가 ${due}까지 답변드리겠습니다.` : "담당자가 확인 후 빠르게 답변드리겠습니다.",
        "",
        "추가로 전하실 내용이 있으면 이 메일에 회신해 주세요. 같은 문의로 이어서 처리됩니다.",
        "",
        `${input.shopName} 드림`,
      ]
    : [
        "Hello,",
        "",
        `Thank you for contacting ${input.shopName}. We have received your request.`,
        `Ticket number: ${ref}`,
        due ? `We will reply by ${due}.` : "We will get back to you as soon as we can.",
        "",
        "To add anything, simply reply to this email; it will be added to the same request.",
        "",
        `The ${input.shopName} team`,
      ];
  const subject = locale === "ko"
    ? `[${input.shopName}] 문의가 접수되었습니다${topic} [#${ref}]`
    : `[${input.shopName}] We received your request${topic} [#${ref}]`;
  const text = lines.join("\n");
  const html = `<!doctype html><html lang="${locale}"><body>${text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n")}</body></html>`;
  return { subject, text, html };
}
