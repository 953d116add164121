import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "@storedesk/core";
import { koreanChannelsDemo } from "./korean-channels.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("korean channels quickstart section", () => {
  it("answers a Smartstore question from the inbox (edit = update), a TalkTalk chat inline and by hand-off, a Kakao skill within 5 s, and a shipping AlimTalk", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const s = await koreanChannelsDemo(memoryStore());
    expect(s.qna).toMatchObject({
      ingested: 1,
      category: "product",
      puts: 2,
      edit: { questionId: "663810138", answer: "updated" },
    });
    expect(s.qna.lastAnswer).toContain("가슴단면");
    expect(s.talk.inlineAnswer).toEqual({
      event: "send",
      textContent: { text: expect.stringContaining("당일 출고") },
    });
    expect(s.talk.sendApiCalls).toBe(1);
    expect(s.kakao.elapsedMs).toBeLessThan(5000);
    expect(s.kakao.response).toMatchObject({
      version: "2.0",
      template: { outputs: [{ simpleText: { text: expect.stringContaining("1042") } }] },
    });
    expect(s.kakao.identities).toContain("phone:+821023456789");
    expect(s.alimtalk).toEqual({ recipient: "01023456789", template: "SHIP_01", status: "sent" });
  });
});
