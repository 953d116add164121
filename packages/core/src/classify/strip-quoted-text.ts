/**
 * The customer's own words of an e-mail or chat message: what they quote from earlier mail (often
 * the shop's own "your order has shipped" or "your refund was processed") and their signature
 * would otherwise be read as part of the ask.
 */

// Lines that start a quoted earlier message or its header; everything from one on is history.
// Gmail ("On Tue, 9 Jan 2024 at 10:02, Shop <a@b> wrote:", "2024년 1월 9일 (화) 오전 10:02, 상점
// <a@b>님이 작성:"), Outlook ("-----Original Message-----", "From: … / Sent: …", "보낸 사람: …"),
// and forwards.
const HISTORY_START =
  /^(?:on\b.{0,200}\bwrote:|.{0,200}님이 작성:|-{2,}\s*(?:original message|forwarded message|원본 메시지|전달된 메시지)\s*-{2,}|_{10,}|(?:from|보낸 사람|발신자)\s*:.*)\s*$/i;
/** After a `From:`-style line, the next line that makes it a mail header rather than prose. */
const HEADER_NEXT = /^(?:sent|date|to|subject|보낸 날짜|날짜|받는 사람|제목)\s*:/i;
/** A signature starts at "-- " (RFC 3676) or "--" alone on its line. */
const SIGNATURE = /^--\s*$/;
/** Lines a mail client adds ("Sent from my iPhone", "iPhone에서 보냄"). */
const CLIENT_LINE = /^(?:sent from my \S+(?: \S+)?|get outlook for \S+|\S+에서 보냄)\s*$/i;

/**
 * Drops quoted lines (`> …`), a quoted message's header and what follows it, a `-- ` signature and
 * "Sent from my iPhone" lines. A text that would be left empty (all of it quoted) is returned as
 * it came. Texts of one line that do not start with `>` are returned at once.
 *
 * @example
 * stripQuotedText("Where is my refund?\n\n> Your order has shipped!") // "Where is my refund?"
 */
export function stripQuotedText(text: string): string {
  if (text.indexOf("\n") === -1 && !text.startsWith(">")) return text;
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (SIGNATURE.test(line)) break;
    if (HISTORY_START.test(line)) {
      // "From: Jane" in the middle of prose is prose; with "Sent:"/"Date:" after it, a header.
      const fromLine = /^(?:from|보낸 사람|발신자)\s*:/i.test(line);
      if (!fromLine || HEADER_NEXT.test(lines[i + 1]?.trim() ?? "")) break;
    }
    if (line.startsWith(">") || CLIENT_LINE.test(line)) continue;
    kept.push(lines[i]!);
  }
  const out = kept.join("\n").trim();
  return out === "" ? text : out;
}
