/**
 * Meta's webhook handshake, shared by every Graph product: the `X-Hub-Signature-256` check
 * and the GET verification challenge.
 */
import { verifyHmacSignature } from "./verify-signature.js";

/**
 * Checks Meta's `X-Hub-Signature-256` header (`sha256=` + hex HMAC-SHA256 of the
 * raw body keyed by the app secret), timing-safe. Missing or wrong → false.
 *
 * @example
 * if (!verifyHubSignature(rawBody, request.headers.get("x-hub-signature-256"), appSecret)) return errorResponse(…);
 */
export function verifyHubSignature(
  rawBody: string | Uint8Array,
  signature: string | null | undefined,
  appSecret: string,
): boolean {
  return verifyHmacSignature({ rawBody, secret: appSecret, signature, encoding: "hex", prefix: "sha256=" });
}

/**
 * Answers Meta's webhook verification request (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
 * 200 with the challenge as `text/plain` when the token matches, 403 otherwise.
 *
 * @example
 * if (request.method === "GET") return { response: hubChallengeResponse(request, verifyToken), events: [] };
 */
export function hubChallengeResponse(request: Request, verifyToken: string): Response {
  const params = new URL(request.url).searchParams;
  const mode = params.get("hub.mode");
  const token = params.get("hub.verify_token");
  const challenge = params.get("hub.challenge");
  if (mode === "subscribe" && token !== null && challenge !== null && constantTimeEqual(token, verifyToken)) {
    return new Response(challenge, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  return new Response("Forbidden", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function constantTimeEqual(a: string, b: string): boolean {
  // Same length check leaks only the length; good enough for a verify token.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
