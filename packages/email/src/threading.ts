/**
 * Threading hints an inbound email carries, strongest first: the message ids it
 * replies to, a ticket number (subject token or plus-address), and a normalized
 * subject as the conversation key. The desk applies them in that order.
 */

/** The default time a subject keeps threading onto an open ticket: 7 days. */
export const DEFAULT_THREAD_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Strips `<` `>` and whitespace around a message id; null when nothing is left. */
export function normalizeMessageId(id: string | null | undefined): string | null {
  if (typeof id !== "string") return null;
  const bare = id.trim().replace(/^<+/, "").replace(/>+$/, "").trim();
  return bare.length > 0 && !/\s/.test(bare) ? bare : null;
}

/** All message ids in a References / In-Reply-To value (or list of values), without brackets, in order. */
export function parseMessageIdList(value: string | readonly string[] | null | undefined): string[] {
  if (value == null) return [];
  const text = typeof value === "string" ? value : value.join(" ");
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  const ids = bracketed.length > 0 ? bracketed : text.split(/[\s,]+/);
  return ids.map(normalizeMessageId).filter((id): id is string => id !== null);
}

/**
 * The ids an email replies to, strongest first: In-Reply-To, then References newest first,
 * without brackets or repeats.
 */
export function replyToIds(
  references: string | readonly string[] | null | undefined,
  inReplyTo: string | readonly string[] | null | undefined,
): string[] {
  // Strongest first, as the desk reads them: the message replied to, then References newest first.
  return [...new Set([...parseMessageIdList(inReplyTo), ...parseMessageIdList(references).reverse()])];
}

const SUBJECT_TOKEN = /\[#\s*SD-(\d{1,12})\s*\]/i;
const PLUS_TOKEN = /^[^@\s+]+\+SD-(\d{1,12})@/i;

/** The ticket number of a `[#SD-1234]` subject token, or null. */
export function ticketNumberFromSubject(subject: string | null | undefined): number | null {
  const m = SUBJECT_TOKEN.exec(subject ?? "");
  return m ? toTicketNumber(m[1]!) : null;
}

/** The ticket number of a plus-address such as `support+SD-1234@shop.example`, or null. */
export function ticketNumberFromAddress(address: string | null | undefined): number | null {
  const m = PLUS_TOKEN.exec((address ?? "").trim());
  return m ? toTicketNumber(m[1]!) : null;
}

function toTicketNumber(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** `support+SD-1042@shop.example` for `support@shop.example` and ticket 1042. */
export function plusAddress(address: string, ticketNumber: number): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return address;
  const local = address.slice(0, at).replace(/\+.*$/, "");
  return `${local}+SD-${ticketNumber}${address.slice(at)}`;
}

const PREFIX = /^\s*(?:(?:re|fw|fwd|aw|sv|답장|회신|전달|답변)\s*(?:\[\d+\])?\s*[:：]\s*)/i;

/**
 * The subject as a conversation key: reply/forward prefixes (Re:, RE:, Fwd:,
 * FW:, 회신:, 답장:, 전달:), `[#SD-n]` tokens, case and spacing removed.
 * Null when nothing meaningful is left (an empty subject must not thread every
 * subject-less mail of a customer together).
 *
 * @example
 * normalizeSubject("RE: 회신: [#SD-12]  Where is  my order?") // "where is my order?"
 */
export function normalizeSubject(subject: string | null | undefined): string | null {
  let s = (subject ?? "").replace(/\[#\s*SD-\d+\s*\]/gi, " ").normalize("NFC");
  for (let previous = ""; previous !== s;) {
    previous = s;
    s = s.replace(PREFIX, "").trim();
  }
  s = s.replace(/\s+/g, " ").trim().toLowerCase();
  return s.length > 0 ? s : null;
}

/** Threading hints of one inbound email. */
export interface ThreadingHints {
  replyTo: string[];
  ticketNumber: number | null;
  conversationKey: string | null;
  threadWindowMs: number;
}

/** Facts {@link threadingHints} reads. */
export interface ThreadingInput {
  subject: string | null;
  references: string | readonly string[] | null;
  inReplyTo: string | readonly string[] | null;
  /** To, Cc and Delivered-To addresses and the SMTP envelope recipients. */
  recipients: readonly string[];
}

/**
 * Computes the threading hints of an inbound email.
 *
 * @example
 * threadingHints({ subject: "Re: 배송 [#SD-7]", references: "<a@x>", inReplyTo: "<b@x>", recipients: [] }, DEFAULT_THREAD_WINDOW_MS)
 * // { replyTo: ["a@x", "b@x"], ticketNumber: 7, conversationKey: "배송", threadWindowMs: 604800000 }
 */
export function threadingHints(
  input: ThreadingInput,
  threadWindowMs: number = DEFAULT_THREAD_WINDOW_MS,
): ThreadingHints {
  let ticketNumber = ticketNumberFromSubject(input.subject);
  for (const address of input.recipients) {
    if (ticketNumber !== null) break;
    ticketNumber = ticketNumberFromAddress(address);
  }
  return {
    replyTo: replyToIds(input.references, input.inReplyTo),
    ticketNumber,
    conversationKey: normalizeSubject(input.subject?.slice(0, 1000)), // the key holds at most 1000 characters
    threadWindowMs,
  };
}
