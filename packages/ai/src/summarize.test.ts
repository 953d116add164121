import { StoredeskError } from "@storedesk/core";
import { describe, expect, it } from "vitest";
import { answeringModel, failingModel, receivedPrompt } from "../test/mock-models.js";
import type { ThreadMessage } from "./prompt.js";
import { summarize } from "./summarize.js";

const ticket = { number: 3, subject: "환불 요청", language: "ko", category: "refund_exchange" as const };
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 1, minute));

function longThread(n: number): ThreadMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    direction: i % 2 === 0 ? ("inbound" as const) : ("outbound" as const),
    authorKind: i % 2 === 0 ? ("customer" as const) : ("agent" as const),
    text: i === 0 ? "첫 문의: 사이즈가 맞지 않아 환불 원해요" : `메시지 ${i}: ${"내용 ".repeat(40)}`,
    createdAt: at(i),
  }));
}

describe("summarize", () => {
  it("returns the model's summary and open items in the ticket's language", async () => {
    const model = answeringModel({
      summary: "고객이 사이즈 문제로 환불을 요청했습니다.",
      openItems: ["회수 접수"],
    });
    const summary = await summarize({ ticket, messages: longThread(4), model });
    expect(summary).toEqual({
      text: "고객이 사이즈 문제로 환불을 요청했습니다.",
      openItems: ["회수 접수"],
      language: "ko",
      modelId: "mock:answering",
    });
  });

  it("keeps the first message and the latest ones of a thread longer than the budget", async () => {
    const model = answeringModel({ summary: "요약", openItems: [] });
    await summarize({ ticket, messages: longThread(200), model, maxThreadChars: 3000 });
    const prompt = receivedPrompt(model);
    expect(prompt).toContain("첫 문의");
    expect(prompt).toContain("메시지 199");
    expect(prompt).not.toContain("메시지 100:");
    expect(prompt).toMatch(/\d+ earlier message\(s\) omitted/);
  });

  it("includes internal notes for the next agent, redacted", async () => {
    const model = answeringModel({ summary: "요약", openItems: [] });
    const messages: ThreadMessage[] = [
      ...longThread(2),
      {
        direction: "note",
        authorKind: "agent",
        text: "고객 번호 010-9876-5432, 회수 기사 배정",
        createdAt: at(5),
      },
    ];
    await summarize({ ticket, messages, model });
    expect(receivedPrompt(model)).toContain("회수 기사 배정");
    expect(receivedPrompt(model)).not.toContain("010-9876-5432");
  });

  it("throws PROVIDER_ERROR when the provider fails", async () => {
    await expect(summarize({ ticket, messages: longThread(2), model: failingModel() })).rejects.toSatisfy((e) =>
      StoredeskError.is(e, "PROVIDER_ERROR"),
    );
  });
});
