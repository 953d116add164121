/**
 * The Naver Commerce API client: a token by client credentials (bcrypt-signed), cached until
 * 30 minutes before it expires and fetched once for concurrent callers; every call paced by a
 * token bucket and retried on 429 after Retry-After.
 */
import bcrypt from "bcryptjs";
import ky from "ky";
import type { KyInstance } from "ky";
import type { Clock } from "@storedesk/core";
import { providerHttpError, StoredeskError, systemClock } from "@storedesk/core";
import { commerceApiError } from "./errors.js";
import { tokenBucket } from "./token-bucket.js";
import type { TokenBucket } from "./token-bucket.js";

/** Options of {@link naverCommerceClient}. */
export interface NaverCommerceClientOptions {
  /** The application id from the Commerce API center. */
  clientId: string;
  /** The application secret: a bcrypt salt (`$2a$04$…`); it signs, and is never sent or logged. */
  clientSecret: string;
  /** `SELF` (the seller's own app, default) or `SELLER` (a solution acting for `accountId`). */
  type?: "SELF" | "SELLER";
  /** The seller's account id; required with `type: "SELLER"`. */
  accountId?: string;
  /** Default `https://api.commerce.naver.com/external`. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Calls per second this client allows itself (the app's limit). Default 2. */
  ratePerSecond?: number;
  /** Attempts per call on 429 / 5xx, the first included. Default 3. */
  attempts?: number;
  /** Receives one line per call (method, path, status): never a secret, token or body. */
  log?: (line: string) => void;
}

/** A call to the Commerce API. */
export interface CommerceRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the base URL, e.g. `/v1/contents/qnas`. */
  path: string;
  searchParams?: Record<string, string | number | boolean>;
  json?: unknown;
}

/** A Naver Commerce API client. */
export interface NaverCommerceClient {
  /** A valid access token (cached; refreshed 30 minutes before expiry, once for all callers). */
  accessToken(): Promise<string>;
  /** Calls the API with the token; returns the parsed JSON body (null for an empty one). */
  request<T = unknown>(call: CommerceRequest): Promise<T>;
}

const REFRESH_BEFORE_MS = 30 * 60 * 1000;

/**
 * `client_secret_sign`: base64 of bcrypt(`${clientId}_${timestamp}`) with the secret as salt.
 *
 * @example
 * const sign = await clientSecretSign("aaaabbbb", "$2a$04$abcdefghijklmnopqrstuv", 1643961623299);
 */
export async function clientSecretSign(clientId: string, clientSecret: string, timestamp: number): Promise<string> {
  let hashed: string;
  try {
    hashed = await bcrypt.hash(`${clientId}_${timestamp}`, clientSecret);
  } catch {
    // bcryptjs's message names the salt: say what is wrong without it.
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "clientSecret is not a bcrypt salt ($2a$…)",
      path: ["clientSecret"],
    });
  }
  return Buffer.from(hashed, "utf8").toString("base64");
}

/**
 * Makes a Commerce API client.
 *
 * @example
 * const commerce = naverCommerceClient({ clientId, clientSecret });
 * const page = await commerce.request({ method: "GET", path: "/v1/contents/qnas", searchParams: { fromDate, toDate } });
 */
export function naverCommerceClient(options: NaverCommerceClientOptions): NaverCommerceClient {
  if (!options.clientId || !options.clientSecret) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "clientId and clientSecret are required",
      path: ["clientId"],
    });
  }
  if (options.type === "SELLER" && !options.accountId) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "type SELLER needs accountId",
      path: ["accountId"],
    });
  }
  const clock = options.clock ?? systemClock();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = Math.max(1, options.attempts ?? 3);
  const log = options.log ?? (() => undefined);
  const bucket: TokenBucket = tokenBucket({ ratePerSecond: options.ratePerSecond ?? 2, clock, sleep });
  const http: KyInstance = ky.create({
    prefixUrl: options.baseUrl ?? "https://api.commerce.naver.com/external",
    fetch: options.fetch ?? globalThis.fetch,
    retry: 0,
    throwHttpErrors: false,
    timeout: 30_000,
  });
  let cached: { token: string; refreshAt: number } | null = null;
  let pending: Promise<string> | null = null;
  const secrets = (): string[] => [options.clientSecret, ...(cached ? [cached.token] : [])];

  async function send(path: string, init: Parameters<KyInstance>[1]): Promise<Response> {
    try {
      return await http(path.replace(/^\//, ""), init);
    } catch (cause) {
      // Network failure or timeout: retryable; the cause (it may hold the URL) stays internal.
      throw providerHttpError("naver-commerce", null, {
        message: "network failure",
        cause: cause instanceof Error ? new Error(cause.name) : undefined,
      });
    }
  }

  async function fetchToken(): Promise<string> {
    const timestamp = clock.now().getTime();
    const sign = await clientSecretSign(options.clientId, options.clientSecret, timestamp);
    const body = new URLSearchParams({
      client_id: options.clientId,
      timestamp: String(timestamp),
      client_secret_sign: sign,
      grant_type: "client_credentials",
      type: options.type ?? "SELF",
      ...(options.accountId ? { account_id: options.accountId } : {}),
    });
    for (let attempt = 1; ; attempt++) {
      await bucket.take();
      const response = await send("/v1/oauth2/token", { method: "post", body });
      log(`POST /v1/oauth2/token ${response.status}`);
      const text = await response.text();
      if (response.ok) {
        let parsed: { access_token?: unknown; expires_in?: unknown };
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          parsed = {};
        }
        if (typeof parsed.access_token !== "string" || typeof parsed.expires_in !== "number") {
          throw new StoredeskError({
            code: "PROVIDER_ERROR",
            message: "naver-commerce token answer without access_token/expires_in",
          });
        }
        const expiresAt = clock.now().getTime() + parsed.expires_in * 1000;
        cached = { token: parsed.access_token, refreshAt: expiresAt - REFRESH_BEFORE_MS };
        return parsed.access_token;
      }
      const retryAfter = retryAfterSeconds(response, clock.now().getTime());
      if (attempt < attempts && (response.status === 429 || response.status >= 500)) {
        await sleep(backoffMs(attempt, retryAfter));
        continue;
      }
      throw commerceApiError(response.status, text, [...secrets(), sign], retryAfter);
    }
  }

  async function accessToken(): Promise<string> {
    if (cached && clock.now().getTime() < cached.refreshAt) return cached.token;
    // Single flight: concurrent callers share one token request.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function request<T>(call: CommerceRequest): Promise<T> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await accessToken();
      await bucket.take();
      const response = await send(call.path, {
        method: call.method.toLowerCase(),
        headers: { authorization: `Bearer ${token}` },
        ...(call.searchParams ? { searchParams: call.searchParams } : {}),
        ...(call.json !== undefined ? { json: call.json } : {}),
      });
      log(`${call.method} ${call.path} ${response.status}`);
      const text = await response.text();
      if (response.ok) {
        if (text.trim() === "") return null as T;
        try {
          return JSON.parse(text) as T;
        } catch (cause) {
          throw new StoredeskError({
            code: "PROVIDER_ERROR",
            message: `naver-commerce answered ${call.path} with non-JSON`,
            cause,
          });
        }
      }
      // A token revoked early: fetch a new one once, then the call again.
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        cached = null;
        continue;
      }
      const retryAfter = retryAfterSeconds(response, clock.now().getTime());
      if (attempt < attempts && (response.status === 429 || response.status >= 500)) {
        await sleep(backoffMs(attempt, retryAfter));
        continue;
      }
      throw commerceApiError(response.status, text, secrets(), retryAfter);
    }
  }

  return { accessToken, request };
}

function retryAfterSeconds(response: Response, now: number): number | null {
  const value = response.headers.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Retry-After when the API names it (capped at a minute), else 0.5 s, 1 s, 2 s… */
function backoffMs(attempt: number, retryAfter: number | null): number {
  if (retryAfter !== null) return Math.min(retryAfter, 60) * 1000;
  return 500 * 2 ** (attempt - 1);
}
