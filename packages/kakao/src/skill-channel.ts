/**
 * The Kakao i Open Builder skill server as a channel. A skill can answer only inside its HTTP
 * response (5 seconds) or, when the block has callbacks on, once through the callback URL within
 * a minute; after that an agent answers through consultation talk (상담톡) or AlimTalk.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import ky from "ky";
import type {
  ChannelAdapter,
  Clock,
  Identity,
  InboundEventInput,
  OutboundMessage,
  ReplyWindow,
  ReplyWindowContext,
  SendReceipt,
} from "@storedesk/core";
import {
  bodyDedupeIds,
  errorResponse,
  parseJson,
  providerHttpError,
  readRawBody,
  StoredeskError,
  systemClock,
} from "@storedesk/core";
import { koreanPhoneIdentity } from "./phone.js";
import { skillResponse } from "./skill-response.js";
import type { SkillAnswer } from "./skill-response.js";
import { SkillPayloadSchema } from "./schemas.js";
import type { SkillPayload } from "./schemas.js";

/** Header Open Builder sends with each skill call (set in the skill's "헤더 값 입력"). */
export const SKILL_TOKEN_HEADER = "x-storedesk-skill-token";
/** A callback URL is valid for one minute after the request. */
export const CALLBACK_TTL_MS = 60_000;

/** Options of {@link kakaoSkillChannel}. */
export interface KakaoSkillChannelOptions {
  /** The secret configured as the skill's header value; requests without it get 401. */
  skillToken: string;
  /** Action parameters (slots) that may carry the customer's phone number. Default `phone`, `phone_number`, `mobile`. */
  phoneParams?: string[];
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Channel id. Default `kakao`. */
  id?: string;
}

/** The skill channel: a ChannelAdapter plus what the skill handler needs. */
export interface KakaoSkillChannel extends ChannelAdapter {
  /** The skill response an inline send parked under `token` (taken once). */
  takeInline(token: string): ReturnType<typeof skillResponse> | null;
  /** The live callback URL of a Kakao user, if any (not yet used, under a minute old). */
  callbackFor(userKey: string): string | null;
  /** Forgets a user's callback (the skill answered without `useCallback`, so Kakao will not take it). */
  dropCallback(userKey: string): void;
}

/** The customer identities of a skill request's user: channel user key first, then the bot key, then a phone. */
export function skillIdentities(payload: SkillPayload, phoneParams: readonly string[]): Identity[] {
  const user = payload.userRequest.user;
  const out: Identity[] = [];
  const plusfriend = user.properties.plusfriendUserKey ?? user.properties.plusfriend_user_key;
  if (plusfriend) out.push({ kind: "kakao", value: `plusfriend:${plusfriend}` });
  out.push({ kind: "kakao", value: `${user.type}:${user.id}` });
  for (const name of phoneParams) {
    const phone = koreanPhoneIdentity(
      payload.action.params[name] ?? (payload.action.detailParams?.[name] as { value?: unknown } | undefined)?.value,
    );
    if (phone) {
      out.push(phone);
      break;
    }
  }
  return out;
}

/** The key a skill user's callbacks and replies are kept under. */
function userKeyOf(identities: Identity[]): string {
  return identities[0]!.value;
}

/**
 * Makes the skill channel. Mount it with `kakaoSkillHandler` to answer within the time limit.
 *
 * @example
 * const kakao = kakaoSkillChannel({ skillToken: process.env.KAKAO_SKILL_TOKEN! });
 * app.post("/kakao/skill", (c) => kakaoSkillHandler({ desk, channel: kakao, answer: faqBot })(c.req.raw));
 */
export function kakaoSkillChannel(options: KakaoSkillChannelOptions): KakaoSkillChannel {
  const id = options.id ?? "kakao";
  const clock = options.clock ?? systemClock();
  const bodyId = bodyDedupeIds({ clock, windowMs: 5_000 });
  const phoneParams = options.phoneParams ?? ["phone", "phone_number", "mobile"];
  const inline = new Map<string, ReturnType<typeof skillResponse>>();
  const callbacks = new Map<string, { url: string; expiresAt: number }>();
  const http = ky.create({
    fetch: options.fetch ?? globalThis.fetch,
    retry: 0,
    throwHttpErrors: false,
    timeout: 10_000,
  });

  function tokenMatches(given: string | null): boolean {
    if (!given) return false;
    return timingSafeEqual(
      createHash("sha256").update(given).digest(),
      createHash("sha256").update(options.skillToken).digest(),
    );
  }

  async function handleWebhook(request: Request) {
    try {
      if (!tokenMatches(request.headers.get(SKILL_TOKEN_HEADER))) {
        throw new StoredeskError({
          code: "SIGNATURE_INVALID",
          message: "Kakao skill token missing or wrong",
        });
      }
      const raw = await readRawBody(request, 1024 * 1024);
      const parsed = SkillPayloadSchema.safeParse(parseJson(raw));
      if (!parsed.success) throw new StoredeskError({ code: "INVALID_INPUT", message: "Not a Kakao skill payload" });
      const payload = parsed.data;
      const identities = skillIdentities(payload, phoneParams);
      const now = clock.now();
      if (payload.userRequest.callbackUrl) {
        callbacks.set(userKeyOf(identities), {
          url: payload.userRequest.callbackUrl,
          expiresAt: now.getTime() + CALLBACK_TTL_MS,
        });
      }
      // Open Builder sends no message id and does not redeliver: the body (its callback URL is
      // unique per request) makes one, and a repeat within 5 s of the first copy is the same.
      const externalId = bodyId("skill", "", raw);
      const event: InboundEventInput = {
        type: "message",
        channel: id,
        externalId,
        occurredAt: now,
        from: { identities, name: null, locale: payload.userRequest.lang ?? "ko" },
        text: payload.userRequest.utterance,
        conversationKey: `kakao:${userKeyOf(identities)}`,
        meta: {
          kakao: {
            kind: "skill",
            block: payload.userRequest.block?.name ?? null,
            intent: payload.intent?.name ?? null,
            params: payload.action.params,
            callback: !!payload.userRequest.callbackUrl,
            userKey: userKeyOf(identities),
          },
        },
      };
      return {
        response: new Response(JSON.stringify(skillResponse("확인했어요.")), {
          status: 200,
          headers: { "content-type": "application/json" },
        }),
        events: [event],
      };
    } catch (err) {
      return { response: errorResponse(err), events: [] };
    }
  }

  function answerOf(message: OutboundMessage): SkillAnswer {
    const opts = (message.options ?? {}) as {
      quickReplies?: SkillAnswer["quickReplies"];
      card?: SkillAnswer["card"];
    };
    return {
      text: message.text,
      ...(opts.quickReplies ? { quickReplies: opts.quickReplies } : {}),
      ...(opts.card ? { card: opts.card } : {}),
    };
  }

  function userKeyFor(message: OutboundMessage): string {
    const key =
      /^kakao:(.+)$/.exec(message.ticket.conversationKey ?? "")?.[1] ??
      message.customer.identities.find((i) => i.kind === "kakao")?.value;
    if (!key)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "The customer has no Kakao user key",
        path: ["customer", "identities"],
      });
    return key;
  }

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const body = skillResponse(answerOf(message));
    const externalId = `skill-out:${message.messageId}`;
    const token = (message.options as { kakaoInline?: unknown } | undefined)?.kakaoInline;
    if (typeof token === "string") {
      inline.set(token, body);
      return { externalId, status: "sent", meta: { kakao: { via: "response" } } };
    }
    const userKey = userKeyFor(message);
    const url = liveCallback(userKey);
    if (!url) {
      throw new StoredeskError({
        code: "REPLY_WINDOW_CLOSED",
        message:
          "No open Kakao callback for this user: answer through consultation talk (상담톡) or an AlimTalk template",
        details: { channel: id },
      });
    }
    callbacks.delete(userKey); // one use
    let response: Response;
    try {
      response = await http.post(url, { json: body });
    } catch {
      throw providerHttpError("kakao-callback", null, { message: "network failure" });
    }
    const text = await response.text();
    if (!response.ok) throw providerHttpError("kakao-callback", response.status);
    let status: string | undefined;
    try {
      status = (JSON.parse(text) as { status?: string }).status;
    } catch {
      status = undefined;
    }
    if (status && status !== "SUCCESS")
      throw new StoredeskError({
        code: "PROVIDER_ERROR",
        message: `Kakao callback answered ${status.slice(0, 50)}`,
      });
    return { externalId, status: "sent", meta: { kakao: { via: "callback" } } };
  }

  function liveCallback(userKey: string): string | null {
    const entry = callbacks.get(userKey);
    if (!entry) return null;
    if (entry.expiresAt <= clock.now().getTime()) {
      callbacks.delete(userKey);
      return null;
    }
    return entry.url;
  }

  return {
    specVersion: 1,
    id,
    displayName: "KakaoTalk chatbot (Open Builder)",
    capabilities: {
      threads: false,
      attachments: false,
      templates: false,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: true,
      html: false,
    },
    handleWebhook,
    send,
    replyWindow(context: ReplyWindowContext, now: Date): ReplyWindow {
      // The longest a skill answer can wait: the callback's minute. Later, another channel answers.
      const last = context.lastInboundAt;
      if (last && now.getTime() - last.getTime() < CALLBACK_TTL_MS)
        return { kind: "open", closesAt: new Date(last.getTime() + CALLBACK_TTL_MS) };
      return {
        kind: "template_only",
        closedAt: last ? new Date(last.getTime() + CALLBACK_TTL_MS) : null,
        reason:
          "A Kakao skill answers only within its request or its one-minute callback; reply through consultation talk (상담톡)",
      };
    },
    takeInline(token) {
      const payload = inline.get(token) ?? null;
      inline.delete(token);
      return payload;
    },
    callbackFor: liveCallback,
    dropCallback(userKey) {
      callbacks.delete(userKey);
    },
  };
}
