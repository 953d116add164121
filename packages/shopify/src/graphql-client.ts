/**
 * A small Admin GraphQL client over ky: one POST per call, the calculated-cost
 * throttle honoured (a THROTTLED answer waits exactly as long as the bucket needs
 * to refill, then retries), 429/5xx retried with backoff through core's withRetry.
 *
 * Hand-written rather than @shopify/admin-api-client: that client bundles its own
 * fetch and retry policy, and we need injected fetch/sleep and our error codes.
 */
import ky from "ky";
import { StoredeskError, providerHttpError, withRetry } from "@storedesk/core";
import type { z } from "zod";
import { scrubberOf, safeCause } from "./errors.js";
import { GraphqlEnvelopeSchema, type ThrottleStatusSchema } from "./schemas.js";

/** The cost bucket as Shopify last reported it. */
export type ThrottleStatus = z.infer<typeof ThrottleStatusSchema>;

/** Options of {@link createGraphqlClient}. */
export interface GraphqlClientOptions {
  shop: string;
  accessToken: string;
  apiVersion: string;
  fetch?: typeof fetch;
  /** Injected wait (tests pass a fake); defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per call, the first included (default 5). */
  attempts?: number;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
  /** Jitter source for backoff (default Math.random). */
  random?: () => number;
}

/** The client returned by {@link createGraphqlClient}. */
export interface GraphqlClient {
  /** Runs a query or mutation and returns `data`; throws StoredeskError. */
  request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The throttle status of the latest response, or null before the first call. */
  throttleStatus(): ThrottleStatus | null;
}

/**
 * Creates the Admin GraphQL client for one shop.
 *
 * @example
 * const gql = createGraphqlClient({ shop: "x.myshopify.com", accessToken, apiVersion: "2025-10" });
 * const data = await gql.request("{ shop { name } }");
 */
export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const url = `https://${options.shop}/admin/api/${options.apiVersion}/graphql.json`;
  const scrub = scrubberOf([options.accessToken]);
  const api = ky.create({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    retry: 0,
    throwHttpErrors: false,
    timeout: options.timeoutMs ?? 30_000,
    headers: { "X-Shopify-Access-Token": options.accessToken, accept: "application/json" },
  });
  let lastThrottle: ThrottleStatus | null = null;

  async function attempt(
    query: string,
    variables: Record<string, unknown> | undefined,
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await api.post(url, { json: { query, variables: variables ?? {} } });
    } catch (err) {
      // Network failure or timeout: never keep ky's error, its `request` holds the token header.
      throw providerHttpError("shopify", null, {
        message: scrub(err instanceof Error ? err.message : String(err)),
        cause: safeCause(err, scrub),
      });
    }
    const text = await response.text();
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("retry-after"));
      throw providerHttpError("shopify", response.status, {
        message: scrub(text.slice(0, 200)),
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: "shopify answered with a body that is not JSON",
        details: { provider: "shopify" },
        cause: safeCause(cause, scrub),
      });
    }
    const parsed = GraphqlEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: "shopify answered with an unexpected GraphQL envelope",
        details: { provider: "shopify" },
      });
    }
    const body = parsed.data;
    const cost = body.extensions?.cost;
    if (cost?.throttleStatus) lastThrottle = cost.throttleStatus;

    if (body.errors && body.errors.length > 0) {
      const codes = body.errors.map((e) => e.extensions?.code ?? null);
      const messages = body.errors.map((e) => scrub(e.message));
      if (codes.includes("THROTTLED")) {
        const status = cost?.throttleStatus;
        const needed = cost?.requestedQueryCost ?? (status ? Math.min(status.maximumAvailable, 50) : 0);
        const waitSeconds =
          status && status.restoreRate > 0 ? Math.max(0, needed - status.currentlyAvailable) / status.restoreRate : 1;
        throw new StoredeskError({
          code: "RATE_LIMITED",
          message: "shopify throttled the query (calculated cost above the available bucket)",
          details: {
            provider: "shopify",
            retryAfterSeconds: Math.max(waitSeconds, 0.05),
            requestedQueryCost: cost?.requestedQueryCost ?? null,
            throttleStatus: status ?? null,
          },
        });
      }
      if (codes.includes("ACCESS_DENIED")) {
        throw new StoredeskError({
          code: "PROVIDER_AUTH",
          message: `shopify denied access: ${messages.join("; ")}`,
          details: { provider: "shopify", errors: messages },
        });
      }
      if (codes.includes("INTERNAL_SERVER_ERROR")) {
        throw new StoredeskError({
          code: "PROVIDER_UNAVAILABLE",
          message: `shopify internal error: ${messages.join("; ")}`,
          details: { provider: "shopify", errors: messages },
        });
      }
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: `shopify GraphQL error: ${messages.join("; ")}`,
        details: { provider: "shopify", errors: messages, codes },
      });
    }
    if (!body.data)
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: "shopify answered without data",
        details: { provider: "shopify" },
      });
    return body.data;
  }

  return {
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const data = await withRetry(() => attempt(query, variables), {
        attempts: options.attempts ?? 5,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.random ? { random: options.random } : {}),
      });
      return data as T;
    },
    throttleStatus: () => lastThrottle,
  };
}
