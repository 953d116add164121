import { describe, expect, it } from "vitest";
import { renderTemplate } from "@storedesk/core";
import { emailAcknowledgementTemplate, renderAcknowledgement } from "./acknowledgement.js";
import { ticketNumberFromSubject } from "./threading.js";

const dueAt = new Date("2026-11-26T03:00:00Z"); // 12:00 in Seoul

describe("renderAcknowledgement", () => {
  it("renders Korean with the ticket number, the due time in Seoul and the subject token", () => {
    const ack = renderAcknowledgement({
      ticket: { number: 1042, subject: "배송 문의" },
      dueAt,
      locale: "ko-KR",
      shopName: "달빛상점",
    });
    expect(ack.subject).toBe("[달빛상점] 문의가 접수되었습니다: 배송 문의 [#SD-1042]");
    expect(ticketNumberFromSubject(ack.subject)).toBe(1042);
    expect(ack.text).toContain("접수 번호: SD-1042");
    // The desk's own due-time format (24-hour clock in Korean), in Seoul time.
    expect(ack.text).toMatch(/담당자가 2026년 11월 26일 \(목\) 12:00까지 답변드리겠습니다/);
    expect(ack.html).toContain('<html lang="ko">');
  });

  it("renders English, in the given time zone", () => {
    const ack = renderAcknowledgement({
      ticket: { number: 7 },
      dueAt,
      locale: "en",
      shopName: "Moon & Co",
      timeZone: "America/New_York",
    });
    expect(ack.subject).toBe("[Moon & Co] We received your request [#SD-7]");
    expect(ack.text).toContain("Ticket number: SD-7");
    expect(ack.text).toMatch(/We will reply by Wed, Nov 25, 2026,? (at )?10:00\sPM\./);
    expect(ack.html).toContain("Moon &#38; Co");
    expect(ack.html).not.toContain("Moon & Co");
  });

  it("promises a reply without a time when no due time is known", () => {
    expect(
      renderAcknowledgement({ ticket: { number: 1 }, dueAt: null, locale: "ko", shopName: "달빛상점" }).text,
    ).toContain("빠르게 답변드리겠습니다");
    expect(
      renderAcknowledgement({ ticket: { number: 1 }, dueAt: null, locale: "fr", shopName: "Shop" }).text,
    ).toContain("as soon as we can");
  });
});

describe("emailAcknowledgementTemplate", () => {
  it("renders with the desk's template variables in Korean and English", () => {
    const template = { category: null, ...emailAcknowledgementTemplate() };
    const vars = {
      ticket: { ref: "SD-5", subject: "교환 요청" },
      customer: { name: "김민수" },
      shop: { name: "달빛상점" },
      due: { text: "11월 26일 (목) 오후 12:00" },
    };
    const ko = renderTemplate(
      {
        ...template,
        locales: Object.fromEntries(
          Object.entries(template.locales).map(([k, v]) => [k, { subject: v.subject ?? null, body: v.body }]),
        ),
      },
      vars,
      "ko",
    );
    expect(ko.subject).toBe("[달빛상점] 문의가 접수되었습니다: 교환 요청");
    expect(ko.body).toContain("안녕하세요, 김민수님.");
    expect(ko.body).toContain("접수 번호: SD-5");
    expect(ko.body).toContain("답변 예정: 11월 26일 (목) 오후 12:00");
  });
});
