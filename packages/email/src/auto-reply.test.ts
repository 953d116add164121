import { describe, expect, it } from "vitest";
import { detectAutoReply } from "./auto-reply.js";

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
const none = headers({});

describe("detectAutoReply", () => {
  it.each([
    [{ "auto-submitted": "auto-replied" }],
    [{ "auto-submitted": "auto-generated" }],
    [{ "x-autoreply": "yes" }],
    [{ "x-autorespond": "Out of office" }],
    [{ precedence: "bulk" }],
    [{ precedence: "auto_reply" }],
    [{ precedence: "junk" }],
    [{ precedence: "list" }],
  ])("flags a message with headers %j as automatic", (h) => {
    expect(detectAutoReply(headers(h), "배송 문의").automatic).toBe(true);
  });

  it("does not flag Auto-Submitted: no or an ordinary Precedence", () => {
    expect(detectAutoReply(headers({ "auto-submitted": "no" }), "Question").automatic).toBe(false);
    expect(detectAutoReply(headers({ precedence: "first-class" }), "Question").automatic).toBe(false);
  });

  it.each([
    "Out of Office: Re: order",
    "Automatic reply: 배송 문의",
    "Auto-Reply: your message",
    "자동 회신: 배송 문의",
    "Re: 자동응답",
    "[부재중] 휴가 중입니다",
    "부재중 안내",
    "Undeliverable: order",
  ])("flags the out-of-office subject %j as automatic", (subject) => {
    expect(detectAutoReply(none, subject)).toMatchObject({ automatic: true });
  });

  it.each(["부재중이라 택배를 못 받았어요", "Re: 배송 문의", "Where is my order?", "Office chair arrived broken"])(
    "does not flag the customer subject %j",
    (subject) => {
      expect(detectAutoReply(none, subject)).toEqual({ automatic: false, reason: null });
    },
  );

  it("flags mail from MAILER-DAEMON", () => {
    expect(detectAutoReply(none, "Returned mail", "MAILER-DAEMON@mx.example").automatic).toBe(true);
  });
});
