import { describe, expect, it } from "vitest";
import { complaintPriority, detectComplaint } from "./detect-complaint.js";

describe("detectComplaint", () => {
  it.each([
    ["환불 안 해주면 소비자원에 신고합니다", 3],
    ["한국소비자원에 민원 넣겠습니다", 3],
    ["공정위에 신고할게요", 3],
    ["I'm going to report you to the BBB", 3],
    ["I will file a chargeback with my bank", 3],
    ["My lawyer will be in touch", 3],
    ["Never again. Worst shop ever", 2],
    ["어이없다 진짜", 2],
    ["짜증나 죽겠네", 2],
    ["환불 안 해주면 가만 안 있어요", 2],
    ["씨발 언제 와", 2],
    ["ㅅㅂ 진짜", 2],
    ["where is my fucking parcel", 2],
    ["This is a disgraceful way to treat people", 2],
    ["I want to file a complaint", 1],
    ["불만 접수하려고요", 1],
  ] as const)("%s → intensity %i", (text, intensity) => {
    expect(detectComplaint(text).intensity).toBe(intensity);
  });

  it("finds nothing in a polite question", () => {
    for (const text of [
      "Where is my parcel?",
      "배송 언제 와요? 감사합니다",
      "Do you sell suede boots?",
      "Hello there",
    ]) {
      expect(detectComplaint(text)).toEqual({ intensity: 0, score: 0, cues: [] });
    }
  });

  it("does not read praise with a negated cue as a complaint", () => {
    expect(detectComplaint("No complaints at all, thank you!").cues).not.toContain("complaints");
  });

  it("counts shouting and piled-up punctuation, alone only as level 1", () => {
    expect(detectComplaint("WHERE IS MY ORDER").cues).toContain("ALL CAPS");
    expect(detectComplaint("where is my order???").intensity).toBe(1);
    expect(detectComplaint("WHERE IS MY ORDER???").intensity).toBe(2);
  });

  it("reports every cue it found, for explaining the decision", () => {
    expect(detectComplaint("최악이에요. 소비자원에 신고할게요!!!").cues).toEqual(
      expect.arrayContaining(["소비자원", "최악", "!!!"]),
    );
  });
});

describe("complaintPriority", () => {
  it("makes escalation urgent, any complaint high, and leaves the rest normal", () => {
    expect(complaintPriority(3, true)).toBe("urgent");
    expect(complaintPriority(3, false)).toBe("urgent");
    expect(complaintPriority(2, true)).toBe("high");
    expect(complaintPriority(1, true)).toBe("high");
    expect(complaintPriority(0, false)).toBe("normal");
  });
});
