/**
 * Text analysis for Korean and English search. Korean words carry particles and endings
 * ("배송이", "되나요"), are written with or without spaces ("교환신청" / "교환 신청") and are
 * abbreviated to their initial consonants ("ㅂㅅ"). Each Hangul word is stripped of its ending
 * and cut into syllable bigrams, so both spellings of a compound share terms; English words are
 * stemmed (Porter, the `stemmer` package).
 */
import { disassemble, getChoseong } from "es-hangul";
import { stemmer } from "stemmer";

/** The terms of one text, by kind. */
export interface AnalyzedText {
  /** Content terms: Hangul stems, their bigrams, English stems, numbers. */
  terms: string[];
  /** Initial-consonant forms of Hangul stems and their bigrams ("배송" → "ㅂㅅ"). */
  choseong: string[];
  /** Jamo forms of Hangul stems, for typo tolerance ("배송" → "ㅂㅐㅅㅗㅇ"). */
  jamo: string[];
  /** Words typed as bare initial consonants ("ㅂㅅ"): matched against `choseong`. */
  choseongQuery: string[];
}

// Tried longest first: the first suffix that leaves a long enough stem is stripped.
const ENDINGS = [
  "하고싶은데요",
  "하고싶어요",
  "고싶은데요",
  "고싶습니다",
  "고싶어요",
  "싶은데요",
  "싶습니다",
  "되었나요",
  "하였습니다",
  "했었는데요",
  "되었습니다",
  "하겠습니다",
  "해주세요",
  "해주시나요",
  "해주나요",
  "해주실",
  "했는데요",
  "했는데",
  "하려면",
  "으려면",
  "되나요",
  "하나요",
  "인가요",
  "한가요",
  "할까요",
  "될까요",
  "습니다",
  "합니다",
  "입니다",
  "됩니다",
  "있나요",
  "없나요",
  "했어요",
  "됐어요",
  "했나요",
  "해야",
  "하면",
  "되면",
  "하고",
  "에서는",
  "에서도",
  "으로는",
  "까지는",
  "부터는",
  "에게는",
  "한테",
  "에서",
  "으로",
  "까지",
  "부터",
  "에게",
  "처럼",
  "보다",
  "이랑",
  "이나",
  "인데",
  "는데",
  "나요",
  "까요",
  "어요",
  "아요",
  "해요",
  "에요",
  "예요",
  "세요",
  "네요",
  "지요",
  "려면",
  "은요",
  "는요",
  "이요",
  "쯤",
  "가요",
  "주세요",
  "싶어요",
  "했습니다",
  "됐나요",
  "왔어요",
  "오나요",
  "올까요",
  "드려요",
  "줘요",
  "와요",
  "되요",
  "돼요",
  "해서",
  "라서",
  "이라",
  "라고",
  "다고",
  "하는",
  "되는",
  "했",
  "됨",
  "함",
  "요",
  "죠",
  "은",
  "는",
  "이",
  "가",
  "을",
  "를",
  "에",
  "도",
  "만",
  "의",
  "와",
  "과",
  "로",
  "랑",
  "나",
  "고",
  "서",
  "면",
].sort((a, b) => b.length - a.length);
const ENDING_SET = new Set(ENDINGS);
/** Single syllables that are particles only after a stem of two or more syllables ("정가" keeps its 가). */
const SHORT_MIN_STEM = 2;

/** Words that carry no topic in a customer's question. */
const KO_STOP = new Set([
  "하",
  "되",
  "있",
  "없",
  "안녕하세요",
  "안녕",
  "혹시",
  "그",
  "저",
  "제",
  "좀",
  "것",
  "거",
  "게",
  "수",
  "때",
  "더",
  "또",
  "그리고",
  "그런데",
  "근데",
  "문의",
  "문의드립니다",
  "질문",
  "궁금",
  "궁금해요",
  "궁금합니다",
  "알려주세요",
  "부탁",
  "부탁드립니다",
  "감사합니다",
  "감사",
  "어떻게",
  "언제",
  "어디",
  "얼마",
  "얼마나",
  "왜",
  "뭐",
  "무엇",
  "어떤",
  "가능",
  "가능한가요",
  "가능해요",
  "하나",
  "해",
  "돼",
  "되",
  "할",
  "될",
  "주",
  "줘",
  "주세요",
  "어케",
  "어캐",
  "어떡해",
  "어떻게요",
  "어떡하",
  "뭐예요",
  "뭐에요",
  "뭔가요",
  "몇",
  "좀요",
  "이거요",
  "그거요",
  "있어요",
  "없어요",
  "해요",
  "돼요",
  "되요",
  "하는데",
  "하려구요",
  "할게요",
  "알려줘",
  "알려주세요",
  "나",
  "내",
  "저희",
  "이거",
  "그거",
  "요",
  "네",
  "아니",
  "정말",
  "너무",
]);
const EN_STOP = new Set([
  "a",
  "an",
  "the",
  "is",
  "are",
  "was",
  "were",
  "be",
  "been",
  "do",
  "does",
  "did",
  "i",
  "me",
  "my",
  "you",
  "your",
  "we",
  "our",
  "it",
  "its",
  "to",
  "of",
  "in",
  "on",
  "for",
  "and",
  "or",
  "can",
  "could",
  "would",
  "will",
  "should",
  "how",
  "what",
  "when",
  "where",
  "why",
  "which",
  "please",
  "hi",
  "hello",
  "there",
  "this",
  "that",
  "with",
  "at",
  "by",
  "from",
  "have",
  "has",
  "get",
  "if",
  "so",
  "just",
  "about",
  "any",
  "some",
  "want",
  "need",
  "know",
  "tell",
  "isnt",
  "dont",
  "cant",
  "wont",
  "hasnt",
  "didnt",
  "doesnt",
  "im",
  "ive",
  "still",
  "yet",
  "also",
  "too",
  "very",
  "really",
  "thing",
  "stuff",
  "one",
]);
/** Question words are not topics, but they separate "when does it arrive" from "how much is it": kept lightly. */
export const QUESTION_WORDS = new Set([
  "언제",
  "얼마",
  "얼마나",
  "어디",
  "어떻게",
  "왜",
  "when",
  "much",
  "where",
  "how",
  "why",
]);

const SYLLABLE = /^[\uac00-\ud7a3]+$/;
const CHOSEONG_ONLY = /^[\u3131-\u314e]+$/;
const WORD = /[\uac00-\ud7a3]+|[\u3131-\u318e]+|[a-z]+(?:'[a-z]+)?|\d+/g;

/** The stem of a Hangul word: its particle or ending stripped. */
export function stripKorean(word: string): string {
  for (const ending of ENDINGS) {
    if (word.length > ending.length && word.endsWith(ending)) {
      const stem = word.slice(0, -ending.length);
      if (ending.length === 1 && stem.length < SHORT_MIN_STEM) continue;
      return stem;
    }
  }
  return word;
}

/** Syllable bigrams of a stem ("교환신청" → 교환, 환신, 신청); a stem of one or two syllables is itself. */
export function bigrams(stem: string): string[] {
  if (stem.length <= 2) return [stem];
  const out: string[] = [];
  for (let i = 0; i + 2 <= stem.length; i++) out.push(stem.slice(i, i + 2));
  return out;
}

const stemCache = new Map<string, string>();
function stemEnglish(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * Analyzes a text for indexing or for a query. Hangul words lose their particles and endings,
 * stems of three or more syllables add their bigrams (and stay whole for an exact compound
 * match), English words are stemmed, stop words go.
 *
 * @example
 * analyze("배송이 언제 되나요").terms; // ["배송", "언제"]
 * analyze("교환신청").terms;           // ["교환신청", "교환", "환신", "신청"]
 * analyze("ㅂㅅ").choseongQuery;       // ["ㅂㅅ"]
 */
export function analyze(text: string): AnalyzedText {
  const out: AnalyzedText = { terms: [], choseong: [], jamo: [], choseongQuery: [] };
  // NFC, not NFKC: NFKC would turn the compatibility jamo of "ㅂㅅ" into conjoining ones.
  const normalized = text.normalize("NFC").toLowerCase();
  for (const m of normalized.matchAll(WORD)) {
    const word = m[0];
    if (SYLLABLE.test(word)) {
      if (ENDING_SET.has(word) && word.length >= 2) continue; // "와요", "되나요" alone
      const stem = stripKorean(word);
      if (KO_STOP.has(stem) && !QUESTION_WORDS.has(stem)) continue;
      if (QUESTION_WORDS.has(stem)) {
        out.terms.push(stem);
        continue;
      }
      const grams = bigrams(stem);
      if (stem.length > 2) out.terms.push(stem);
      out.terms.push(...grams);
      out.choseong.push(getChoseong(stem));
      if (stem.length > 2) for (const g of grams) out.choseong.push(getChoseong(g));
      out.jamo.push(disassemble(stem));
    } else if (CHOSEONG_ONLY.test(word)) {
      if (word.length >= 2) out.choseongQuery.push(word);
    } else if (/^\d+$/.test(word)) {
      out.terms.push(word);
    } else if (/^[a-z]/.test(word)) {
      const w = word.replace(/'s$/, "").replace(/'/g, "");
      if (EN_STOP.has(w) && !QUESTION_WORDS.has(w)) continue;
      out.terms.push(QUESTION_WORDS.has(w) ? w : stemEnglish(w));
    }
  }
  return out;
}

/** Whether a term is a question word (weighted lightly in queries). */
export function isQuestionWord(term: string): boolean {
  return QUESTION_WORDS.has(term);
}
