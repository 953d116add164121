/**
 * Shopify failures → storedesk error codes. Every message that leaves this file
 * has the access token scrubbed out, and causes are rebuilt as plain errors so no
 * request object (which carries the token header) hangs off an error.
 */
import { redactSecrets, StoredeskError } from "@storedesk/core";
import type { z } from "zod";
import type { UserErrorSchema } from "./schemas.js";

/** A mutation's `userErrors` / `orderCancelUserErrors` entry. */
export type ShopifyUserError = z.infer<typeof UserErrorSchema>;

/** A scrubber over core's `redactSecrets` (one redaction rule for every adapter). */
export function scrubberOf(secrets: ReadonlyArray<string>): (text: string) => string {
  return (text) => redactSecrets(text, secrets);
}

/** A plain error carrying only a scrubbed message and name: safe to keep as `cause`. */
export function safeCause(err: unknown, scrub: (text: string) => string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const safe = new Error(scrub(message));
  safe.name = err instanceof Error ? err.name : "Error";
  return safe;
}

/**
 * A mutation answered with user errors: PROVIDER_ERROR with the first error's
 * field path as `path` and every error in `details.userErrors`.
 *
 * @example
 * if (payload.userErrors.length) throw userErrorsToError("refundCreate", payload.userErrors, scrub);
 */
export function userErrorsToError(
  mutation: string,
  userErrors: ReadonlyArray<ShopifyUserError>,
  scrub: (text: string) => string = (t) => t,
): StoredeskError {
  const first = userErrors[0];
  const cleaned = userErrors.map((e) => ({ field: e.field ?? null, message: scrub(e.message), code: e.code ?? null }));
  return new StoredeskError({
    code: "PROVIDER_ERROR",
    message: `shopify ${mutation} refused: ${cleaned.map((e) => e.message).join("; ")}`,
    ...(first?.field ? { path: first.field } : {}),
    details: { provider: "shopify", mutation, userErrors: cleaned },
  });
}
