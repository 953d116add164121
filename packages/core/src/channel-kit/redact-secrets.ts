/** Scrubbing secrets (tokens, app secrets) out of text every adapter lets leave: errors, logs. */

/**
 * Replaces every occurrence of each secret (ignoring ones shorter than 4 characters) with `[redacted]`.
 *
 * @example
 * redactSecrets("token EAAB… invalid", [accessToken]) // "token [redacted] invalid"
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}
