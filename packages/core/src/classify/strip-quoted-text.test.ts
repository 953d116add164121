import { describe, expect, it } from "vitest";
import { stripQuotedText } from "./strip-quoted-text.js";

describe("stripQuotedText", () => {
  it("drops quoted lines, wherever they sit", () => {
    expect(stripQuotedText("Can I swap it for blue?\n\n> Your order has shipped!\n> Track it here")).toBe(
      "Can I swap it for blue?",
    );
    expect(stripQuotedText("> Your refund was processed.\nThanks, and is my other parcel on its way?")).toBe(
      "Thanks, and is my other parcel on its way?",
    );
  });

  it("cuts at a quoted message's header (Gmail, Korean Gmail, Outlook) and keeps what came before", () => {
    expect(
      stripQuotedText("Still nothing.\n\nOn Tue, 9 Jan 2024 at 10:02, Shop <a@b.example> wrote:\nYour order…"),
    ).toBe("Still nothing.");
    expect(
      stripQuotedText("아직 안 왔어요\n\n2024년 1월 9일 (화) 오전 10:02, 상점 <a@b.example>님이 작성:\n발송되었습니다"),
    ).toBe("아직 안 왔어요");
    expect(stripQuotedText("See below.\n-----Original Message-----\nFrom: Shop\nShipped!")).toBe("See below.");
    expect(stripQuotedText("Please cancel.\nFrom: Shop <a@b.example>\nSent: Monday\nSubject: Order")).toBe(
      "Please cancel.",
    );
  });

  it("keeps a From: line that is prose, not a header", () => {
    const text = "Gift for my sister\nFrom: me, with love\nCan you add that note?";
    expect(stripQuotedText(text)).toBe(text);
  });

  it("drops a signature after -- and mail clients' lines", () => {
    expect(stripQuotedText("When will it ship?\n--\nAnna Kim | Designer\n+44 20 7946 0000")).toBe("When will it ship?");
    expect(stripQuotedText("Where is my refund?\n\nSent from my iPhone")).toBe("Where is my refund?");
    expect(stripQuotedText("환불 언제 되나요?\niPhone에서 보냄")).toBe("환불 언제 되나요?");
  });

  it("returns a text that is all quote, and a one-line text, as it came", () => {
    expect(stripQuotedText("> only a quote\n> nothing else")).toBe("> only a quote\n> nothing else");
    expect(stripQuotedText("배송 언제 와요?")).toBe("배송 언제 와요?");
  });
});
