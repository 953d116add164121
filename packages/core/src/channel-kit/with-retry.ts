import { StoredeskError } from "../errors.js";

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  attempts?: number;
  /** First delay in ms; doubles each time with ±20% jitter. Default 250. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Deterministic jitter source for tests; defaults to Math.random. */
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` again with exponential backoff while it fails with a retryable
 * StoredeskError (RATE_LIMITED, PROVIDER_UNAVAILABLE, CONFLICT). A provider's
 * `retryAfterSeconds` detail is honoured. Other errors are rethrown at once.
 *
 * @example
 * const receipt = await withRetry(() => api.post("messages", { json }));
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!StoredeskError.is(err) || !err.retryable || attempt >= attempts) throw err;
      const retryAfter = typeof err.details?.retryAfterSeconds === "number" ? err.details.retryAfterSeconds * 1000 : 0;
      const backoff = Math.min(max, base * 2 ** (attempt - 1)) * (0.8 + 0.4 * random());
      await sleep(Math.max(retryAfter, backoff));
    }
  }
}
