/**
 * FAQ gaps on the report: the bot's hand-offs that had no article or only a low-scoring one,
 * grouped by the question's grouping key (`questionKey` on `bot.handoff`, written by the
 * knowledge bot), so the shop sees which questions still need an FAQ entry.
 */
import type { TicketFacts } from "./ticket-facts.js";

/** One group of hand-offs on the same question. */
export interface FaqGap {
  /** The grouping key (`questionKey`): the question's analyzed terms, sorted. */
  key: string;
  /** Gap hand-offs in the group. */
  handoffs: number;
  /** Tickets with at least one of them. */
  tickets: number;
  /** Of those tickets, the ones resolved (at the end of the log) with a human reply at or after their first hand-off in the group. */
  resolvedByHuman: number;
  /** The latest hand-off's question (latest by time, then ticket id, then log order). */
  example: string | null;
  /** That hand-off's language. */
  language: string | null;
  /** The best-scoring article the group's hand-offs came with (ties: the smaller id), and its score. */
  bestArticleId: string | null;
  bestScore: number | null;
}

/** The FAQ gap section of a report. */
export interface FaqGapsReport {
  /** Gap hand-offs with a question key, over every group (not only the listed ones). */
  handoffs: number;
  /** Tickets with such a hand-off. */
  tickets: number;
  /** Gap hand-offs without a question key: logged before hand-offs carried one, or no question (a request for a person, a "no"). Not grouped. */
  withoutQuestion: number;
  /** The largest groups: most hand-offs first, then most tickets, then key (code point order). */
  groups: FaqGap[];
}

/** Options of {@link faqGaps}. */
export interface FaqGapsOptions {
  /** A hand-off whose article scored below this is a gap (default 0.55, the bot's default threshold). */
  minScore?: number;
  /** At most this many groups (default 10). */
  limit?: number;
}

/**
 * Compares strings by Unicode code point, the order of PostgreSQL's `COLLATE "C"` on UTF-8, so
 * the pure and SQL reports break ties the same way.
 *
 * @example
 * ["b", "a"].sort(compareCodePoints); // ["a", "b"]
 */
export function compareCodePoints(a: string, b: string): number {
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done || q.done) return p.done && q.done ? 0 : p.done ? -1 : 1;
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

interface Group {
  handoffs: number;
  firstAt: Map<string, number>;
  example: { at: number; ticketId: string; seq: number; question: string; language: string | null } | null;
  best: { articleId: string; score: number | null } | null;
}

/**
 * FAQ gaps from the tickets' `bot.handoff` events: a hand-off is a gap when it names no article
 * (neither `articleId` nor `topArticleId`), no score, or a score below `minScore`.
 *
 * @example
 * faqGaps(facts, { limit: 5 }).groups[0]; // { key: "배송 언제", handoffs: 12, tickets: 11, resolvedByHuman: 9, example: "배송 언제 와요?", … }
 */
export function faqGaps(facts: readonly TicketFacts[], options: FaqGapsOptions = {}): FaqGapsReport {
  const minScore = options.minScore ?? 0.55;
  const groups = new Map<string, Group>();
  const byTicket = new Map<string, TicketFacts>();
  let handoffs = 0;
  let withoutQuestion = 0;
  for (const f of facts) {
    for (const h of f.handoffs) {
      if (h.articleId !== null && h.score !== null && h.score >= minScore) continue;
      if (h.key === null) {
        withoutQuestion++;
        continue;
      }
      handoffs++;
      byTicket.set(f.ticketId, f);
      let g = groups.get(h.key);
      if (!g) groups.set(h.key, (g = { handoffs: 0, firstAt: new Map(), example: null, best: null }));
      g.handoffs++;
      g.firstAt.set(f.ticketId, Math.min(g.firstAt.get(f.ticketId) ?? h.at, h.at));
      const ex = g.example;
      if (
        h.question !== null &&
        (ex === null ||
          h.at > ex.at ||
          (h.at === ex.at &&
            (compareCodePoints(f.ticketId, ex.ticketId) < 0 || (f.ticketId === ex.ticketId && h.seq > ex.seq))))
      )
        g.example = { at: h.at, ticketId: f.ticketId, seq: h.seq, question: h.question, language: h.language };
      const b = g.best;
      if (
        h.articleId !== null &&
        (b === null ||
          (h.score ?? -Infinity) > (b.score ?? -Infinity) ||
          (h.score === b.score && compareCodePoints(h.articleId, b.articleId) < 0))
      )
        g.best = { articleId: h.articleId, score: h.score };
    }
  }
  const list = [...groups].map(([key, g]): FaqGap => {
    let resolvedByHuman = 0;
    for (const [ticketId, firstAt] of g.firstAt) {
      const f = byTicket.get(ticketId)!;
      if (f.resolvedAt !== null && f.lastHumanReplyAt !== null && f.lastHumanReplyAt >= firstAt) resolvedByHuman++;
    }
    return {
      key,
      handoffs: g.handoffs,
      tickets: g.firstAt.size,
      resolvedByHuman,
      example: g.example?.question ?? null,
      language: g.example?.language ?? null,
      bestArticleId: g.best?.articleId ?? null,
      bestScore: g.best?.score ?? null,
    };
  });
  list.sort((a, b) => b.handoffs - a.handoffs || b.tickets - a.tickets || compareCodePoints(a.key, b.key));
  return { handoffs, tickets: byTicket.size, withoutQuestion, groups: list.slice(0, options.limit ?? 10) };
}
