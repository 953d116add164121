/** Store transactions with the retries every desk write shares. */
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import type { DeskContext } from "./context.js";

/** Transient store errors worth retrying the whole transaction for. */
function retryable(err: unknown): boolean {
  return (
    StoredeskError.is(err) &&
    (err.code === "CONFLICT" || err.code === "PROVIDER_UNAVAILABLE") &&
    err.details?.duplicate !== true
  );
}

/**
 * Runs `fn` in a store transaction, again on a version conflict or a dropped connection.
 *
 * @example
 * const ticket = await withTx(ctx, (tx) => tx.getTicket(id));
 */
export async function withTx<T>(ctx: DeskContext, fn: (tx: StoreOps) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.store.transaction(fn);
    } catch (err) {
      if (!retryable(err) || attempt >= attempts) throw err;
      // A version conflict retries at once (the other writer is done); a dropped connection
      // waits a little, with jitter, so a recovering server is not hammered.
      if (StoredeskError.is(err, "PROVIDER_UNAVAILABLE")) {
        const ms = Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    }
  }
}
