/**
 * A deterministic, generated audit history of many tickets with every event the reports read
 * (replies human and not, solves, reopens, survey answers, SLA outcomes, complaints, bot
 * hand-offs, products): the same input for the memory/PostgreSQL conformance and the bench.
 */
import type { TicketEvent } from "../domain/event.js";

/** Options of {@link generateReportHistory}. */
export interface HistoryOptions {
  tickets: number;
  /** First ticket's creation (default 2026-11-01T00:00:00Z); tickets spread over `days` (default 30). */
  start?: Date;
  days?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Number of the first ticket (ids `t<n>`), to generate a large history in chunks. Default 0. */
  firstTicket?: number;
}

const CATEGORIES = ["product", "shipping", "refund_exchange", "order_change", "payment", "complaint", "other"];
const CHANNELS = ["email", "whatsapp", "messenger", "webchat"];
const PRIORITIES = ["low", "normal", "high", "urgent"];
const AGENTS = ["kim", "lee", "park", "choi"];
const CAUSES = [
  "product_defect",
  "wrong_item",
  "late_delivery",
  "damaged_in_transit",
  "rude_service",
  "policy",
  "pricing",
  "other",
];
const MIN = 60_000;
/** Questions of the low-score hand-offs, as the knowledge bot writes them: [question, questionKey, language]. */
const QUESTIONS: [string, string, string][] = [
  ["배송 언제 와요?", "배송 언제", "ko"],
  ["배송은 언제 오나요", "배송 언제", "ko"],
  ["대량 구매 견적 받을 수 있나요?", "견적 구매 대량", "ko"],
  ["선물 포장 되나요", "선물 포장", "ko"],
  ["When will my order arrive?", "arriv order when", "en"],
  ["=SUM(1+1) can I pay by invoice?", "invoic pai sum", "en"],
  ["Do you ship abroad?", "abroad ship", "en"],
];

/**
 * The data of a low-score hand-off of ticket `i`, from the ticket's number (not the generator's
 * stream, so the other events stay as they were): old events without the question fields, person
 * requests without a question, gaps with and without a nearest article, and some above the score.
 */
function lowScoreHandoff(i: number): Record<string, unknown> {
  if (i % 10 === 0) return { trigger: "low_score", articleId: null, score: 0.2 };
  if (i % 10 === 1)
    return {
      trigger: "asked_for_person",
      articleId: null,
      score: null,
      question: null,
      questionKey: null,
      language: "ko",
    };
  const [question, questionKey, language] = QUESTIONS[i % QUESTIONS.length]!;
  const nearest = i % 4 === 0 ? null : `a${i % 5}`;
  const score = nearest === null ? null : [0.21, 0.48, 0.62][i % 3]!;
  return { trigger: "low_confidence", articleId: null, score, topArticleId: nearest, question, questionKey, language };
}

/**
 * Generates the events of `tickets` tickets (about 8 each), ordered by ticket then `seq`.
 *
 * @example
 * const events = generateReportHistory({ tickets: 1000 });
 * computeReport(events, { timeZone: "Asia/Seoul" });
 */
export function generateReportHistory(opts: HistoryOptions): TicketEvent[] {
  let state = (opts.seed ?? 1) >>> 0 || 1;
  // xorshift32: fast and the same on every machine.
  const rnd = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = (opts.start ?? new Date("2026-11-01T00:00:00Z")).getTime();
  const span = (opts.days ?? 30) * 1440 * MIN;
  const out: TicketEvent[] = [];
  for (let i = 0; i < opts.tickets; i++) {
    const ticketId = `t${(opts.firstTicket ?? 0) + i}`;
    let seq = 0;
    let t = start + Math.floor(rnd() * span);
    const push = (
      type: string,
      data: Record<string, unknown>,
      actor: TicketEvent["actor"] = { kind: "system", id: null },
    ) => {
      out.push({ id: `${ticketId}-${++seq}`, ticketId, seq, type, at: new Date(t), actor, data });
    };
    const later = (maxMinutes: number) => {
      t += 1 + Math.floor(rnd() * maxMinutes * MIN);
    };
    const category = pick(CATEGORIES);
    const channel = pick(CHANNELS);
    const agent = pick(AGENTS);
    const human = () =>
      push("reply.sent", { channel, authorKind: "agent", automatic: false }, { kind: "agent", id: agent });
    push("ticket.created", {
      channel,
      category,
      priority: pick(PRIORITIES),
      tags: rnd() < 0.2 ? ["vip"] : [],
      status: "new",
      // One ticket in 25 the shop opened from the provider's inbox (no first reply time); by
      // index, so the random stream and every other ticket stay as they were.
      ...(i % 25 === 24 ? { origin: "provider_inbox" } : {}),
    });
    push("message.received", { channel });
    push("sla.applied", { policyId: rnd() < 0.5 ? "default" : "vip" });
    if (rnd() < 0.3) {
      later(5);
      push(
        rnd() < 0.6 ? "bot.answered" : "bot.handoff",
        { trigger: "faq", articleId: "a1", score: 0.8 },
        { kind: "bot", id: "faq" },
      );
      if (rnd() < 0.3) push("bot.handoff", lowScoreHandoff((opts.firstTicket ?? 0) + i), { kind: "bot", id: "faq" });
    }
    if (rnd() < 0.3) {
      later(30);
      push("ack.sent", { channel, authorKind: "system", automatic: true });
    }
    if (rnd() < 0.15) push("category.changed", { from: category, to: pick(CATEGORIES) });
    if (rnd() < 0.8) push("assigned", { from: null, to: agent, ...(rnd() < 0.5 ? { toTeam: "cs" } : {}) });
    if (rnd() < 0.1) push("tags.changed", { from: [], to: ["escalated"] });
    if (rnd() < 0.85) {
      later(rnd() < 0.5 ? 60 : 2000);
      human();
      push(rnd() < 0.8 ? "sla.fulfilled" : "sla.breached", { metric: "first_reply" });
      if (rnd() < 0.4) {
        later(600);
        push("message.received", { channel });
        if (rnd() < 0.5) push("message.received", { channel });
        later(300);
        human();
      }
      if (rnd() < 0.7) {
        later(3000);
        push("status.changed", { from: "open", to: "solved", reason: "agent_replied" });
        push(rnd() < 0.85 ? "sla.fulfilled" : "sla.breached", { metric: "resolution" });
        if (rnd() < 0.3) {
          later(1440);
          push("csat.sent", { channel, via: "message" });
          if (rnd() < 0.6) {
            later(100);
            push("message.received", { channel });
            push("status.changed", { from: "solved", to: "open", reason: "customer_reopened" });
            push(
              "csat.received",
              { ticketId, rating: 1 + Math.floor(rnd() * 5), channel, agentId: agent, category },
              { kind: "customer", id: "c" },
            );
            push("status.changed", { from: "open", to: "solved", reason: "csat_answer" });
          }
        }
        if (rnd() < 0.1) {
          later(2000);
          push("message.received", { channel });
          push("status.changed", { from: "solved", to: "open", reason: "customer_reopened" });
          if (rnd() < 0.5) {
            later(500);
            human();
            push("status.changed", { from: "open", to: "solved", reason: "agent_replied" });
          }
        }
      }
    }
    if (category === "complaint" && rnd() < 0.7) {
      if (rnd() < 0.6) push("product.linked", { productId: `sku-${Math.floor(rnd() * 5)}` });
      later(600);
      push("complaint.advanced", { from: "confirm", to: "closed", satisfied: true, rootCause: pick(CAUSES) });
    }
    if (rnd() < 0.05) {
      later(10_000);
      push("status.changed", { from: "open", to: "closed", reason: "set" });
    }
  }
  return out;
}
