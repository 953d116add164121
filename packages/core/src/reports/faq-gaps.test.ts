import { describe, expect, it } from "vitest";
import { computeReport } from "./compute-report.js";
import { compareCodePoints } from "./faq-gaps.js";
import { reportToCsv } from "./report-export.js";
import type { Actor, TicketEvent } from "../domain/event.js";

const MIN = 60_000;
const T0 = Date.parse("2026-11-02T00:00:00Z");
const bot: Actor = { kind: "bot", id: "knowledge-bot" };
const kim: Actor = { kind: "agent", id: "kim" };

/** One ticket's log: each step is [minutes after T0, type, data, actor]. */
function ticket(id: string, steps: [number, string, Record<string, unknown>, Actor?][]): TicketEvent[] {
  return steps.map(([min, type, data, actor], i) => ({
    id: `${id}-e${i + 1}`,
    ticketId: id,
    seq: i + 1,
    type,
    at: new Date(T0 + min * MIN),
    actor: actor ?? { kind: "system", id: null },
    data,
  }));
}
const created = { status: "new", priority: "normal", category: "shipping", channel: "webchat", tags: [] };
const human = { channel: "webchat", authorKind: "agent", automatic: false };
const handoff = (question: string | null, questionKey: string | null, extra: Record<string, unknown> = {}) => ({
  trigger: "low_confidence",
  articleId: null,
  score: 0.3,
  topArticleId: "ship-time",
  messageId: "m",
  question,
  questionKey,
  language: "ko",
  ...extra,
});

const history = [
  // Asked twice on one ticket, answered and solved by a person after the hand-off.
  ...ticket("t1", [
    [0, "ticket.created", created],
    [1, "bot.handoff", handoff("배송 언제 와요?", "배송 언제"), bot],
    [2, "bot.handoff", handoff("배송 언제 와요??", "배송 언제", { score: 0.4 }), bot],
    [30, "reply.sent", human, kim],
    [40, "status.changed", { from: "open", to: "solved" }, kim],
  ]),
  // Same key, other wording, later: the example; not resolved.
  ...ticket("t2", [
    [5, "ticket.created", created],
    [6, "bot.handoff", handoff("배송은 언제 오나요", "배송 언제", { topArticleId: "ship-fee", score: 0.5 }), bot],
  ]),
  // Solved, but the only human reply came before the hand-off: not resolved by a human after it.
  ...ticket("t3", [
    [7, "ticket.created", created],
    [8, "reply.sent", human, kim],
    [9, "bot.handoff", handoff("대량 구매 견적 되나요", "견적 구매 대량", { topArticleId: null, score: null }), bot],
    [20, "status.changed", { from: "open", to: "solved" }, kim],
  ]),
  // Not gaps: an article above the score, an older event without question fields, a person request.
  ...ticket("t4", [
    [10, "ticket.created", created],
    [11, "bot.handoff", handoff("반품비 얼마예요", "반품비 얼마", { articleId: "return-fee", score: 0.8 }), bot],
    [12, "bot.handoff", { trigger: "low_score", articleId: null, score: 0.2 }, bot],
    [13, "bot.handoff", handoff(null, null, { trigger: "asked_for_person", topArticleId: null, score: null }), bot],
  ]),
];

describe("computeReport: FAQ gaps from the bot's hand-offs", () => {
  const r = computeReport(history).faqGaps;

  it("groups gap hand-offs by question key, most hand-offs first", () => {
    expect(r.groups.map((g) => [g.key, g.handoffs, g.tickets])).toEqual([
      ["배송 언제", 3, 2],
      ["견적 구매 대량", 1, 1],
    ]);
    expect(r).toMatchObject({ handoffs: 4, tickets: 3 });
  });

  it("gives the latest question as the example, with its language, and the best-scoring nearest article", () => {
    expect(r.groups[0]).toMatchObject({
      example: "배송은 언제 오나요",
      language: "ko",
      bestArticleId: "ship-fee",
      bestScore: 0.5,
    });
    expect(r.groups[1]).toMatchObject({ bestArticleId: null, bestScore: null });
  });

  it("counts tickets a person resolved after the hand-off", () => {
    expect(r.groups.map((g) => g.resolvedByHuman)).toEqual([1, 0]);
  });

  it("leaves hand-offs with a good enough article out, and counts those without a question apart", () => {
    expect(r.groups.some((g) => g.key === "반품비 얼마")).toBe(false);
    expect(r.withoutQuestion).toBe(2);
  });

  it("takes the minimum score and the number of groups from the options", () => {
    const strict = computeReport(history, { faqGaps: { minScore: 0.9, limit: 1 } }).faqGaps;
    expect(strict.groups.map((g) => g.key)).toEqual(["배송 언제"]);
    expect(strict.handoffs).toBe(5);
    const loose = computeReport(history, { faqGaps: { minScore: 0.45, limit: 5 } }).faqGaps;
    expect(loose.groups[0]).toMatchObject({ key: "배송 언제", handoffs: 2, bestArticleId: "ship-time" });
  });

  it("follows the report's filters", () => {
    expect(computeReport(history, { channels: ["email"] }).faqGaps).toEqual({
      handoffs: 0,
      tickets: 0,
      withoutQuestion: 0,
      groups: [],
    });
  });

  it("is exported to CSV, one row per figure and group, examples defused", () => {
    const csv = reportToCsv(computeReport(history)).split("\r\n");
    expect(csv).toContain("faq_gaps,handoffs,4");
    expect(csv).toContain("faq_gaps,without_question,2");
    expect(csv).toContain("faq_gap_handoffs,배송 언제,3");
    expect(csv).toContain("faq_gap_example,배송 언제,배송은 언제 오나요");
    expect(csv).toContain("faq_gap_best_score,견적 구매 대량,");
    const formula = ticket("t9", [
      [0, "ticket.created", created],
      [1, "bot.handoff", handoff("=SUM(1+1) invoice?", "invoic sum"), bot],
    ]);
    expect(reportToCsv(computeReport(formula))).toContain("faq_gap_example,invoic sum,'=SUM(1+1) invoice?");
  });
});

describe("compareCodePoints", () => {
  it('orders by code point, as PostgreSQL\'s COLLATE "C" does, not by UTF-16 unit', () => {
    expect(["b", "a", "가", "B"].sort(compareCodePoints)).toEqual(["B", "a", "b", "가"]);
    expect(compareCodePoints("\uffff", "😀")).toBeLessThan(0);
    expect(compareCodePoints("ab", "a")).toBeGreaterThan(0);
    expect(compareCodePoints("a", "a")).toBe(0);
  });
});
