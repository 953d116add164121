/**
 * The customer's question as the bot's audit events carry it: the text cleaned and cut, and a
 * grouping key from the analyzer's terms, so reports can group hand-offs by what was asked
 * without running the analyzer (core's `faqGaps` reads the key as it is).
 */
import { analyze } from "./analyze.js";
import { splitCompound } from "./compound-nouns.js";
import { canonicalTerms, DEFAULT_SYNONYMS, type CanonicalTerms } from "./synonyms.js";

let defaultCanonical: CanonicalTerms | null = null;
/** The default synonyms' canonical terms, compiled on first use. */
function defaultCanonicalTerms(): CanonicalTerms {
  return (defaultCanonical ??= canonicalTerms(DEFAULT_SYNONYMS));
}

/** Longest question text kept on an event (characters, an ellipsis included). */
export const QUESTION_MAX_CHARS = 200;

/** Longest grouping key (characters); whole terms are dropped from the end past it. */
export const QUESTION_KEY_MAX_CHARS = 200;

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g;
// Six digits or more (dashes and spaces between them allowed): phone, order, card and account numbers.
const LONG_NUMBER = /\d(?:[-\s]?\d){5,}/g;
// C0/C1 controls except tab and newlines, and the zero-width and bidi marks.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/**
 * A question fit for a report: NFC, invisible and control characters removed, whitespace
 * collapsed, e-mail addresses and long numbers masked (`[email]`, `[number]`), cut to `max`
 * characters (never inside a surrogate pair) with an ellipsis. Null when nothing is left.
 *
 * @example
 * cleanQuestion("  배송  언제\n와요?  010-1234-5678 "); // "배송 언제 와요? [number]"
 */
export function cleanQuestion(text: string, max: number = QUESTION_MAX_CHARS): string | null {
  const cleaned = text
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(EMAIL, "[email]")
    .replace(LONG_NUMBER, "[number]")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned.length === 0) return null;
  const chars = [...cleaned];
  return chars.length <= max ? cleaned : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * The grouping key of a question: the analyzer's distinct terms (Hangul stems without their
 * particles and endings, English stems, question words kept; bigrams of longer stems and bare
 * numbers left out) sorted and joined by a space. Questions worded with other endings share a key
 * ("배송 언제 와요?" and "배송은 언제 오나요" → "배송 언제"), and so does a compound of shop nouns
 * written with and without spaces ("교환신청" and "교환 신청" → "교환 신청": see
 * {@link splitCompound}). Synonyms of equal weight share a key too, each term replaced by the one
 * that stands for its set ({@link canonicalTerms}: "택배 언제 와요" → "배송 언제"); `canonical`
 * defaults to that of {@link DEFAULT_SYNONYMS} (a knowledge base passes its own). Null when no term
 * is left ("아니요", "???").
 *
 * @example
 * questionKey("배송은 언제 오나요"); // "배송 언제"
 * questionKey("When will my order arrive?"); // "arriv order when"
 */
export function questionKey(text: string, canonical: CanonicalTerms = defaultCanonicalTerms()): string | null {
  const terms = analyze(text).terms.filter((t) => !/^\d+$/.test(t));
  const longer = terms.filter((t) => t.length > 2);
  // A two-syllable term inside a longer stem of the same text is one of that stem's bigrams.
  const stems = terms.filter(
    (t) => t.length > 2 || !/^[\uac00-\ud7a3]+$/.test(t) || !longer.some((l) => l.includes(t)),
  );
  // A compound of shop nouns is keyed by its words, as if written with spaces ("교환신청" → "교환 신청").
  const words = stems.flatMap((t) => splitCompound(t) ?? [t]).map((t) => canonical.get(t) ?? t);
  const sorted = [...new Set(words)].sort();
  let key = "";
  for (const t of sorted) {
    const next = key ? `${key} ${t}` : t;
    if (next.length > QUESTION_KEY_MAX_CHARS) break;
    key = next;
  }
  return key || null;
}

/** The question fields of a `bot.handoff` event's data. */
export interface HandoffQuestion {
  /** The customer's message, cleaned ({@link cleanQuestion}); null when it was no question. */
  question: string | null;
  /** Its grouping key ({@link questionKey}); null when it was no question or has no content word. */
  questionKey: string | null;
  /** The language the bot searched and answered in. */
  language: string;
}

/**
 * The question fields for a hand-off event. `asked` is false when the bot did not search the
 * message (a "예"/"아니요", a request for a person, a ticket a person already has): those are no
 * question, so both fields are null, as the knowledge gap report leaves them out too.
 *
 * @example
 * handoffQuestion("배송은 언제 오나요", "ko", true); // { question: "배송은 언제 오나요", questionKey: "배송 언제", language: "ko" }
 */
export function handoffQuestion(
  text: string,
  language: string,
  asked: boolean,
  canonical: CanonicalTerms = defaultCanonicalTerms(),
): HandoffQuestion {
  if (!asked) return { question: null, questionKey: null, language };
  const question = cleanQuestion(text);
  // The key leaves out what was masked: an order number must not split "where is my order" groups.
  const bare = text.replace(EMAIL, " ").replace(LONG_NUMBER, " ");
  return { question, questionKey: question === null ? null : questionKey(bare, canonical), language };
}
