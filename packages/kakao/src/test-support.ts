/** What this package's tests share: skill and consultation-talk payloads, requests and channels. */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { signHmac } from "@storedesk/core";
import {
  COUNSEL_SIGNATURE_HEADER,
  kakaoCounselChannel,
  referenceCounselDealer,
  SKILL_TOKEN_HEADER,
  type KakaoCounselChannel,
} from "./index.js";

/**
 * The test file's mock of the providers' HTTP APIs (msw): listening from the first test (a request
 * no handler answers fails it), its handlers reset after each test, closed after the last.
 * Call it once at the top level of a test file.
 */
export function mockProviders(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export const SKILL_TOKEN = "skill-token-for-tests";
export const CALLBACK_URL = "https://bot-api.kakao.com/callback/abc123";

/** A skill payload as Open Builder posts it (version 2.0 SkillPayload). */
export function skillPayload(
  utterance: string,
  extra: { callbackUrl?: string; params?: Record<string, unknown>; userKey?: string } = {},
) {
  return {
    intent: { id: "intent-1", name: "배송 문의" },
    userRequest: {
      timezone: "Asia/Seoul",
      utterance,
      lang: "ko",
      ...(extra.callbackUrl ? { callbackUrl: extra.callbackUrl } : {}),
      block: { id: "block-1", name: "배송 문의" },
      user: {
        id: "bot-user-key-1",
        type: "botUserKey",
        properties: { plusfriendUserKey: extra.userKey ?? "pfk-minsu", isFriend: true },
      },
      params: { surface: "Kakaotalk.plusfriend" },
    },
    bot: { id: "bot-1", name: "스토어봇" },
    action: {
      id: "action-1",
      name: "shipping",
      params: extra.params ?? {},
      detailParams: {},
      clientExtra: {},
    },
    contexts: [],
  };
}

export function skillRequest(body: unknown, token: string | null = SKILL_TOKEN): Request {
  return new Request("https://shop.example/kakao/skill", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { [SKILL_TOKEN_HEADER]: token } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const COUNSEL_SECRET = "counsel-webhook-secret";
export const COUNSEL_BASE = "https://counsel.dealer.example";
/** The reference dealer's API key in tests: a secret no error or answer may show. */
export const COUNSEL_API_KEY = "dealer-api-key-secret";

/** The consultation-talk channel over the reference dealer at {@link COUNSEL_BASE}, webhooks signed with {@link COUNSEL_SECRET}. */
export function testCounselChannel(): KakaoCounselChannel {
  return kakaoCounselChannel({
    dealer: referenceCounselDealer({
      baseUrl: COUNSEL_BASE,
      apiKey: COUNSEL_API_KEY,
      senderKey: "sender-1",
      webhookSecret: COUNSEL_SECRET,
    }),
  });
}

export function counselBody(content: string, extra: Record<string, unknown> = {}) {
  return {
    sender_key: "sender-1",
    user_key: "pfk-minsu",
    session_id: "S100",
    serial_number: "m-1",
    type: "text",
    content,
    time: "2026-03-02T09:00:00+09:00",
    ...extra,
  };
}

export function counselRequest(body: unknown, secret: string | null = COUNSEL_SECRET): Request {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return new Request("https://shop.example/webhooks/kakao-counsel", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret ? { [COUNSEL_SIGNATURE_HEADER]: `sha256=${signHmac(raw, secret, "hex")}` } : {}),
    },
    body: raw,
  });
}
