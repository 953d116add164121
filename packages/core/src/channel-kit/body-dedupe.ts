/**
 * Message ids for providers that send none (TalkTalk, Kakao Open Builder): a hash of the body, so
 * a repeat of the same request is the same message and the desk's dedupe drops it.
 *
 * A fixed time slot alone (`floor(now / window)`) misses a repeat that falls across a slot
 * boundary: the first copy at 4.9 s and the repeat at 5.1 s get different ids. So each instance
 * remembers the id it gave a body and reuses it for a repeat within `windowMs` of the first copy,
 * wherever the slot boundary falls. The id itself still carries the slot of the first copy, so
 * another process (which has not seen the body) derives the same id for a repeat in that slot.
 */
import { createHash } from "node:crypto";
import type { Clock } from "../ports/clock.js";

/** Options of {@link bodyDedupeIds}. */
export interface BodyDedupeOptions {
  /** Clock for the window (tests pass a manual clock). */
  clock: Clock;
  /** How long after the first copy a repeat is the same message. Default 5,000 ms; must be positive and finite (else a `RangeError`). */
  windowMs?: number;
  /** Bodies remembered at most (the oldest are forgotten first). Default 10,000. */
  maxEntries?: number;
}

/** Gives a body-derived id; see {@link bodyDedupeIds}. */
export type BodyDedupeIds = (prefix: string, scope: string, raw: string) => string;

/**
 * A function giving the id of a message from its body: `prefix:` and 40 hex characters of a
 * SHA-256 over the scope (say the user), the first copy's time slot and the raw body. A repeat of
 * the same scope and body within `windowMs` of the first copy gets the same id.
 *
 * @example
 * const idOf = bodyDedupeIds({ clock: systemClock() });
 * const externalId = idOf("talk", event.user, rawBody);
 */
export function bodyDedupeIds(options: BodyDedupeOptions): BodyDedupeIds {
  const windowMs = options.windowMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  // A zero or NaN window would give every repeat a new id: a redelivery would be a new message.
  if (!(windowMs > 0 && Number.isFinite(windowMs)))
    throw new RangeError(`windowMs must be a positive number of ms, not ${windowMs}`);
  if (!(maxEntries > 0)) throw new RangeError(`maxEntries must be positive, not ${maxEntries}`);
  // Insertion order is first-seen order, so expired entries are always at the front.
  const seen = new Map<string, { id: string; firstSeen: number }>();

  return (prefix, scope, raw) => {
    const now = options.clock.now().getTime();
    for (const [key, entry] of seen) {
      if (now - entry.firstSeen < windowMs && seen.size < maxEntries) break;
      seen.delete(key);
    }
    const key = `${prefix}\n${createHash("sha256").update(`${scope}\n${raw}`).digest("hex")}`;
    const known = seen.get(key);
    if (known && now - known.firstSeen < windowMs) return known.id;
    const slot = Math.floor(now / windowMs);
    const id = `${prefix}:${createHash("sha256").update(`${scope}\n${slot}\n${raw}`).digest("hex").slice(0, 40)}`;
    seen.delete(key); // re-insert at the back, keeping first-seen order
    seen.set(key, { id, firstSeen: now });
    return id;
  };
}
