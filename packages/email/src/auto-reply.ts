/**
 * Recognizes mail written by a machine (out-of-office notices, auto-responders,
 * list and bulk mail), so the desk records it without acknowledging it — two
 * auto-responders answering each other would otherwise loop forever.
 */

/** Reads one header by its lower-cased name; null when the message lacks it. */
export type HeaderLookup = (name: string) => string | null;

/** Why a message was judged automatic. */
export interface AutoReplyVerdict {
  automatic: boolean;
  /** The rule that fired, e.g. `auto-submitted: auto-replied` or `subject: 부재중`. */
  reason: string | null;
}

// Subjects auto-responders write (en, ko), matched at the start after any Re:/회신: prefix.
const AUTO_SUBJECTS: RegExp[] = [
  /^(?:out of (?:the )?office|ooo\b)/i,
  /^automatic reply\b/i,
  /^auto(?:matic)?[- ]?(?:reply|response|respond)\b/i,
  /^autoreply\b/i,
  /^away from (?:the )?office/i,
  /^(?:undeliverable|undelivered mail returned|mail delivery (?:failed|failure|subsystem)|delivery status notification)/i,
  /^자동\s*(?:회신|응답|답장)/,
  // Only the notice forms: customers write "부재중이라 택배를 못 받았어요" about missed deliveries.
  /^\[\s*부재\s*중?\s*\]/,
  /^부재\s*중\s*(?:안내|알림|입니다|자동|메일|회신|응답)/,
];
const PRECEDENCE_AUTO = new Set(["bulk", "auto_reply", "junk", "list"]);
const REPLY_PREFIX = /^(?:\s*(?:re|fw|fwd|aw|회신|답장|전달)\s*:\s*)+/i;

/**
 * Decides whether a message is automatic, from its headers (RFC 3834
 * `Auto-Submitted`, `X-Autoreply`, `X-Autorespond`, `Precedence`) and, failing
 * those, from out-of-office subjects in English and Korean.
 *
 * @example
 * detectAutoReply((h) => ({ "auto-submitted": "auto-replied" })[h] ?? null, "Re: 주문 문의") // { automatic: true, reason: "auto-submitted: auto-replied" }
 */
export function detectAutoReply(
  header: HeaderLookup,
  subject: string | null | undefined,
  from?: string | null,
): AutoReplyVerdict {
  const autoSubmitted = header("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith("no"))
    return { automatic: true, reason: `auto-submitted: ${autoSubmitted}` };
  for (const name of ["x-autoreply", "x-autorespond", "x-autoresponder"]) {
    const value = header(name);
    if (value !== null && value.trim().toLowerCase() !== "no")
      return { automatic: true, reason: `${name}: ${value.trim()}` };
  }
  const precedence = header("precedence")?.trim().toLowerCase();
  if (precedence && PRECEDENCE_AUTO.has(precedence)) return { automatic: true, reason: `precedence: ${precedence}` };
  if (from && /^(?:mailer-daemon|postmaster)@/i.test(from)) return { automatic: true, reason: `from: ${from}` };
  const bare = (subject ?? "").replace(REPLY_PREFIX, "").trim();
  for (const pattern of AUTO_SUBJECTS) {
    if (pattern.test(bare)) return { automatic: true, reason: `subject: ${bare.slice(0, 80)}` };
  }
  return { automatic: false, reason: null };
}
