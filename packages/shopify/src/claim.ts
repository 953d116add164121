/**
 * Exactly-once toward Shopify on top of the Store's idempotency records: a run claims
 * `<generation>:<id>` in a claim scope (the store makes that unique across instances),
 * acts, then records its answer under `id` in a done scope. Concurrent runs of the same id
 * wait for that answer. A run that fails writes a release, so the next generation may try
 * again; a run that dies holding a claim blocks the id until an operator releases it:
 * never a second refund or message.
 */
import { StoredeskError, type Clock, type IdempotencyRecord, type Store } from "@storedesk/core";

/** The three idempotency scopes of one claimed kind of work. */
export interface ClaimScopes {
  /** Final answers, keyed by id. */
  done: string;
  /** Running claims, keyed by `<generation>:<id>`. */
  claim: string;
  /** Failed or operator-released generations, keyed like claims. */
  release: string;
}

/** What a claim needs from its surroundings. */
export interface ClaimContext {
  store: Store;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Poll interval and how many polls to wait for another run's answer. */
  pollMs: number;
  maxPolls: number;
}

/** The claim key of a generation: the generation first, so the key splits unambiguously at the first ":". */
export function claimKey(generation: number, id: string): string {
  return `${generation}:${id}`;
}

/**
 * Claims `id` for this run. `{ key }`: this run does the work (then {@link finishClaim} or
 * {@link failClaim}); `{ stored }`: another run's recorded answer. When another run holds
 * the claim longer than the wait, throws what `busy` builds (a retryable CONFLICT).
 */
export async function claimOnce(
  ctx: ClaimContext,
  scopes: ClaimScopes,
  id: string,
  record: Record<string, unknown>,
  busy: (claim: { key: string; runningSince: string | null }) => StoredeskError,
): Promise<{ key: string } | { stored: IdempotencyRecord }> {
  let polls = 0;
  for (let generation = 0; ;) {
    const key = claimKey(generation, id);
    try {
      await ctx.store.putIdempotency({
        scope: scopes.claim,
        key,
        result: { state: "running", at: ctx.clock.now().toISOString(), ...record },
        createdAt: ctx.clock.now(),
      });
    } catch (err) {
      if (!StoredeskError.is(err, "CONFLICT")) throw err;
      const done = await ctx.store.getIdempotency(scopes.done, id);
      if (done) return { stored: done };
      if (await ctx.store.getIdempotency(scopes.release, key)) {
        generation++; // that attempt failed or was released: the next generation is free to claim
        continue;
      }
      if (polls >= ctx.maxPolls) {
        const holder = (await ctx.store.getIdempotency(scopes.claim, key))?.result as { at?: string } | undefined;
        throw busy({ key, runningSince: holder?.at ?? null });
      }
      polls++;
      await ctx.sleep(ctx.pollMs);
      continue;
    }
    // A run that finished between our first look and the claim already answered.
    const done = await ctx.store.getIdempotency(scopes.done, id);
    if (done) return { stored: done };
    return { key };
  }
}

/**
 * Frees a claim whose work did not happen, so a retry may run it. If even this write fails
 * the id stays claimed (retries get a retryable CONFLICT): safe, an operator clears it.
 */
export async function failClaim(ctx: ClaimContext, scopes: ClaimScopes, key: string, err: unknown): Promise<void> {
  const release = {
    state: "failed",
    at: ctx.clock.now().toISOString(),
    error: StoredeskError.is(err) ? err.code : "UNKNOWN",
    by: null,
  };
  await ctx.store
    .putIdempotency({ scope: scopes.release, key, result: release, createdAt: ctx.clock.now() })
    .catch(() => undefined);
}

/** Keyed-records namespace of the audit trail of operator releases (one record per release). */
export const CLAIM_RELEASES_NAMESPACE = "shopify.claim-releases";

/** One operator release, as the audit trail keeps it. */
export interface ClaimRelease {
  /** The claim scope (commerce actions or webhook ids). */
  scope: string;
  /** The idempotency key or webhook id. */
  id: string;
  generation: number;
  operator: string;
  /** When the claim was taken, if it recorded that. */
  runningSince: string | null;
  releasedAt: string;
}

/**
 * Operator release of a claim left running by a process that died: only after checking in
 * Shopify that the work did not happen. Returns false when nothing was running. The release
 * and its audit record (who, when, which claim: {@link listClaimReleases}) land together.
 */
export async function releaseRunningClaim(
  ctx: Pick<ClaimContext, "store" | "clock">,
  scopes: ClaimScopes,
  id: string,
  operator: string,
): Promise<boolean> {
  if (await ctx.store.getIdempotency(scopes.done, id)) return false;
  for (let generation = 0; ; generation++) {
    const key = claimKey(generation, id);
    const claim = await ctx.store.getIdempotency(scopes.claim, key);
    if (!claim) return false;
    if (await ctx.store.getIdempotency(scopes.release, key)) continue;
    const now = ctx.clock.now();
    const audit: ClaimRelease = {
      scope: scopes.claim,
      id,
      generation,
      operator,
      releasedAt: now.toISOString(),
      runningSince: ((claim.result as { at?: unknown } | null)?.at as string | undefined) ?? null,
    };
    try {
      await ctx.store.transaction(async (tx) => {
        await tx.putIdempotency({
          scope: scopes.release,
          key,
          result: { state: "released", at: now.toISOString(), error: null, by: operator },
          createdAt: now,
        });
        await tx.putRecord(
          { namespace: CLAIM_RELEASES_NAMESPACE, key: `${scopes.claim}/${key}`, value: audit, updatedAt: now },
          null,
        );
      });
      return true;
    } catch (err) {
      if (StoredeskError.is(err, "CONFLICT")) return false; // its holder failed and released it meanwhile
      throw err;
    }
  }
}

/**
 * The audit trail of operator releases, oldest key first (by scope, then generation and id).
 *
 * @example
 * for (const r of await listClaimReleases(store)) console.log(r.operator, r.scope, r.id, r.releasedAt);
 */
export async function listClaimReleases(
  store: Store,
  opts: { scope?: string; limit?: number } = {},
): Promise<ClaimRelease[]> {
  const records = await store.listRecords(CLAIM_RELEASES_NAMESPACE, {
    ...(opts.scope ? { prefix: `${opts.scope}/` } : {}),
    limit: opts.limit ?? 1000,
  });
  return records.map((r) => r.value as ClaimRelease);
}
