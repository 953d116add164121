/**
 * A small Meta Graph API client: ky with an injectable fetch, core's `withRetry`, Graph errors
 * mapped by `graphApiError`, the access token scrubbed from every error.
 */
import ky from "ky";
import type { z } from "zod";
import type { ErrorCode } from "@storedesk/core";
import { graphApiError, parseGraphErrorBody, redactSecrets, StoredeskError, withRetry } from "@storedesk/core";

/** Options of {@link createGraphClient}. */
export interface GraphClientOptions {
  provider: string;
  accessToken: string;
  /** e.g. `v21.0`. */
  apiVersion: string;
  /** Default `https://graph.facebook.com`. */
  graphBaseUrl: string;
  fetch?: typeof globalThis.fetch;
  /** Injected for tests: no real waiting between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per call, the first included. Default 3. */
  attempts?: number;
  /** Product-specific Graph error codes. */
  codes?: Record<number, ErrorCode>;
  /** Other secrets to scrub from errors besides the access token. */
  secrets?: string[];
}

/** A small Graph API client. */
export interface GraphClient {
  /** Calls `{base}/{version}/{path}` and validates the JSON answer with `schema`. */
  call<S extends z.ZodType>(
    method: "get" | "post" | "delete",
    path: string,
    schema: S,
    body?: { json?: unknown; form?: FormData },
  ): Promise<z.output<S>>;
  /** GETs an absolute URL (a media download) with the bearer token; returns the bytes and content type. */
  download(url: string): Promise<{ bytes: Uint8Array; contentType: string | null }>;
}

/** Makes a {@link GraphClient}. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const secrets = [options.accessToken, ...(options.secrets ?? [])];
  const base = options.graphBaseUrl.replace(/\/+$/, "");
  const http = ky.create({
    headers: { authorization: `Bearer ${options.accessToken}` },
    retry: 0,
    throwHttpErrors: false,
    timeout: 30_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const retry = { attempts: options.attempts ?? 3, ...(options.sleep ? { sleep: options.sleep } : {}) };

  async function send(url: string, init: { method: string; json?: unknown; body?: FormData }): Promise<Response> {
    let response: Response;
    try {
      response = await http(url, init);
    } catch (err) {
      // Network failure or timeout. ky's errors hold the Request (and its Authorization
      // header), so only a scrubbed copy of the message travels on as the cause.
      const message = err instanceof Error ? `${err.name}: ${err.message}` : "request failed";
      throw graphApiError({
        provider: options.provider,
        status: null,
        secrets,
        cause: new Error(redactSecrets(message, secrets)),
      });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      const retryAfter = Number(response.headers.get("retry-after"));
      throw graphApiError({
        provider: options.provider,
        status: response.status,
        error: parseGraphErrorBody(text),
        ...(options.codes ? { codes: options.codes } : {}),
        secrets,
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      });
    }
    return response;
  }

  return {
    async call(method, path, schema, body) {
      const url = `${base}/${options.apiVersion}/${path.replace(/^\/+/, "")}`;
      const response = await withRetry(
        () =>
          send(url, {
            method: method.toUpperCase(),
            ...(body?.json !== undefined ? { json: body.json } : {}),
            ...(body?.form ? { body: body.form } : {}),
          }),
        retry,
      );
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        throw new StoredeskError({
          code: "PROVIDER_ERROR",
          message: `${options.provider} Graph API returned an unexpected answer to ${method.toUpperCase()} ${path}`,
          details: { provider: options.provider, status: response.status },
        });
      }
      return result.data;
    },
    async download(url) {
      const response = await withRetry(() => send(url, { method: "GET" }), retry);
      return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get("content-type") };
    },
  };
}
