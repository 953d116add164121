import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  normalizeMessageId,
  normalizeSubject,
  plusAddress,
  replyToIds,
  threadingHints,
  ticketNumberFromAddress,
  ticketNumberFromSubject,
} from "./threading.js";

describe("normalizeSubject", () => {
  it.each([
    ["Re: Where is my order?", "where is my order?"],
    ["RE: FW: Fwd: Where is  my   order?", "where is my order?"],
    ["회신: 답장: 전달: 배송 문의", "배송 문의"],
    ["Re: [#SD-1042] 배송 문의", "배송 문의"],
    ["배송 문의 [#sd-7]", "배송 문의"],
    ["Re[2]: Refund", "refund"],
    ["RE：교환 요청", "교환 요청"],
  ])("normalizes %j to %j", (subject, key) => {
    expect(normalizeSubject(subject)).toBe(key);
  });

  it("gives null for empty subjects and subjects that are only prefixes or tokens", () => {
    expect(normalizeSubject("")).toBeNull();
    expect(normalizeSubject(null)).toBeNull();
    expect(normalizeSubject("Re: [#SD-5]")).toBeNull();
  });

  it("is idempotent and ignores any number of reply prefixes (property)", () => {
    const prefix = fc.constantFrom("Re: ", "RE: ", "Fwd: ", "FW: ", "회신: ", "답장: ", "전달: ");
    fc.assert(
      fc.property(
        fc.array(prefix, { maxLength: 4 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (prefixes, subject) => {
          const key = normalizeSubject(subject);
          expect(normalizeSubject(key)).toBe(key);
          expect(normalizeSubject(prefixes.join("") + subject)).toBe(normalizeSubject(`Re: ${subject}`));
        },
      ),
    );
  });
});

describe("ticket numbers", () => {
  it("reads a [#SD-n] subject token", () => {
    expect(ticketNumberFromSubject("Re: 배송 문의 [#SD-1042]")).toBe(1042);
    expect(ticketNumberFromSubject("order #1042")).toBeNull();
  });

  it("reads a plus-address and writes one", () => {
    expect(ticketNumberFromAddress("support+SD-77@shop.example")).toBe(77);
    expect(ticketNumberFromAddress("support+sd-77@shop.example")).toBe(77);
    expect(ticketNumberFromAddress("support+news@shop.example")).toBeNull();
    expect(plusAddress("support@shop.example", 77)).toBe("support+SD-77@shop.example");
    expect(plusAddress("support+old@shop.example", 78)).toBe("support+SD-78@shop.example");
  });
});

describe("threadingHints", () => {
  it("lists References then In-Reply-To without brackets or repeats", () => {
    expect(replyToIds("<a@x> <b@x>\r\n <c@x>", "<c@x>")).toEqual(["c@x", "b@x", "a@x"]);
    expect(replyToIds("<a@x> <b@x>", "<z@x>")).toEqual(["z@x", "b@x", "a@x"]); // strongest first
    expect(normalizeMessageId("  <abc@host>  ")).toBe("abc@host");
    expect(normalizeMessageId("<>")).toBeNull();
  });

  it("takes the ticket number from the subject first, then from a recipient plus-address", () => {
    const base = { references: null, inReplyTo: null };
    expect(threadingHints({ ...base, subject: "Hi", recipients: ["support+SD-9@shop.example"] }).ticketNumber).toBe(9);
    expect(
      threadingHints({ ...base, subject: "Hi [#SD-3]", recipients: ["support+SD-9@shop.example"] }).ticketNumber,
    ).toBe(3);
  });

  it("uses a configurable thread window, 7 days by default", () => {
    const input = { subject: "Hi", references: null, inReplyTo: null, recipients: [] };
    expect(threadingHints(input).threadWindowMs).toBe(7 * 24 * 3600 * 1000);
    expect(threadingHints(input, 3_600_000).threadWindowMs).toBe(3_600_000);
  });
});
