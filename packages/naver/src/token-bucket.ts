/**
 * A token bucket for the Commerce API's per-second limit. Hand-written (30 lines) because the
 * limiter packages on npm either keep timers alive or cannot take an injected clock and sleep,
 * and tests must not wait for real time.
 */
import type { Clock } from "@storedesk/core";
import { systemClock } from "@storedesk/core";

/** Options of {@link tokenBucket}. */
export interface TokenBucketOptions {
  /** Requests allowed per second (and the burst size). */
  ratePerSecond: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

/** Takes one token, waiting until one is free. */
export interface TokenBucket {
  take(): Promise<void>;
}

/**
 * A bucket that refills `ratePerSecond` tokens a second; `take()` waits for the next free one.
 * Callers queue in order: each reserves its slot before it sleeps, so a burst cannot overtake.
 *
 * @example
 * const bucket = tokenBucket({ ratePerSecond: 2 });
 * await bucket.take(); // then call the API
 */
export function tokenBucket(options: TokenBucketOptions): TokenBucket {
  const rate = options.ratePerSecond;
  if (!(rate > 0)) throw new RangeError("ratePerSecond must be positive");
  const clock = options.clock ?? systemClock();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let tokens = rate;
  let last = clock.now().getTime();
  return {
    async take() {
      const now = clock.now().getTime();
      tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
      last = now;
      tokens -= 1; // reserve now; a negative balance is the queue ahead of us
      if (tokens < 0) await sleep(Math.ceil((-tokens / rate) * 1000));
    },
  };
}
