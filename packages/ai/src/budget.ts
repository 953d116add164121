/**
 * The per-call budget every model call of this package runs under: a deadline enforced through an
 * AbortSignal (passed to the provider) and a race (for a provider that ignores the signal).
 */
import { StoredeskError } from "@storedesk/core";
import { JSONParseError, NoObjectGeneratedError, NoOutputGeneratedError, TypeValidationError } from "ai";

/** Limits of one model call. */
export interface CallBudget {
  /** Deadline of the whole call, retries included. Default 8000 ms. */
  timeoutMs?: number;
  /** Upper bound on generated tokens, passed to the provider. */
  maxOutputTokens?: number;
  /** Provider retries inside the deadline. Default 0: a fallback is cheaper than a second wait. */
  maxRetries?: number;
  /** Aborts the call early, e.g. when the request that asked for it went away. */
  abortSignal?: AbortSignal;
}

/** Why a model call did not give a usable answer. */
export type ModelFailure = "timeout" | "error" | "invalid_output";

/** Thrown by {@link withBudget} when the deadline passes. */
export class BudgetExceededError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the model did not answer within ${timeoutMs} ms`);
    this.name = "BudgetExceededError";
  }
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs`, and rejects with
 * {@link BudgetExceededError} at the deadline even if the provider keeps going.
 *
 * @example
 * const text = await withBudget((signal) => fetchSomething(signal), 2000);
 */
export async function withBudget<T>(
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new BudgetExceededError(timeoutMs);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
    // A pending model call must not keep a process alive that has nothing else to do.
    timer.unref?.();
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/**
 * Sorts a failed call into timeout, invalid output (the model answered, but not in the schema)
 * or error (the provider failed).
 *
 * @example
 * try { await generateText(...) } catch (err) { if (classifyFailure(err) === "timeout") ... }
 */
export function classifyFailure(err: unknown): ModelFailure {
  if (err instanceof BudgetExceededError) return "timeout";
  if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) return "timeout";
  if (NoObjectGeneratedError.isInstance(err) || NoOutputGeneratedError.isInstance(err)) return "invalid_output";
  if (TypeValidationError.isInstance(err) || JSONParseError.isInstance(err)) return "invalid_output";
  return "error";
}

/**
 * The StoredeskError for a failed call of a function that has no local fallback (drafts, summaries):
 * PROVIDER_UNAVAILABLE (retryable) for a timeout, PROVIDER_ERROR otherwise. The cause is kept.
 *
 * @example
 * catch (err) { throw toStoredeskError(err, "draftReply"); }
 */
export function toStoredeskError(err: unknown, operation: string): StoredeskError {
  if (StoredeskError.is(err)) return err;
  const failure = classifyFailure(err);
  const message =
    failure === "timeout"
      ? `${operation}: the model did not answer in time`
      : failure === "invalid_output"
        ? `${operation}: the model's answer did not match the expected shape`
        : `${operation}: the model provider failed`;
  return new StoredeskError({
    code: failure === "timeout" ? "PROVIDER_UNAVAILABLE" : "PROVIDER_ERROR",
    message,
    retryable: failure !== "invalid_output",
    details: { failure },
    cause: err,
  });
}
