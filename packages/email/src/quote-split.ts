/**
 * Separates what a customer just wrote from the history their mail client
 * quoted below it. Hand-written: the maintained JavaScript ports of
 * email-reply-parser know only English headers, and Korean clients (Gmail ko,
 * Naver, Daum, Outlook ko, Apple Mail ko) write their own.
 */

/** Result of {@link splitQuotedReply}. */
export interface QuoteSplit {
  /** The new text, trimmed. The whole input when no quoted history was found. */
  text: string;
  /** The quoted history from its header line on, or null. */
  quoted: string | null;
}

// A header line written above quoted history. Each is anchored to the whole
// (possibly re-joined) line so a sentence that merely mentions "wrote" stays.
//
// Linear time: a 25 MB mail must not block the process. Lines longer than
// MAX_HEADER_LINE are never headers; "… wrote:" and "… 작성:" are first
// pre-tested by their cheap ending; the English regex backtracks at most 300
// steps per line; the Korean one (whose two `.{0,300}` would cost 300×300 steps
// per line) is checked by hand in `isKoreanWrote`.
const MAX_HEADER_LINE = 1000;
const ENGLISH_WROTE = /^On\s.{4,300}\swrote:\s*$/i;
const ENDS_ENGLISH_WROTE = /wrote:\s*$/i;
// "2026년 11월 25일 (수) 오후 3:00, 김민수 <a@b.com>님이 작성:" (Gmail), "2026. 11. 25. 오후 3:00, 김민수 <a@b.com> 작성:" (Apple Mail):
// up to 300 characters, a year / "@" / "님이", up to 300 characters, then "작성:".
const KOREAN_WROTE_END = /작성\s*:\s*$/;
const ORIGINAL_MESSAGE = /^-{2,}\s*(?:Original Message|원본 메시지|원본메시지|원본 메일|Original)\s*-{2,}\s*$/i;
// Outlook's header block: "From: …" then "Sent:"/"Date:" within the next lines ("보낸 사람:" / "보낸 날짜:" in Korean).
const FROM_LINE = /^\*?(?:From|보낸 사람|보낸사람|발신자?)\s*:\*?\s*\S/i;
const SENT_LINE = /^\*?(?:Sent|Date|보낸 날짜|보낸날짜|날짜)\s*:\*?\s*\S/i;
const UNDERSCORES = /^_{10,}\s*$/;
const ATTRIBUTION_START = /^(?:On\s|\d{4}\s*(?:년|[.\-/]))/i;
// What `.` does not match: such a character cannot sit inside an attribution.
const LINE_BREAK = /[\n\r\u2028\u2029]/;

const isQuoted = (line: string) => /^\s*>/.test(line);
const isBlank = (line: string) => line.trim() === "";
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** The length of a year-like "dddd", "@" or "님이" starting at `s`, or 0. */
function markerAt(text: string, s: number): number {
  if (text[s] === "@") return 1;
  if (text.startsWith("님이", s)) return 2;
  return isDigit(text[s]) && isDigit(text[s + 1]) && isDigit(text[s + 2]) && isDigit(text[s + 3]) ? 4 : 0;
}

/**
 * `^.{0,300}(?:\d{4}|@|님이).{0,300}작성\s*:\s*$` without backtracking: at most
 * 301 start positions, each checked in constant time.
 */
function isKoreanWrote(line: string): boolean {
  const end = KOREAN_WROTE_END.exec(line);
  if (!end) return false;
  const before = end.index; // where "작성" starts
  if (LINE_BREAK.test(line.slice(0, before))) return false;
  for (let s = 0; s <= Math.min(300, before - 1); s++) {
    const length = markerAt(line, s);
    if (length > 0 && s + length <= before && before - (s + length) <= 300) return true;
  }
  return false;
}

function isWroteLine(line: string): boolean {
  if (line.length > MAX_HEADER_LINE) return false;
  if (ENDS_ENGLISH_WROTE.test(line) && ENGLISH_WROTE.test(line)) return true;
  return isKoreanWrote(line);
}

function isQuoteHeader(lines: readonly string[], i: number): number {
  const line = lines[i]!.trim();
  if (line.length > MAX_HEADER_LINE) return 0;
  if (ORIGINAL_MESSAGE.test(line)) return 1;
  if (UNDERSCORES.test(line) && i + 1 < lines.length && FROM_LINE.test(lines[i + 1]!.trim())) return 1;
  if (FROM_LINE.test(line)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) if (SENT_LINE.test(lines[j]!.trim())) return 1;
  }
  if (isWroteLine(line)) return 1;
  // Clients wrap a long attribution line: from a line that starts like one ("On …",
  // a date), try it joined with up to two following non-blank, unquoted lines.
  if (!ATTRIBUTION_START.test(line)) return 0;
  let joined = line;
  for (let n = 1; n < 3 && i + n < lines.length; n++) {
    const next = lines[i + n]!;
    if (isBlank(next) || isQuoted(next)) return 0;
    joined = `${joined} ${next.trim()}`;
    if (joined.length > MAX_HEADER_LINE) return 0;
    if (isWroteLine(joined)) return n + 1;
  }
  return 0;
}

/**
 * Splits an email body into the new text and the quoted history.
 *
 * The history starts at the first attribution header ("On … wrote:",
 * "… 작성:", "-----Original Message-----", "-----원본 메시지-----", an Outlook
 * "From:/Sent:" block) or, without one, at a trailing block of `>` lines.
 * `>` lines between the customer's own answers (inline replies) stay in the
 * text, since cutting there would lose the answers.
 *
 * @example
 * splitQuotedReply("네 감사합니다.\n\n2026년 11월 25일 (수) 오후 3:00, 김민수 <a@b.com>님이 작성:\n> 문의드립니다")
 * // { text: "네 감사합니다.", quoted: "2026년 11월 25일 (수) 오후 3:00, …" }
 */
export function splitQuotedReply(body: string): QuoteSplit {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    if (isQuoted(lines[i]!)) break;
    if (isQuoteHeader(lines, i) > 0) {
      cut = i;
      break;
    }
  }
  if (cut === -1) {
    // No header: a trailing run of ">" lines (blank lines allowed) is history.
    let end = lines.length;
    while (end > 0 && isBlank(lines[end - 1]!)) end--;
    let start = end;
    while (start > 0 && (isQuoted(lines[start - 1]!) || isBlank(lines[start - 1]!))) start--;
    while (start < end && isBlank(lines[start]!)) start++;
    if (start < end && isQuoted(lines[start]!)) cut = start;
  }
  // Nothing found, or the message is only history: keep everything as the text.
  if (cut <= 0) return { text: body.trim(), quoted: null };
  const text = lines.slice(0, cut).join("\n").trim();
  const quoted = lines.slice(cut).join("\n").trim();
  return text === "" ? { text: body.trim(), quoted } : { text, quoted };
}
