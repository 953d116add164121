/**
 * Macro search. Core has no search analysis of its own beyond {@link matchesText}; the knowledge
 * package's Korean-aware analyzer (particles stripped, compounds cut into bigrams, English
 * stemmed) can be passed in, so core never depends on the knowledge package.
 */
import { matchesText } from "./match-text.js";
import type { Macro } from "./macro.js";

/** Turns a text into search terms (e.g. `(t) => analyze(t).terms` from `@storedesk/knowledge`). */
export type TextAnalyzer = (text: string) => readonly string[];

function macroText(m: Macro): string {
  return [m.title, ...Object.values(m.reply ?? {})].join("\n");
}

/**
 * Macros matching `query`, best first. Without an analyzer: those whose title or reply contains
 * every word of the query (`matchesText`, in their stored order). With one: those sharing at
 * least half of the query's terms with their title or reply, ranked by that share (ties keep the
 * stored order), so "교환신청" (terms 교환신청, 교환, 환신, 신청) finds "교환 신청 안내".
 *
 * @example
 * searchMacros(macros, "환불", (t) => analyze(t).terms);
 */
export function searchMacros(macros: readonly Macro[], query: string, analyzer?: TextAnalyzer): Macro[] {
  if (!analyzer) {
    const words = query.split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    return macros.filter((m) => words.every((w) => matchesText(macroText(m), w)));
  }
  const wanted = [...new Set(analyzer(query))];
  if (wanted.length === 0) return [];
  return macros
    .map((m, i) => {
      const terms = new Set(analyzer(macroText(m)));
      return { m, i, share: wanted.filter((t) => terms.has(t)).length / wanted.length };
    })
    .filter((s) => s.share >= 0.5)
    .sort((a, b) => b.share - a.share || a.i - b.i)
    .map((s) => s.m);
}
