/**
 * Who a chat visitor is. Anonymous visitors get a session token the server signs (HMAC-SHA256,
 * with an expiry); a shop's logged-in customer is vouched for by the shop's own server, which
 * computes `HMAC-SHA256(identitySecret, identifier)` and hands it to the widget.
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

/** A logged-in customer as the shop's page describes them, with the hash its server computed. */
export interface ShopIdentity {
  /** The shop's stable customer identifier (e.g. the Shopify customer id). */
  id: string;
  email?: string | null;
  name?: string | null;
  /** Shopify customer id, when the shop is on Shopify (links the chat to the customer's orders). */
  shopifyCustomerId?: string | null;
  /** `hex(HMAC-SHA256(identitySecret, id))`, computed on the shop's server. */
  hash: string;
}

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
 * The hash a shop's server computes for a logged-in customer: `hex(HMAC-SHA256(secret, id))`.
 * Run it on the server only; the secret never reaches a browser.
 *
 * @example
 * const hash = identityHash(String(customer.id), process.env.CHAT_IDENTITY_SECRET!);
 */
export function identityHash(id: string, secret: string): string {
  return signHmac(id, secret, "hex");
}

/**
 * Checks a shop identity's hash and returns the session it earns, linking the chat to the
 * customer's email and Shopify identities. A wrong hash throws SIGNATURE_INVALID.
 *
 * @example
 * const session = verifiedSession({ id: "7001", email: "kim@example.com", hash }, secret, Date.now() + ttl);
 */
export function verifiedSession(identity: ShopIdentity, identitySecret: string, exp: number): VisitorSession {
  const ok = verifyHmacSignature({
    rawBody: identity.id,
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
