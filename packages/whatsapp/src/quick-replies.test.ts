import { describe, expect, it } from "vitest";
import { withReplyButtons } from "./quick-replies.js";

describe("withReplyButtons", () => {
  it("maps the desk's quick replies to at most three reply buttons with titles cut to 20 characters", () => {
    const quickReplies = ["예", "아니요", "상담원 연결", "넷째"].map((title, i) => ({ id: `b${i}`, title }));
    quickReplies[0]!.title = "이 답변이 도움이 되었어요 정말 감사합니다";
    expect(withReplyButtons({ quickReplies, header: "도움말" })).toEqual({
      header: "도움말",
      buttons: [
        { id: "b0", title: "이 답변이 도움이 되었어요 정말 감사" },
        { id: "b1", title: "아니요" },
        { id: "b2", title: "상담원 연결" },
      ],
    });
  });

  it("leaves options that name buttons or a list alone, and drops entries without an id or title", () => {
    const own = { buttons: [{ id: "x", title: "X" }], quickReplies: [{ id: "y", title: "Y" }] };
    expect(withReplyButtons(own)).toBe(own);
    expect(withReplyButtons({ quickReplies: [{ id: "", title: "빈 id" }, { title: "no id" }] })).toEqual({});
  });
});
