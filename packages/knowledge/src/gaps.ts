/** Grouping unanswered questions by similarity, so the shop sees which FAQ entries are missing. */
import { analyze, isQuestionWord } from "./analyze.js";

/** A question the knowledge base was asked, as logged. */
export interface AskedQuestion {
  id: string;
  text: string;
  locale: string;
  at: Date;
  /** Whether an article answered it with enough confidence. */
  confident: boolean;
  topArticleId: string | null;
  score: number;
  ticketId: string | null;
}

/** One group of similar unanswered questions. */
export interface KnowledgeGap {
  count: number;
  /** Up to five of the questions, newest first. */
  examples: string[];
  /** The words the group shares most (analyzed terms). */
  terms: string[];
  locales: string[];
  firstAskedAt: Date;
  lastAskedAt: Date;
  /** The article that came closest, if any (a candidate to improve rather than a new one to write). */
  nearestArticleId: string | null;
}

/** Options of {@link groupGaps}. */
export interface GroupGapsOptions {
  /** Token Jaccard similarity at which two questions are one gap (default 0.34). */
  similarity?: number;
  /** At most this many groups (default 50). */
  limit?: number;
}

/** The analyzed topic terms of a question (question words left out). */
function topicTerms(text: string): Set<string> {
  const a = analyze(text);
  return new Set([...a.terms.filter((t) => !isQuestionWord(t)), ...a.choseongQuery]);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Groups questions by the token Jaccard similarity of their analyzed terms (Hangul stems and
 * bigrams, so "포장 가능한가요" and "선물포장 되나요" meet on 포장). Greedy single pass, oldest
 * first, against each group's first question; groups sorted by size.
 *
 * @example
 * groupGaps(questions.filter((q) => !q.confident))[0]; // { count: 7, examples: ["선물 포장 되나요?", …], … }
 */
export function groupGaps(questions: AskedQuestion[], options: GroupGapsOptions = {}): KnowledgeGap[] {
  const threshold = options.similarity ?? 0.34;
  const groups: Array<{ rep: Set<string>; members: Array<{ q: AskedQuestion; terms: Set<string> }> }> = [];
  const sorted = [...questions].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const q of sorted) {
    const terms = topicTerms(q.text);
    if (terms.size === 0) continue;
    let best: (typeof groups)[number] | null = null;
    let bestSim = threshold;
    for (const g of groups) {
      const sim = jaccard(terms, g.rep);
      if (sim >= bestSim) {
        best = g;
        bestSim = sim;
      }
    }
    if (best) best.members.push({ q, terms });
    else groups.push({ rep: terms, members: [{ q, terms }] });
  }
  return groups
    .map((g): KnowledgeGap => {
      const freq = new Map<string, number>();
      for (const m of g.members) for (const t of m.terms) freq.set(t, (freq.get(t) ?? 0) + 1);
      const nearest = new Map<string, number>();
      for (const m of g.members)
        if (m.q.topArticleId) nearest.set(m.q.topArticleId, (nearest.get(m.q.topArticleId) ?? 0) + 1);
      const members = g.members.map((m) => m.q);
      return {
        count: members.length,
        examples: [...new Set(members.map((m) => m.text))].reverse().slice(0, 5),
        terms: [...freq.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([t]) => t),
        locales: [...new Set(members.map((m) => m.locale))],
        firstAskedAt: members[0]!.at,
        lastAskedAt: members[members.length - 1]!.at,
        nearestArticleId: [...nearest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime())
    .slice(0, options.limit ?? 50);
}
