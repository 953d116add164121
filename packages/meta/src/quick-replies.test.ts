import { describe, expect, it } from "vitest";
import { withMetaQuickReplies } from "./quick-replies.js";

describe("withMetaQuickReplies", () => {
  it("maps { id, title } to Meta's { title, payload }, at most 13, titles cut to 20 characters", () => {
    const quickReplies = Array.from({ length: 15 }, (_, i) => ({
      id: `kb:${i}`,
      title: i === 0 ? "Yes, that answered my question" : `옵션 ${i}`,
    }));
    const out = withMetaQuickReplies({ quickReplies, privateReply: false }) as {
      quickReplies: Array<{ title: string; payload: string }>;
      privateReply: boolean;
    };
    expect(out.privateReply).toBe(false);
    expect(out.quickReplies).toHaveLength(13);
    expect(out.quickReplies[0]).toEqual({ title: "Yes, that answered m", payload: "kb:0" });
  });

  it("keeps entries already in Meta's shape and leaves options without quick replies alone", () => {
    expect(withMetaQuickReplies({ quickReplies: [{ title: "예", payload: "yes" }] })).toEqual({
      quickReplies: [{ title: "예", payload: "yes" }],
    });
    const none = { commentId: "c1" };
    expect(withMetaQuickReplies(none)).toBe(none);
  });
});
