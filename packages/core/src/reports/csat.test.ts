import { describe, expect, it } from "vitest";
import { SurveyResponseSchema, csatBy, csatScore, type SurveyResponseInput } from "./csat.js";
import { parseInput } from "../validate.js";

const at = (m: number) => new Date(Date.UTC(2026, 10, 2, 0, m));
const response = (ticketId: string, rating: number, extra: Partial<SurveyResponseInput> = {}) =>
  SurveyResponseSchema.parse({ ticketId, rating, channel: "whatsapp", respondedAt: at(0), ...extra });

describe("csatScore", () => {
  it("scores the share of 4 and 5 ratings and the response rate per survey sent", () => {
    const s = csatScore([response("a", 5), response("b", 4), response("c", 3), response("d", 1)], { sent: 8 });
    expect(s).toEqual({ responses: 4, satisfied: 2, score: 0.5, responseRate: 0.5, distribution: [1, 0, 1, 1, 1] });
  });

  it("counts only the latest answer of a ticket", () => {
    const s = csatScore([response("a", 1, { respondedAt: at(0) }), response("a", 5, { respondedAt: at(5) })]);
    expect(s).toMatchObject({ responses: 1, satisfied: 1, score: 1 });
  });

  it("gives null score and rate without responses or without a sent count", () => {
    expect(csatScore([])).toMatchObject({ responses: 0, score: null, responseRate: null });
    expect(csatScore([response("a", 5)]).responseRate).toBeNull();
  });

  it("groups by agent, keeping responses without an agent under the empty key", () => {
    const by = csatBy(
      [response("a", 5, { agentId: "kim" }), response("b", 2, { agentId: "kim" }), response("c", 4)],
      (r) => r.agentId,
    );
    expect(by.get("kim")?.score).toBe(0.5);
    expect(by.get("")?.score).toBe(1);
  });
});

describe("SurveyResponseSchema", () => {
  it.each([0, 6, 3.5])("refuses rating %s with INVALID_INPUT", (rating) => {
    expect(() =>
      parseInput(SurveyResponseSchema, { ticketId: "a", rating, channel: "email", respondedAt: at(0) }),
    ).toThrow(expect.objectContaining({ code: "INVALID_INPUT", path: ["rating"] }));
  });

  it("keeps a Korean comment as written", () => {
    expect(response("a", 5, { comment: "친절하게 답해 주셔서 감사합니다" }).comment).toBe(
      "친절하게 답해 주셔서 감사합니다",
    );
  });
});
