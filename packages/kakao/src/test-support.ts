import { signHmac } from "@storedesk/core";
import { COUNSEL_SIGNATURE_HEADER, SKILL_TOKEN_HEADER } from "./index.js";

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
