/**
 * Weighs the sentences that ask something twice: a long message is a greeting, some context,
 * the ask and a sign-off, and its category is the ask's ("thanks for the refund! is my other order
 * on its way?" is about shipping), while a linear model counts every sentence alike.
 */

/** Where a sentence ends: after . ! ? (ASCII or full-width) or … and white space, or at a line break. */
const SENTENCE_END = /(?<=[.!?。！？…])\s+|\n+/;
/** A question mark, or a request: "can you", "could I", "please", "I'd like", "how long"… */
const ASK_EN =
  /[?？]|\b(?:can|could|would|will|do|does|is|are) (?:you|i|we|it|they|there)\b|\bplease\b|\bi(?:'d| would) like\b|\bi (?:want|need)\b|\bhow (?:do|can|long|much)\b/;
/** 주세요, ~주실 수 있을까요, ~나요, ~될까요, ~는지, ~싶어요, 부탁, 알려. */
const ASK_KO = /[?？]|주세요|주실|나요|까요|되나|될까|는지|싶어요|싶습니다|부탁|알려/;

/**
 * The text with its asking sentences repeated after it, when some but not all of its sentences
 * ask something; otherwise the text itself. Works on lower-cased text.
 *
 * @example
 * emphasizeAsk("thanks for the refund! when will my other order arrive?")
 * // "thanks for the refund! when will my other order arrive?\nwhen will my other order arrive?"
 */
export function emphasizeAsk(lower: string): string {
  const parts = lower.split(SENTENCE_END);
  if (parts.length < 2) return lower;
  let asks = "";
  let count = 0;
  let sentences = 0;
  for (const part of parts) {
    if (part.trim() === "") continue;
    sentences++;
    if (ASK_EN.test(part) || ASK_KO.test(part)) {
      asks += `\n${part}`;
      count++;
    }
  }
  return count === 0 || count === sentences ? lower : lower + asks;
}
