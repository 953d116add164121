/**
 * The one HTTP call of the Kakao business-message providers (the AlimTalk dealer and the
 * consultation-talk dealer): a JSON POST answered with a body carrying a result `code`.
 * Transport failures and HTTP errors are mapped here; what a result code means is the caller's
 * (see errors.ts), because each dealer numbers its codes differently.
 */
import type { KyInstance } from "ky";
import { z } from "zod";
import { providerHttpError, StoredeskError } from "@storedesk/core";

/** The result body both dealers answer with (extra fields kept). */
export const DealerResultSchema = z
  .object({
    code: z.string(),
    message: z.string().optional(),
    message_key: z.string().optional(),
    message_id: z.string().optional(),
  })
  .loose();
/** A dealer's result body. */
export type DealerResult = z.infer<typeof DealerResultSchema>;

/** One dealer request. */
export interface DealerPost {
  /** Provider name in error details (`lunasoft`, `kakao-counsel`). */
  provider: string;
  path: string;
  json: Record<string, unknown>;
  /** Credentials go in headers only, so they never reach an error message. */
  headers: Record<string, string>;
}

/**
 * POSTs to a dealer and returns its result body, whatever its code: network failure and
 * HTTP errors → `providerHttpError` (retryable where the status says so), a body without a
 * result code → PROVIDER_ERROR.
 *
 * @example
 * const result = await postToDealer(http, { provider: "lunasoft", path: "api/v3/alimtalk/send", json, headers: { agentKey } });
 * if (result.code !== "0000") throw lunasoftResultError(result.code);
 */
export async function postToDealer(http: KyInstance, request: DealerPost): Promise<DealerResult> {
  let response: Response;
  try {
    response = await http.post(request.path, { json: request.json, headers: request.headers });
  } catch {
    throw providerHttpError(request.provider, null, { message: "network failure" });
  }
  const text = await response.text();
  if (!response.ok) throw providerHttpError(request.provider, response.status);
  let result: DealerResult | null = null;
  try {
    const parsed = DealerResultSchema.safeParse(JSON.parse(text));
    if (parsed.success) result = parsed.data;
  } catch {
    result = null;
  }
  if (!result)
    throw new StoredeskError({
      code: "PROVIDER_ERROR",
      message: `${request.provider} answered without a result code`,
    });
  return result;
}
