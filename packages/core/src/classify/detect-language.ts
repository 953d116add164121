/**
 * Detects Korean or English from the share of Hangul among letters; falls back
 * to `hint`, then `en`.
 *
 * @example
 * detectLanguage("배송 언제 와요?") // "ko"
 */
export function detectLanguage(text: string, hint?: string | null): string {
  // Counts by code unit what /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/g and /[a-z]/gi matched,
  // without the two arrays of one-letter strings those matches built.
  let hangul = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      const folded = c | 0x20;
      if (folded >= 0x61 && folded <= 0x7a) latin++;
    } else if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) {
      hangul++;
    }
  }
  if (hangul + latin < 2) return hint ?? "en";
  return hangul / (hangul + latin) >= 0.3 ? "ko" : latin > 0 ? "en" : (hint ?? "en");
}
