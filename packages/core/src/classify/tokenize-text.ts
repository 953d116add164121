/**
 * Features for the trained classifier, per script: English words are stemmed (Porter2) and paired,
 * Korean is read as syllable bigrams (so "배송언제" and "배송 언제" look alike) plus particle-stripped
 * stems and initial-consonant bigrams (a vowel typo keeps them), and numbers become placeholders.
 */
import stem from "wink-porter2-stemmer";
import { stripKoreanEnding } from "./strip-korean-ending.js";

const HANGUL_SYLLABLE_START = 0xac00;
const HANGUL_SYLLABLE_END = 0xd7a3;
/** The 19 initial consonants in Unicode order, as compatibility jamo (ㄱ…ㅎ). */
const CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";

// Placeholders first, most specific first: an order id is not a price, a date is not a count.
const NORMALIZERS: Array<[RegExp, string]> = [
  [/\{\{[^}]*\}\}/g, " #slot "],
  [/https?:\/\/\S+|www\.\S+/g, " #url "],
  [/[\w.+-]+@[\w-]+\.[\w.]+/g, " #email "],
  [/\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b|\b\d{1,2}\/\d{1,2}\b|\d{1,2}\s*월\s*\d{1,2}\s*일/g, " #date "],
  [/\b0\d{1,2}-\d{3,4}-\d{4}\b|\b01\d{8,9}\b/g, " #phone "],
  [/#\s?[a-z]{0,4}-?\d{3,}|\b[a-z]{1,4}-\d{3,}\b|\d{6,}/g, " #order "],
  [/[$€£₩]\s?\d[\d,.]*|\d[\d,.]*\s?(?:원|만원|달러|dollars?|usd|krw|won|bucks)/g, " #money "],
  [/\d+/g, " #num "],
];

const ENGLISH_WORD = /[a-z]+(?:'[a-z]+)?|#[a-z]+/g;
const HANGUL_RUN = /[\uac00-\ud7a3]+/g;
const JAMO_RUN = /[\u3131-\u318e]{2,}/g;
// Phrases are cut at punctuation but not at spaces, so Korean bigrams do not depend on spacing.
const PHRASE_BREAK = /[.,!?;:()[\]"'~…\n\r\t/|]+/;

/** Contractions whose negation matters ("hasn't arrived", "didn't order"). */
const NEGATED = /n't$/;

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

/** Past this a "word" is a hash, a base64 blob or a key held down; the stemmer's regexes would crawl. */
const MAX_WORD = 40;

function stemWord(word: string): string {
  if (word.length > MAX_WORD) return "#long";
  let s = stemCache.get(word);
  if (s === undefined) {
    s = word.startsWith("#") ? word : stem(word.replace(/'s$/, ""));
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * NFC plus full-width ASCII folded to ASCII (ＡＢＣ１２３ → abc123). Not NFKC: NFKC turns the
 * compatibility jamo customers type (ㅠㅠ, ㅅㅂ, ㅡㅡ) into conjoining jamo that match nothing.
 *
 * @example
 * foldText("ＲＥＦＵＮＤ ㅠㅠ") // "REFUND ㅠㅠ"
 */
export function foldText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}

/**
 * Lower-cases, folds width (see {@link foldText}) and replaces order ids, dates, amounts, links
 * and other numbers by
 * placeholders (`#order`, `#date`, `#money`, `#url`, `#email`, `#phone`, `#num`).
 *
 * @example
 * normalizeText("Order #1001 on 2026-12-01 was $45") // "order  #order  on  #date  was  #money "
 */
export function normalizeText(text: string): string {
  let t = foldText(text).toLowerCase();
  for (const [re, placeholder] of NORMALIZERS) t = t.replace(re, placeholder);
  return t;
}

/**
 * Where features go. Built by pieces so the same walk yields either strings (for training and
 * for reading) or 32-bit FNV-1a hashes of those strings without building them: string building
 * and hashing of ~150 short concatenated strings per text was most of the scoring time.
 */
interface FeatureWriter {
  /** Appends code units `from`..`to` of `s` to the current feature. */
  str(s: string, from?: number, to?: number): void;
  /** Appends one code unit. */
  char(c: number): void;
  /** Ends the current feature and starts the next. */
  end(): void;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// Plain objects with closures (the codebase keeps classes for errors only).
function stringWriter(): FeatureWriter & { out: string[] } {
  const out: string[] = [];
  let parts = "";
  return {
    out,
    str(s, from = 0, to = s.length) {
      parts += from === 0 && to === s.length ? s : s.slice(from, to);
    },
    char(c) {
      parts += String.fromCharCode(c);
    },
    end() {
      out.push(parts);
      parts = "";
    },
  };
}

function hashWriter(): FeatureWriter & { out: number[] } {
  const out: number[] = [];
  let h = FNV_OFFSET;
  return {
    out,
    str(s, from = 0, to = s.length) {
      for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    },
    char(c) {
      h = Math.imul(h ^ c, FNV_PRIME);
    },
    end() {
      out.push(h >>> 0);
      h = FNV_OFFSET;
    },
  };
}

/**
 * The 32-bit FNV-1a hash of a feature string, equal to what {@link featureHashes} yields for it.
 *
 * @example
 * featureHashes("refund")[0] === hashFeature("refund") // true
 */
export function hashFeature(feature: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < feature.length; i++) h = Math.imul(h ^ feature.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const UNDERSCORE = 0x5f;
const TILDE = 0x7e;
const EQUALS = 0x3d;
const CARET = 0x5e;

function englishFeatures(text: string, w: FeatureWriter): void {
  const words = text.match(ENGLISH_WORD);
  if (!words) return;
  let prev = "";
  for (const raw of words) {
    const negated = NEGATED.test(raw);
    const word = negated ? raw.slice(0, -3) : raw;
    const s = stemWord(word);
    w.str(s);
    w.end();
    if (prev) {
      w.str(prev);
      w.char(UNDERSCORE);
      w.str(s);
      w.end();
    }
    prev = s;
    if (negated) {
      w.str("not");
      w.end();
      w.str(s);
      w.str("_not");
      w.end();
      prev = "not";
    }
    // Character trigrams of longer words carry typos ("cancle", "refnd", "shiping") to their word.
    if (word.length >= 5 && word.length <= MAX_WORD && word.charCodeAt(0) !== 0x23) {
      const padded = `<${word}>`;
      for (let i = 0; i + 3 <= padded.length; i++) {
        w.char(TILDE);
        w.str(padded, i, i + 3);
        w.end();
      }
    }
  }
}

function choseong(code: number): number {
  if (code < HANGUL_SYLLABLE_START || code > HANGUL_SYLLABLE_END) return code;
  return CHOSEONG.charCodeAt(Math.floor((code - HANGUL_SYLLABLE_START) / 588));
}

function koreanFeatures(phrase: string, w: FeatureWriter): void {
  const runs = phrase.match(HANGUL_RUN);
  if (!runs) return;
  for (const run of runs) {
    const stemmed = stripKoreanEnding(run);
    w.char(EQUALS);
    w.str(stemmed);
    w.end();
    if (stemmed.length > 2) {
      w.char(EQUALS);
      w.str(stemmed, 0, 2);
      w.end();
    }
  }
  const joined = runs.length === 1 ? runs[0] : runs.join("");
  for (let i = 0; i < joined.length; i++) {
    w.str(joined, i, i + 1);
    w.end();
    if (i + 1 < joined.length) {
      w.str(joined, i, i + 2);
      w.end();
      w.char(CARET);
      w.char(choseong(joined.charCodeAt(i)));
      w.char(choseong(joined.charCodeAt(i + 1)));
      w.end();
    }
  }
}

/**
 * Only the start of a long text is read: what a message is about is said early, and a bounded
 * input keeps scoring time bounded (a 250,000-character paste must not hold up ingest).
 */
export const MAX_CLASSIFIED_CHARS = 4000;

function walkFeatures(text: string, w: FeatureWriter): void {
  const normalized = normalizeText(text.length > MAX_CLASSIFIED_CHARS ? text.slice(0, MAX_CLASSIFIED_CHARS) : text);
  englishFeatures(normalized, w);
  for (const phrase of normalized.split(PHRASE_BREAK)) koreanFeatures(phrase, w);
  const jamo = normalized.match(JAMO_RUN);
  // Repeated jamo (ㅠㅠㅠㅠ, ㅋㅋㅋ) mean the same at any length: keep the first two.
  if (jamo)
    for (const j of jamo) {
      w.str(j, 0, 2);
      w.end();
    }
}

/**
 * The classifier's features of a text: English stems, stem bigrams and character trigrams;
 * Korean particle-stripped stems (`=배송`), syllables and syllable bigrams across spaces,
 * initial-consonant bigrams (`^ㅂㅅ`) and bare jamo runs (`ㅅㅂ`, `ㅠㅠ`); placeholders for
 * numbers. Pure and deterministic; repeated features are kept (the model counts them).
 *
 * @example
 * tokenizeText("Cancelling order #1001") // includes "cancel", "cancel_order", "#order"
 * tokenizeText("배송언제와요") // includes "배송", "=배송언제와" … and "^ㅂㅅ"
 */
export function tokenizeText(text: string): string[] {
  const w = stringWriter();
  walkFeatures(text, w);
  return w.out;
}

/**
 * The same features as {@link tokenizeText}, as {@link hashFeature} hashes, without building
 * the strings: what scoring uses.
 *
 * @example
 * featureHashes("refund please").length === tokenizeText("refund please").length // true
 */
export function featureHashes(text: string): number[] {
  const w = hashWriter();
  walkFeatures(text, w);
  return w.out;
}
