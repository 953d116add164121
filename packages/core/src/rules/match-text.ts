/**
 * Text matching for rule conditions: spacing-insensitive, width- and case-folded, and Korean
 * words compared by stem so a phrase written with one particle matches the text with another.
 */
import { foldText } from "../classify/tokenize-text.js";
import { stripKoreanEnding } from "../classify/strip-korean-ending.js";

const HANGUL = /[\uac00-\ud7a3]/;

function squash(text: string): string {
  return foldText(text)
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, "");
}

function stems(text: string): string {
  return foldText(text)
    .toLowerCase()
    .split(/[\s\p{P}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => (HANGUL.test(w) ? stripKoreanEnding(w) : w))
    .join("");
}

/**
 * Whether `text` contains `phrase`, ignoring case, full-width forms, spacing and punctuation
 * (환불 해주세요 = 환불해주세요), and comparing Korean words by stem with particles and endings
 * stripped (phrase 배송이 늦어요 matches 배송은 늦었어요 only where the stems agree). A substring
 * test, not a morphological analysis: "refund" also matches "refunded".
 *
 * @example
 * matchesText("주문한 상품 환불 해주세요", "환불해주세요") // true
 * matchesText("배송은 언제 오나요?", "배송이") // true
 */
export function matchesText(text: string, phrase: string): boolean {
  const needle = squash(phrase);
  if (needle.length === 0) return false;
  if (squash(text).includes(needle)) return true;
  const stemNeedle = stems(phrase);
  return stemNeedle.length > 0 && stems(text).includes(stemNeedle);
}
