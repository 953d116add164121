/**
 * The first, rule-based classifier: hand-weighted Korean and English lexicons. No longer the
 * default (it was right on 37% of real English inquiries); kept as the baseline the trained
 * model is measured against, and for shops that want rules they can read.
 */
import type { Category, Priority } from "../domain/enums.js";
import type { Classification, Classifier, ClassifierInput } from "./classification.js";
import { detectLanguage } from "./detect-language.js";
import { CATEGORY_LEXICONS, COMPLAINT_LEXICON, ESCALATION_LEXICON, URGENCY_LEXICON, type Lexicon } from "./lexicons.js";

/** Model id the lexicon classifier reports in `Classification.modelId`. */
export const LEXICON_MODEL_ID = "lexicon-1";

/** Score at which a message counts as a complaint. */
export const COMPLAINT_THRESHOLD = 4;

const LATIN = /[a-z]/gi;
interface CompiledLexicon {
  ko: Array<[string, number]>;
  /** One alternation of every English term, longest first, on word boundaries. */
  en: RegExp | null;
  enWeights: Map<string, number>;
}
const compiledLexicons = new WeakMap<Lexicon, CompiledLexicon>();

function compile(lexicon: Lexicon): CompiledLexicon {
  let c = compiledLexicons.get(lexicon);
  if (!c) {
    const terms = Object.keys(lexicon.en).sort((a, b) => b.length - a.length);
    const alternation = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+")).join("|");
    c = {
      ko: Object.entries(lexicon.ko),
      en: terms.length > 0 ? new RegExp(`(?<![a-z])(?:${alternation})(?![a-z])`, "g") : null,
      enWeights: new Map(terms.map((t) => [t, lexicon.en[t]!])),
    };
    compiledLexicons.set(lexicon, c);
  }
  return c;
}

/** Which scripts a text holds, so a lexicon pass can skip the language that cannot match. */
interface Scripts {
  hangul: boolean;
  latin: boolean;
}

function score(
  text: string,
  lexicon: Lexicon,
  matched: string[],
  scripts: Scripts = { hangul: true, latin: true },
): number {
  const c = compile(lexicon);
  let total = 0;
  // Korean terms are Hangul (some with "ㅡ"/"-_-" emoticons): skip them for a text with neither.
  if (scripts.hangul || text.includes("-_-")) {
    for (const [term, weight] of c.ko) {
      if (text.includes(term)) {
        total += weight;
        matched.push(term);
      }
    }
  }
  if (c.en && scripts.latin) {
    const seen = new Set<string>();
    for (const m of text.matchAll(c.en)) {
      const term = m[0].replace(/\s+/g, " ");
      if (seen.has(term)) continue;
      seen.add(term);
      total += c.enWeights.get(term) ?? 0;
      matched.push(term);
    }
  }
  return total;
}

/**
 * The rule-based classifier: category, language, complaint signal, sentiment and a suggested
 * priority, from the Korean and English lexicons. Pure and fast (no I/O).
 *
 * @example
 * classifyWithLexicons({ text: "환불해 주세요. 정말 최악이네요" }).category // "complaint"
 */
export function classifyWithLexicons(input: ClassifierInput): Classification {
  const raw = `${input.subject ?? ""}\n${input.text}`;
  const text = raw.normalize("NFKC").toLowerCase();
  const matched: string[] = [];
  const scripts: Scripts = {
    hangul: /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(text),
    latin: /[a-z]/.test(text),
  };

  let best: Category = "other";
  let bestScore = 0;
  let total = 0;
  const scores: Record<string, number> = {};
  for (const [category, lexicon] of Object.entries(CATEGORY_LEXICONS) as Array<[Category, Lexicon]>) {
    const s = score(text, lexicon, matched, scripts);
    total += s;
    scores[category] = s;
    if (s > bestScore) {
      best = category;
      bestScore = s;
    }
  }

  let complaintScore = score(text, COMPLAINT_LEXICON, matched, scripts);
  // Shouting and piled-up punctuation are anger markers in both languages.
  const letters = raw.match(LATIN) ?? [];
  const upper = raw.match(/[A-Z]/g)?.length ?? 0;
  if (letters.length >= 12 && upper / letters.length > 0.6) complaintScore += 2;
  if (/[!?]{3,}/.test(raw)) complaintScore += 1.5;
  const escalation = score(text, ESCALATION_LEXICON, [], scripts) > 0;
  const urgency = score(text, URGENCY_LEXICON, matched, scripts);

  const signal = complaintScore >= COMPLAINT_THRESHOLD;
  const category: Category = signal ? "complaint" : best;
  const sentiment =
    complaintScore >= 2
      ? "negative"
      : /(감사|고맙|좋아요|최고|thank|thanks|great|love it|awesome)/i.test(text)
        ? "positive"
        : "neutral";
  const suggestedPriority: Priority = escalation
    ? "urgent"
    : signal
      ? complaintScore >= 8 || urgency >= 3
        ? "urgent"
        : "high"
      : urgency >= 3
        ? "high"
        : "normal";
  const confidence = signal
    ? Math.min(1, complaintScore / 10 + 0.3)
    : total === 0
      ? 0
      : Math.min(1, (bestScore / total) * Math.min(1, bestScore / 4));

  return {
    category,
    topic: best === "other" && signal ? "complaint" : best,
    language: detectLanguage(raw, input.localeHint),
    complaint: { signal, score: complaintScore },
    sentiment,
    suggestedPriority,
    confidence: Math.round(confidence * 100) / 100,
    matched: [...new Set(matched)],
    modelId: LEXICON_MODEL_ID,
    // Lexicon scores are not probabilities: each category's share of all matched weight.
    scores: Object.fromEntries(
      Object.entries(scores).map(([c, s]) => [c, total === 0 ? 0 : Math.round((s / total) * 100) / 100]),
    ),
  };
}

/**
 * The lexicon classifier as a {@link Classifier}, for `createDesk({ classifier: lexiconClassifier })`.
 *
 * @example
 * createDesk({ store, classifier: lexiconClassifier });
 */
export const lexiconClassifier: Classifier = classifyWithLexicons;
