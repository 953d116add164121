/**
 * The acknowledgement mail a customer gets when their mail opened a ticket:
 * the ticket number to quote and when to expect an answer, in Korean or English.
 */
import { formatDue } from "@storedesk/core";
import type { TemplateInput } from "@storedesk/core";

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

  const lines =
    locale === "ko"
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
  const subject =
    locale === "ko"
      ? `[${input.shopName}] 문의가 접수되었습니다${topic} [#${ref}]`
      : `[${input.shopName}] We received your request${topic} [#${ref}]`;
  const text = lines.join("\n");
  const html = `<!doctype html><html lang="${locale}"><body>${text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n")}</body></html>`;
  return { subject, text, html };
}

/**
 * The same acknowledgement as a desk template (`id: "auto_ack"`), for
 * `createDesk({ templates: [emailAcknowledgementTemplate()] })`. The desk fills
 * `{{ticket.ref}}`, `{{due.text}}` and `{{shop.name}}`; the email channel adds
 * the `[#SD-<number>]` subject token when it sends. Desk templates apply to
 * every channel, so the wording suits chat as well as mail.
 *
 * @example
 * const desk = createDesk({ store, channels: [email], templates: [emailAcknowledgementTemplate()], shop: { name: "달빛상점" } });
 */
export function emailAcknowledgementTemplate(): TemplateInput {
  return {
    id: "auto_ack",
    name: "Auto-acknowledgement (email)",
    category: null,
    locales: {
      ko: {
        subject: "[{{shop.name|고객센터}}] 문의가 접수되었습니다: {{ticket.subject|문의}}",
        body: [
          "안녕하세요, {{customer.name|고객}}님.",
          "",
          "{{shop.name|고객센터}}에 문의해 주셔서 감사합니다. 문의가 접수되었습니다.",
          "접수 번호: {{ticket.ref}}",
          "답변 예정: {{due.text}}",
          "",
          "추가로 전하실 내용이 있으면 이 메일에 회신해 주세요. 같은 문의로 이어서 처리됩니다.",
        ].join("\n"),
      },
      en: {
        subject: "[{{shop.name|Support}}] We received your request: {{ticket.subject|your request}}",
        body: [
          "Hello {{customer.name|there}},",
          "",
          "Thank you for contacting {{shop.name|us}}. We have received your request.",
          "Ticket number: {{ticket.ref}}",
          "Expected reply: {{due.text}}",
          "",
          "To add anything, simply reply to this email; it will be added to the same request.",
        ].join("\n"),
      },
    },
  };
}
