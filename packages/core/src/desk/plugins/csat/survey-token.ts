/**
 * Signed, expiring tokens for the one-click rating links of an e-mail survey: the payload (which
 * ticket, which rating, until when) in base64url, then an HMAC-SHA256 of it with core's helpers.
 * Single use is not in the token: the survey's record says whether it was answered.
 */
import { signHmac, verifyHmacSignature } from "../../../channel-kit/verify-signature.js";

/** What a survey token says. `rating` is set on a rating link, `comment` on the comment form's token. */
export interface SurveyTokenPayload {
  ticketId: string;
  rating?: number;
  comment?: true;
  /** Epoch ms after which the link no longer works. */
  expiresAt: number;
}

/**
 * Signs a survey token.
 *
 * @example
 * const token = signSurveyToken({ ticketId, rating: 5, expiresAt: Date.now() + 7 * 86_400_000 }, secret);
 */
export function signSurveyToken(payload: SurveyTokenPayload, secret: string): string {
  const body = Buffer.from(
    JSON.stringify({ t: payload.ticketId, r: payload.rating, c: payload.comment, x: payload.expiresAt }),
  ).toString("base64url");
  return `${body}.${signHmac(body, secret, "base64").replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

/** Why a token was refused, or what it says. */
export type SurveyTokenCheck =
  { ok: true; payload: SurveyTokenPayload } | { ok: false; reason: "malformed" | "signature" | "expired" };

/**
 * Verifies a survey token (timing-safe) and its expiry at `now`.
 *
 * @example
 * const check = verifySurveyToken(url.searchParams.get("token"), secret, new Date());
 * if (check.ok) check.payload.rating; // 1–5
 */
export function verifySurveyToken(token: string | null | undefined, secret: string, now: Date): SurveyTokenCheck {
  if (typeof token !== "string" || token.length > 2000) return { ok: false, reason: "malformed" };
  const dot = token.indexOf(".");
  if (dot <= 0) return { ok: false, reason: "malformed" };
  const body = token.slice(0, dot);
  const signature = token
    .slice(dot + 1)
    .replaceAll("-", "+")
    .replaceAll("_", "/");
  const padded = signature + "=".repeat((4 - (signature.length % 4)) % 4);
  if (!verifyHmacSignature({ rawBody: body, secret, signature: padded, encoding: "base64" }))
    return { ok: false, reason: "signature" };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const p = raw as { t?: unknown; r?: unknown; c?: unknown; x?: unknown };
  if (typeof p.t !== "string" || typeof p.x !== "number") return { ok: false, reason: "malformed" };
  if (p.r !== undefined && !(Number.isInteger(p.r) && (p.r as number) >= 1 && (p.r as number) <= 5))
    return { ok: false, reason: "malformed" };
  if (now.getTime() > p.x) return { ok: false, reason: "expired" };
  return {
    ok: true,
    payload: {
      ticketId: p.t,
      expiresAt: p.x,
      ...(typeof p.r === "number" ? { rating: p.r } : {}),
      ...(p.c === true ? { comment: true as const } : {}),
    },
  };
}
