/** The `notify` action: a signed JSON POST to the shop's URL, retried by the scheduler. */
import { createHmac } from "node:crypto";

/** Header carrying `sha256=<hex HMAC of "<timestamp>.<body>">`. */
export const SIGNATURE_HEADER = "x-storedesk-signature";
/** Header carrying the Unix time (seconds) the signature covers; receivers refuse old ones. */
export const TIMESTAMP_HEADER = "x-storedesk-timestamp";

/**
 * The signature of a notification: HMAC-SHA256 over `<timestamp>.<body>` with the shop's secret
 * (the timestamp is signed too, so a captured request cannot be replayed later under a new time).
 *
 * @example
 * signNotification("s3cret", "1767225600", '{"event":"rule"}') // "sha256=…"
 */
export function signNotification(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Posts one notification. Anything but a 2xx answer throws, so the job that sends it is retried
 * with backoff (and abandoned with a `job.abandoned` audit event after the scheduler's attempts).
 *
 * @example
 * await postNotification({ url: "https://shop.example/hooks", secret, payload: { event: "rule.notify" }, now });
 */
export async function postNotification(input: {
  url: string;
  secret: string;
  payload: Record<string, unknown>;
  now: Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<void> {
  const body = JSON.stringify(input.payload);
  const timestamp = String(Math.floor(input.now.getTime() / 1000));
  const response = await (input.fetch ?? fetch)(input.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signNotification(input.secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
  });
  if (!response.ok) throw new Error(`notify ${input.url}: HTTP ${response.status}`);
}
