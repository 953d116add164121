/**
 * Who a chat visitor is. Anonymous visitors get a session token the server signs (HMAC-SHA256,
 * with an expiry); a shop's logged-in customer is vouched for by the shop's own server, which
 * computes `HMAC-SHA256(identitySecret, JSON.stringify([id, email ?? "", shopifyCustomerId ?? ""]))`
 * (see {@link identityHash}) and hands it to the widget.
 */
import { randomUUID } from "node:crypto";
import { StoredeskError, signHmac, verifyHmacSignature } from "@storedesk/core";
import type { Identity } from "@storedesk/core";

/** What a session token carries. */
export interface VisitorSession {
  /** The visitor's webchat id (`anon:<uuid>` or `shop:<identifier>`). */
  visitorId: string;
  /** True when the shop's server vouched for the visitor with an identity hash. */
  verified: boolean;
  /** Identities the shop vouched for (email, shopify id); empty for anonymous visitors. */
  identities: Identity[];
  name: string | null;
  /** Expiry, ms since the epoch. */
  exp: number;
  /**
   * True once a message of this session carried the pre-chat form's answers (every required
   * field present) and was accepted: the server then returns this session re-signed with the
   * flag (the `token` of that message's 202), and later messages need not repeat the answers.
   * Absent on a new session, and on tokens issued before the flag existed.
   */
  prechatAnswered?: boolean;
}

/**
 * A logged-in customer as the shop's page describes them, with the hash its server computed.
 * `id`, `email` and `shopifyCustomerId` are covered by `hash`; `name` is not (it is only shown).
 *
 * @example
 * const identity: ShopIdentity = { id: "7001", email: "kim@example.com", name: "김민지", shopifyCustomerId: "7001", hash };
 */
export interface ShopIdentity {
  /** The shop's stable customer identifier (e.g. the Shopify customer id). Signed. */
  id: string;
  /** The customer's email, linked as their email identity. Signed, exactly as sent. */
  email?: string | null;
  /** Shown to agents; not signed. */
  name?: string | null;
  /** Shopify customer id, when the shop is on Shopify (links the chat to the customer's orders). Signed. */
  shopifyCustomerId?: string | null;
  /** {@link identityHash} of `id`, `email` and `shopifyCustomerId`, computed on the shop's server. */
  hash: string;
}

/**
 * The fields of a {@link ShopIdentity} that {@link identityHash} signs.
 *
 * @example
 * const signed: SignedShopIdentity = { id: "7001", email: "kim@example.com", shopifyCustomerId: null };
 */
export type SignedShopIdentity = Pick<ShopIdentity, "id" | "email" | "shopifyCustomerId">;

function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/**
 * Signs a visitor session as `<base64url(json)>.<base64url(hmac)>`.
 *
 * @example
 * const token = signSession({ visitorId: "anon:1", verified: false, identities: [], name: null, exp: Date.now() + 3_600_000 }, secret);
 */
export function signSession(session: VisitorSession, secret: string): string {
  const body = b64url(JSON.stringify(session));
  return `${body}.${Buffer.from(signHmac(body, secret, "base64"), "base64").toString("base64url")}`;
}

/**
 * Verifies a session token: signature first (timing-safe), then expiry. A missing, forged or
 * expired token throws SIGNATURE_INVALID (401); nothing about the secret leaks into the message.
 *
 * @example
 * const session = verifySession(request.headers.get("authorization")?.slice(7), secret, new Date());
 */
export function verifySession(token: string | null | undefined, secret: string, now: Date): VisitorSession {
  const refuse = (why: string) =>
    new StoredeskError({ code: "SIGNATURE_INVALID", message: `Chat session ${why}`, path: ["token"] });
  if (!token) throw refuse("token missing");
  const dot = token.indexOf(".");
  if (dot <= 0) throw refuse("token malformed");
  const body = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  // Timing-safe comparison of the digest over the body (the token carries it in base64url).
  const ok = verifyHmacSignature({ rawBody: body, secret, signature: toStandardBase64(signature), encoding: "base64" });
  if (!ok) throw refuse("token signature invalid");
  let session: VisitorSession;
  try {
    session = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as VisitorSession;
  } catch {
    throw refuse("token malformed");
  }
  if (typeof session.exp !== "number" || session.exp <= now.getTime()) throw refuse("expired");
  if (typeof session.visitorId !== "string" || session.visitorId.length === 0) throw refuse("token malformed");
  return session;
}

function toStandardBase64(b64url: string): string {
  const s = b64url.replace(/-/g, "+").replace(/_/g, "/");
  return s + "=".repeat((4 - (s.length % 4)) % 4);
}

/**
 * The exact string {@link identityHash} signs: the JSON array `[id, email, shopifyCustomerId]`
 * with an absent or null field as `""`, written as `JSON.stringify` writes it (no whitespace).
 */
function canonicalIdentity(identity: SignedShopIdentity): string {
  return JSON.stringify([identity.id, identity.email ?? "", identity.shopifyCustomerId ?? ""]);
}

/**
 * The hash a shop's server computes for a logged-in customer, over every field the chat trusts:
 *
 * ```text
 * hex(HMAC-SHA256(identitySecret, UTF-8 of JSON.stringify([id, email ?? "", shopifyCustomerId ?? ""])))
 * ```
 *
 * The canonical form is a compact JSON array of three strings, always in that order: no
 * whitespace between tokens, an absent or null `email` / `shopifyCustomerId` written as `""`,
 * strings escaped as JavaScript's `JSON.stringify` escapes them (only `"`, `\` and control
 * characters; `/` and non-ASCII characters stay as they are). The digest is lowercase hex.
 * For `{ id: "7001", email: "kim@example.com", shopifyCustomerId: "7001" }` the signed string is
 * `["7001","kim@example.com","7001"]`, and for `{ id: "7001" }` it is `["7001","",""]`.
 *
 * Nothing is normalized: sign the exact strings you put in `data-identity` (an email signed as
 * `kim@example.com` and sent as `Kim@Example.com` is refused). Outside JavaScript, Python's
 * `json.dumps([id, email or "", shopify_id or ""], separators=(",", ":"), ensure_ascii=False)`
 * and PHP's `json_encode([$id, $email ?? "", $shopifyId ?? ""], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE |
 * JSON_UNESCAPED_LINE_TERMINATORS)` write the same string. Check value: with the secret
 * `id-secret`, `["7001","kim@example.com","7001"]` hashes to
 * `2ba666ada896db006e4444b3f47f80fe4043e5a5486e973385f847ea4850d892`.
 *
 * Run it on the server only; the secret never reaches a browser.
 *
 * @example
 * const hash = identityHash(
 *   { id: String(customer.id), email: customer.email, shopifyCustomerId: String(customer.id) },
 *   process.env.CHAT_IDENTITY_SECRET!,
 * );
 */
export function identityHash(identity: SignedShopIdentity, secret: string): string {
  return signHmac(canonicalIdentity(identity), secret, "hex");
}

/**
 * Checks a shop identity's hash (timing-safe, over the canonical form of {@link identityHash})
 * and returns the session it earns, linking the chat to the customer's email and Shopify
 * identities. A wrong hash, or an `id`, `email` or `shopifyCustomerId` that is not the one signed
 * (changed, added or left out), throws SIGNATURE_INVALID.
 *
 * @example
 * const hash = identityHash({ id: "7001", email: "kim@example.com" }, secret);
 * const session = verifiedSession({ id: "7001", email: "kim@example.com", hash }, secret, Date.now() + ttl);
 */
export function verifiedSession(identity: ShopIdentity, identitySecret: string, exp: number): VisitorSession {
  const ok = verifyHmacSignature({
    rawBody: canonicalIdentity(identity),
    secret: identitySecret,
    signature: identity.hash,
    encoding: "hex",
  });
  if (!ok) {
    throw new StoredeskError({
      code: "SIGNATURE_INVALID",
      message: "Visitor identity hash does not match",
      path: ["identity", "hash"],
    });
  }
  const identities: Identity[] = [];
  if (identity.shopifyCustomerId) identities.push({ kind: "shopify", value: identity.shopifyCustomerId });
  if (identity.email) identities.push({ kind: "email", value: identity.email });
  return { visitorId: `shop:${identity.id}`, verified: true, identities, name: identity.name ?? null, exp };
}

/**
 * A new anonymous session.
 *
 * @example
 * const session = anonymousSession(Date.now() + 86_400_000);
 */
export function anonymousSession(exp: number, newId: () => string = randomUUID): VisitorSession {
  return { visitorId: `anon:${newId()}`, verified: false, identities: [], name: null, exp };
}
