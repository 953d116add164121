import { describe, expect, it } from "vitest";
import { splitQuotedReply } from "./quote-split.js";

describe("splitQuotedReply", () => {
  it("splits a Korean Gmail reply at '…님이 작성:'", () => {
    const body =
      "주문번호 알려드립니다.\n\n2026년 11월 25일 (수) 오후 3:00, 김민수 <a@b.com>님이 작성:\n> 주문번호를 알려주세요.\n";
    expect(splitQuotedReply(body)).toEqual({
      text: "주문번호 알려드립니다.",
      quoted: "2026년 11월 25일 (수) 오후 3:00, 김민수 <a@b.com>님이 작성:\n> 주문번호를 알려주세요.",
    });
  });

  it("splits a Korean Gmail attribution that the client wrapped onto two lines", () => {
    const body =
      "확인했습니다.\n\n2026년 11월 25일 (수) 오후 3:00, 달빛상점 고객센터 <support@dalbit.example>님이\n작성:\n> 안녕하세요";
    expect(splitQuotedReply(body).text).toBe("확인했습니다.");
  });

  it("splits an Apple Mail Korean attribution ('2026. 11. 25. 오후 3:00, … 작성:')", () => {
    const body = "네 좋아요\n\n> 2026. 11. 25. 오후 3:00, 김민수 <a@b.com> 작성:\n> 교환 가능합니다";
    expect(splitQuotedReply(body).text).toBe("네 좋아요");
    const unquoted = "네 좋아요\n\n2026. 11. 25. 오후 3:00, 김민수 <a@b.com> 작성:\n\n> 교환 가능합니다";
    expect(splitQuotedReply(unquoted).text).toBe("네 좋아요");
  });

  it("splits an English Gmail reply, also when 'wrote:' wrapped to the next line", () => {
    expect(splitQuotedReply("Thanks!\n\nOn Wed, Nov 25, 2026 at 3:00 PM Kim <a@b.com> wrote:\n> hi").text).toBe(
      "Thanks!",
    );
    expect(splitQuotedReply("Thanks!\n\nOn Wed, Nov 25, 2026 at 3:00 PM Kim <\na@b.com> wrote:\n> hi").text).toBe(
      "Thanks!",
    );
  });

  it("splits Outlook's '-----Original Message-----' and '-----원본 메시지-----' separators (Naver and Outlook ko)", () => {
    expect(splitQuotedReply("Size 270.\n-----Original Message-----\nFrom: shop\nSent: today\n\nwhich size?")).toEqual({
      text: "Size 270.",
      quoted: "-----Original Message-----\nFrom: shop\nSent: today\n\nwhich size?",
    });
    expect(
      splitQuotedReply("270 사이즈로 부탁드려요.\n\n-----원본 메시지-----\n보낸 사람: 달빛상점\n받는 사람: 나").text,
    ).toBe("270 사이즈로 부탁드려요.");
  });

  it("splits Outlook's header block (From:/Sent:, 보낸 사람:/보낸 날짜:) below an underscore rule", () => {
    const en =
      "Size 270 please.\n\n________________________________\nFrom: Dalbit Support <support@dalbit.example>\nSent: Thursday, November 26, 2026 6:00 PM\nTo: Lee\n\nWhich size?";
    expect(splitQuotedReply(en).text).toBe("Size 270 please.");
    const ko =
      "270으로 주세요.\n\n보낸 사람: 달빛상점 <support@dalbit.example>\n보낸 날짜: 2026년 11월 26일 목요일 오후 6:00\n받는 사람: 이하늘\n\n어떤 사이즈로 드릴까요?";
    expect(splitQuotedReply(ko).text).toBe("270으로 주세요.");
  });

  it("treats a trailing block of '>' lines as quoted history", () => {
    expect(splitQuotedReply("Yes please.\n\n> Shall we refund?\n> Dalbit\n")).toEqual({
      text: "Yes please.",
      quoted: "> Shall we refund?\n> Dalbit",
    });
  });

  it("keeps inline answers between quoted lines in the text", () => {
    const body = "> Which size?\n270\n> Which colour?\nBlack";
    expect(splitQuotedReply(body)).toEqual({ text: body, quoted: null });
  });

  it("keeps a message without history whole, including sentences that mention writing", () => {
    const body = "On Monday I wrote to you about my order.\n주문서 작성: 완료했어요";
    expect(splitQuotedReply(body)).toEqual({ text: body, quoted: null });
  });

  it("keeps the whole body when it is nothing but quoted history", () => {
    expect(splitQuotedReply("> only quoted\n> lines")).toEqual({ text: "> only quoted\n> lines", quoted: null });
  });

  describe("runs in linear time on hostile bodies (a 25 MB mail must not block the process)", () => {
    // Each body is ~3 MB; the old attribution regexes needed 1-2 s for the line-based ones.
    const timed = (body: string) => {
      const started = performance.now();
      const result = splitQuotedReply(body);
      return { result, ms: performance.now() - started };
    };
    const lines = (line: string, size = 3_000_000) =>
      Array.from({ length: Math.ceil(size / (line.length + 1)) }, () => line).join("\n");
    /**
     * How the time grows from a 300 kB to a 3 MB body (best of three each): ~10× when linear, ~100×
     * for the old quadratic attribution regexes. A ratio, so a loaded CI machine does not fail it.
     */
    const growth = (make: (size: number) => string) => {
      const best = (body: string) => Math.min(...[0, 1, 2].map(() => timed(body).ms));
      const [small, big] = [make(300_000), make(3_000_000)];
      return best(big) / Math.max(best(small), 0.5);
    };

    it("splits a 3 MB single-line body in time linear in its size", () => {
      const shapes = [
        (n: number) => "2026@님이".repeat(n / 6),
        (n: number) => `${"2026년 ".repeat(n / 6)}작성:`,
        (n: number) => `On ${"x ".repeat(n / 2)}wrote:`,
      ];
      for (const make of shapes) {
        expect(timed(make(3_000_000)).result.quoted).toBeNull();
        expect(growth((size) => make(size))).toBeLessThan(40);
      }
    });

    it("splits 3 MB bodies of 300-character lines in time linear in their size", () => {
      const hostile = [
        "2026@님이".repeat(50), // markers everywhere, no "작성:" at the end
        `${"2026@님이".repeat(42)}x작성:`, // ends like a Korean attribution, markers everywhere before it
        `${"2026년 ".repeat(49)}`, // starts like a date: joined with the next lines and tried again
        `On ${"wrote: ".repeat(42)}x`, // "On … wrote:" almost everywhere
      ];
      for (const line of hostile) {
        const { result } = timed(lines(line));
        expect(result.quoted === null || typeof result.quoted === "string").toBe(true);
        expect(growth((size) => lines(line, size))).toBeLessThan(40);
      }
    });

    it("still finds an attribution line after a long body, in time linear in the body", () => {
      const attribution = "2026년 11월 25일 (수) 오후 3:00, 김민수 <a@b.com>님이 작성:\n> 문의드립니다";
      const body = (size: number) => `${lines("a".repeat(299), size)}\n\n${attribution}`;
      expect(timed(body(3_000_000)).result.quoted).toBe(attribution);
      expect(growth(body)).toBeLessThan(40);
    });

    it("ignores an attribution-like line longer than 1000 characters", () => {
      const body = `Hello\n\n2026년 ${"가".repeat(1200)} 님이 작성:\n> old`;
      expect(splitQuotedReply(body)).toEqual({
        text: "Hello\n\n2026년 " + "가".repeat(1200) + " 님이 작성:",
        quoted: "> old",
      });
    });
  });
});
