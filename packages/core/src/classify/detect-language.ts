const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/g;
const LATIN = /[a-z]/gi;

/**
 * Detects Korean or English from the share of Hangul among letters; falls back
 * to `hint`, then `en`.
 *
 * @example
 * detectLanguage("배송 언제 와요?") // "ko"
 */
export function detectLanguage(text: string, hint?: string | null): string {
  const hangul = text.match(HANGUL)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (hangul + latin < 2) return hint ?? "en";
  return hangul / (hangul + latin) >= 0.3 ? "ko" : latin > 0 ? "en" : (hint ?? "en");
}
