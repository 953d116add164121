import { memoryStore } from "@storedesk/core";
import { describe, expect, it, vi } from "vitest";
import { knowledgeDemo } from "./knowledge.js";

describe("quickstart help center and answer bot", () => {
  it("answers a Korean question from the FAQ, solves it on 예, and hands a payment question to a person with the Monday due time", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const s = await knowledgeDemo(memoryStore());
      expect(s.imported).toBe(5);
      expect(s.answer).toContain("마이페이지 > 주문내역 > 교환 신청");
      expect(s.firstReplies).toBe(1); // the bot's answer, no acknowledgement on top
      expect(s.answeredStatus).toBe("solved");
      expect(s.choseongTop).toBe("적립금은 어떻게 사용하나요?");
      expect(s.handOff).toContain(
        "영업시간(평일 09:00–18:00)에 순서대로 답변드립니다. 예상 답변: 2026년 12월 7일 (월)",
      );
      expect(s.gaps).toBe(1);
    } finally {
      log.mockRestore();
    }
  });
});
