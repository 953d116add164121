/**
 * Features for the trained classifier, per script: English words are stemmed (Porter2) and paired,
 * Korean is read as syllable bigrams (so "배송언제" and "배송 언제" look alike) plus particle-stripped
 * stems and initial-consonant bigrams (a vowel typo keeps them), and numbers become placeholders.
 * What is read is the customer's own words (quoted mail dropped), its asking sentences twice.
 */
import stem from "wink-porter2-stemmer";
import { spanCache, spanGet, spanSet } from "./span-cache.js";
import { stripKoreanEnding } from "./strip-korean-ending.js";
import { emphasizeAsk } from "./emphasize-ask.js";
import { stripQuotedText } from "./strip-quoted-text.js";

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
 * Whether a code unit leaves NFC alone wherever it stands: below U+0300 (where the combining
 * marks start), Hangul syllables and compatibility jamo. All have NFC quick-check Yes and
 * combining class 0, so a string of them is already NFC (a test checks V8 agrees).
 */
export function isNfcSafe(c: number): boolean {
  return c < 0x300 || (c >= HANGUL_SYLLABLE_START && c <= HANGUL_SYLLABLE_END) || (c >= 0x3131 && c <= 0x318e);
}

/**
 * NFC plus full-width ASCII folded to ASCII (ＡＢＣ１２３ → abc123). Not NFKC: NFKC turns the
 * compatibility jamo customers type (ㅠㅠ, ㅅㅂ, ㅡㅡ) into conjoining jamo that match nothing.
 *
 * @example
 * foldText("ＲＥＦＵＮＤ ㅠㅠ") // "REFUND ㅠㅠ"
 */
export function foldText(text: string): string {
  // Most texts need neither NFC nor the width fold: one scan instead of ICU and two replaces.
  let i = 0;
  while (i < text.length && isNfcSafe(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  return text
    .normalize("NFC")
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}

const DIGIT = 1;
const AT = 2;
const BRACE = 4;
const HANGUL = 8;
const JAMO = 16;

/**
 * Which characters a text has that a pattern or a pass needs (digits, @, {, Hangul syllables,
 * compatibility jamo): a pattern or pass whose character is missing is skipped. Exact, because
 * the placeholders only ever remove such characters (their replacements are ASCII letters).
 */
function charFlags(lower: string): number {
  let flags = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x30 && c <= 0x39) flags |= DIGIT;
      else if (c === 0x40) flags |= AT;
      else if (c === 0x7b) flags |= BRACE;
    } else if (c >= HANGUL_SYLLABLE_START && c <= HANGUL_SYLLABLE_END) flags |= HANGUL;
    else if (c >= 0x3131 && c <= 0x318e) flags |= JAMO;
  }
  return flags;
}

/** Replaces the placeholders' patterns in folded lower-case text (see {@link normalizeText}). */
function placeholders(lower: string, flags: number): string {
  let t = lower;
  if (flags & BRACE) t = t.replace(NORMALIZERS[0]![0], NORMALIZERS[0]![1]);
  if (t.includes("http") || t.includes("www.")) t = t.replace(NORMALIZERS[1]![0], NORMALIZERS[1]![1]);
  if (flags & AT) t = t.replace(NORMALIZERS[2]![0], NORMALIZERS[2]![1]);
  if (flags & DIGIT) for (let i = 3; i < NORMALIZERS.length; i++) t = t.replace(NORMALIZERS[i]![0], NORMALIZERS[i]![1]);
  return t;
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
  const lower = foldText(text).toLowerCase();
  return placeholders(lower, charFlags(lower));
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

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

/** Continues an FNV-1a hash `h` over `s` (the hash of a concatenation without building it). */
function hashOn(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const UNDERSCORE = 0x5f;
const NOT_HASH = hashFeature("not");

/*
 * The walk below is hand-written over char codes rather than regex matches, splits and slices:
 * scoring calls it for every message, and the regex version allocated an array and a string per
 * word, phrase and n-gram. It yields each feature's FNV hash into a reused buffer and, only when
 * `names` is given (training, tokenizeText), the feature string too, so both come from one walk.
 * Each loop states the pattern it replaces; the equivalence test pins the output.
 */

/**
 * The hashes of the last walk; grown before a walk to what it can yield (see walkFeatureHashes),
 * so the walk writes `out[n++] = h` (a Uint32Array stores h >>> 0) with no check per feature.
 */
let featureBuffer = new Uint32Array(1024);

const isAsciiLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/** What a word token contributes, computed once per distinct token. */
interface WordInfo {
  stem: string;
  stemHash: number;
  /** The token ended in n't: "not" and `stem_not` follow the stem. */
  negated: boolean;
  notHash: number;
  /** Hashes of the `~xyz` character trigrams of `<word>`, empty when the word has none. */
  trigrams: Uint32Array;
  /** The word the trigrams are taken from (the token without n't). */
  word: string;
}

const wordCache = spanCache<WordInfo>(STEM_CACHE_LIMIT);
const NO_TRIGRAMS = new Uint32Array(0);

/** The word token `t[from..to)`, whose FNV hash is `h`. */
function wordInfo(t: string, from: number, to: number, h: number): WordInfo {
  let info = spanGet(wordCache, t, from, to, h);
  if (info === undefined) {
    const raw = t.slice(from, to);
    const negated = raw.endsWith("n't");
    const word = negated ? raw.slice(0, -3) : raw;
    const s = stemWord(word);
    let trigrams = NO_TRIGRAMS;
    // Character trigrams of longer words carry typos ("cancle", "refnd", "shiping") to their word.
    if (word.length >= 5 && word.length <= MAX_WORD && word.charCodeAt(0) !== 0x23) {
      const padded = `<${word}>`;
      trigrams = new Uint32Array(padded.length - 2);
      for (let i = 0; i + 3 <= padded.length; i++) trigrams[i] = hashFeature(`~${padded.slice(i, i + 3)}`);
    }
    info = { stem: s, stemHash: hashFeature(s), negated, notHash: hashFeature(`${s}_not`), trigrams, word };
    spanSet(wordCache, raw, h, info);
  }
  return info;
}

/** English: tokens of /[a-z]+(?:'[a-z]+)?|#[a-z]+/g, stemmed, with stem bigrams and negation. */
function englishFeatures(t: string, out: Uint32Array, n0: number, names: string[] | null): number {
  let n = n0;
  const len = t.length;
  let prev = "";
  let prevHash = 0;
  let i = 0;
  while (i < len) {
    const c = t.charCodeAt(i);
    let j = i + 1;
    // The token's hash, for the word cache, as it is scanned.
    let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
    let d: number;
    if (isAsciiLower(c)) {
      while (j < len && isAsciiLower((d = t.charCodeAt(j)))) {
        h = Math.imul(h ^ d, FNV_PRIME);
        j++;
      }
      if (j + 1 < len && t.charCodeAt(j) === 0x27 && isAsciiLower(t.charCodeAt(j + 1))) {
        h = Math.imul(h ^ 0x27, FNV_PRIME);
        j++;
        while (j < len && isAsciiLower((d = t.charCodeAt(j)))) {
          h = Math.imul(h ^ d, FNV_PRIME);
          j++;
        }
      }
    } else if (c === 0x23 && i + 1 < len && isAsciiLower(t.charCodeAt(i + 1))) {
      while (j < len && isAsciiLower((d = t.charCodeAt(j)))) {
        h = Math.imul(h ^ d, FNV_PRIME);
        j++;
      }
    } else {
      i++;
      continue;
    }
    const w = wordInfo(t, i, j, h);
    i = j;
    const s = w.stem;
    out[n++] = w.stemHash;
    names?.push(s);
    if (prev) {
      out[n++] = hashOn(Math.imul(prevHash ^ UNDERSCORE, FNV_PRIME), s);
      names?.push(`${prev}_${s}`);
    }
    prev = s;
    prevHash = w.stemHash;
    if (w.negated) {
      out[n++] = NOT_HASH;
      out[n++] = w.notHash;
      names?.push("not", `${s}_not`);
      prev = "not";
      prevHash = NOT_HASH;
    }
    for (let k = 0; k < w.trigrams.length; k++) out[n++] = w.trigrams[k]!;
    if (names && w.trigrams.length > 0) {
      const padded = `<${w.word}>`;
      for (let k = 0; k + 3 <= padded.length; k++) names.push(`~${padded.slice(k, k + 3)}`);
    }
  }
  return n;
}

/** The particle-stripped stem of one Hangul run, as `=stem` and `=st` features. */
interface RunInfo {
  stemmed: string;
  stemHash: number;
  /** Hash of `=` and the stem's first two syllables, or -1 when the stem has two or fewer. */
  shortHash: number;
}

const runCache = spanCache<RunInfo>(STEM_CACHE_LIMIT);

/** The Hangul run `t[from..to)`, whose FNV hash is `h`. */
function runInfo(t: string, from: number, to: number, h: number): RunInfo {
  let info = spanGet(runCache, t, from, to, h);
  if (info === undefined) {
    const run = t.slice(from, to);
    const stemmed = stripKoreanEnding(run);
    info = {
      stemmed,
      stemHash: hashFeature(`=${stemmed}`),
      shortHash: stemmed.length > 2 ? hashFeature(`=${stemmed.slice(0, 2)}`) : -1,
    };
    spanSet(runCache, run, h, info);
  }
  return info;
}

/** Code units of /[.,!?;:()[\]"'~…\n\r\t/|]/, where a Korean phrase ends. */
const PHRASE_BREAK = new Uint8Array(128);
for (const ch of `.,!?;:()[]"'~\n\r\t/|`) PHRASE_BREAK[ch.charCodeAt(0)] = 1;
const isPhraseBreak = (c: number): boolean => (c < 128 ? PHRASE_BREAK[c] === 1 : c === 0x2026);

/** The syllables of the current phrase, its Hangul runs joined (so bigrams ignore spacing). */
let syllables = new Uint16Array(256);
/** 1 where a syllable of `syllables` starts a Hangul run (a space or another character before it). */
let runStarts = new Uint8Array(256);

const CARET_HASH = Math.imul(FNV_OFFSET ^ 0x5e, FNV_PRIME);
const choseong = (code: number): number => CHOSEONG.charCodeAt(Math.floor((code - HANGUL_SYLLABLE_START) / 588));

/**
 * Each syllable, each syllable bigram and, within a run, its initial-consonant bigram (`^ㅂㅅ`):
 * those are for vowel typos inside a word (배숑); across a space they only collide ("최악이고 화가"
 * would give `^ㄱㅎ`, the consonants of 교환).
 */
function flushSyllables(count: number, out: Uint32Array, n0: number, names: string[] | null): number {
  let n = n0;
  for (let i = 0; i < count; i++) {
    const a = syllables[i]!;
    const ha = Math.imul(FNV_OFFSET ^ a, FNV_PRIME);
    out[n++] = ha;
    names?.push(String.fromCharCode(a));
    if (i + 1 < count) {
      const b = syllables[i + 1]!;
      out[n++] = Math.imul(ha ^ b, FNV_PRIME);
      names?.push(String.fromCharCode(a, b));
      if (runStarts[i + 1] === 0) {
        const ca = choseong(a);
        const cb = choseong(b);
        out[n++] = Math.imul(Math.imul(CARET_HASH ^ ca, FNV_PRIME) ^ cb, FNV_PRIME);
        names?.push(String.fromCharCode(0x5e, ca, cb));
      }
    }
  }
  return n;
}

/** Korean, per phrase (split at PHRASE_BREAK): each Hangul run's stems, then the syllable n-grams. */
function koreanFeatures(t: string, out: Uint32Array, n0: number, names: string[] | null): number {
  let n = n0;
  const len = t.length;
  let syllableCount = 0;
  let i = 0;
  while (i < len) {
    const c = t.charCodeAt(i);
    if (c >= HANGUL_SYLLABLE_START && c <= HANGUL_SYLLABLE_END) {
      let j = i + 1;
      let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
      while (j < len) {
        const d = t.charCodeAt(j);
        if (d < HANGUL_SYLLABLE_START || d > HANGUL_SYLLABLE_END) break;
        h = Math.imul(h ^ d, FNV_PRIME);
        j++;
      }
      const r = runInfo(t, i, j, h);
      out[n++] = r.stemHash;
      names?.push(`=${r.stemmed}`);
      if (r.shortHash !== -1) {
        out[n++] = r.shortHash;
        names?.push(`=${r.stemmed.slice(0, 2)}`);
      }
      if (syllableCount + (j - i) > syllables.length) {
        const size = Math.max(syllables.length * 2, syllableCount + (j - i));
        const bigger = new Uint16Array(size);
        bigger.set(syllables);
        syllables = bigger;
        const starts = new Uint8Array(size);
        starts.set(runStarts);
        runStarts = starts;
      }
      for (let k = i; k < j; k++) {
        runStarts[syllableCount] = k === i ? 1 : 0;
        syllables[syllableCount++] = t.charCodeAt(k);
      }
      i = j;
    } else {
      if (isPhraseBreak(c)) {
        n = flushSyllables(syllableCount, out, n, names);
        syllableCount = 0;
      }
      i++;
    }
  }
  return flushSyllables(syllableCount, out, n, names);
}

/** Runs of /[\u3131-\u318e]{2,}/g: repeated jamo (ㅠㅠㅠㅠ, ㅋㅋㅋ) mean the same at any length, keep two. */
function jamoFeatures(t: string, out: Uint32Array, n0: number, names: string[] | null): number {
  let n = n0;
  const len = t.length;
  let i = 0;
  while (i < len) {
    const c = t.charCodeAt(i);
    if (c < 0x3131 || c > 0x318e) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < len && t.charCodeAt(j) >= 0x3131 && t.charCodeAt(j) <= 0x318e) j++;
    if (j - i >= 2) {
      out[n++] = Math.imul(Math.imul(FNV_OFFSET ^ c, FNV_PRIME) ^ t.charCodeAt(i + 1), FNV_PRIME);
      names?.push(t.slice(i, i + 2));
    }
    i = j;
  }
  return n;
}

/**
 * Only the start of a long text is read: what a message is about is said early, and a bounded
 * input keeps scoring time bounded (a 250,000-character paste must not hold up ingest).
 */
export const MAX_CLASSIFIED_CHARS = 4000;

/**
 * The customer's own words of a text (quoted mail and signatures dropped, see
 * {@link stripQuotedText}), bounded, and their folded lower case: shared by the complaint detector
 * and the features so a text is cleaned and folded once per classification.
 *
 * @example
 * const { text, lower } = boundedText("ＲＥＦＵＮＤ please\n> Your order has shipped") // lower: "refund please"
 */
export function boundedText(input: string): { text: string; lower: string } {
  // Quotes are looked for in a bounded prefix too: a pasted log of megabytes costs no more.
  const own = stripQuotedText(
    input.length > 4 * MAX_CLASSIFIED_CHARS ? input.slice(0, 4 * MAX_CLASSIFIED_CHARS) : input,
  );
  const text = own.length > MAX_CLASSIFIED_CHARS ? own.slice(0, MAX_CLASSIFIED_CHARS) : own;
  return { text, lower: foldText(text).toLowerCase() };
}

/**
 * Walks the features of a text given as {@link boundedText}'s `lower`: their hashes go to a
 * buffer shared by all calls (read it with {@link walkedFeatures} before the next walk), their
 * names to `names` when given. Returns how many there are.
 *
 * @example
 * const n = walkFeatureHashes(boundedText(text).lower, null);
 */
export function walkFeatureHashes(lower: string, names: string[] | null): number {
  const flags = charFlags(lower);
  const t = placeholders(emphasizeAsk(lower), flags);
  // At most 5 features per character of English (a word of L letters: stem, bigram, negation's
  // two, L trigrams), 5 per syllable (three n-grams, two stems per run), one per two jamo.
  const bound = 11 * t.length + 8;
  if (featureBuffer.length < bound) featureBuffer = new Uint32Array(Math.max(bound, 2 * featureBuffer.length));
  const out = featureBuffer;
  let n = englishFeatures(t, out, 0, names);
  if (flags & HANGUL) n = koreanFeatures(t, out, n, names);
  return flags & JAMO ? jamoFeatures(t, out, n, names) : n;
}

/**
 * The buffer holding the hashes of the last {@link walkFeatureHashes} (its first `count`
 * entries), valid until the next walk.
 *
 * @example
 * const n = walkFeatureHashes(lower, null);
 * const hashes = walkedFeatures().subarray(0, n);
 */
export function walkedFeatures(): Uint32Array {
  return featureBuffer;
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
  const names: string[] = [];
  walkFeatureHashes(boundedText(text).lower, names);
  return names;
}

/**
 * The same features as {@link tokenizeText}, as {@link hashFeature} hashes, without building
 * the strings: what scoring uses.
 *
 * @example
 * featureHashes("refund please").length === tokenizeText("refund please").length // true
 */
export function featureHashes(text: string): number[] {
  const n = walkFeatureHashes(boundedText(text).lower, null);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(featureBuffer[i]!);
  return out;
}
