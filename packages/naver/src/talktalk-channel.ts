/**
 * Naver TalkTalk (톡톡) as a channel: webhook events in, the send API out, typing actions,
 * and answers that ride inside the webhook's HTTP response (see `talkTalkWebhook`).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import ky from "ky";
import type { ChannelAdapter, Clock, InboundEventInput, OutboundMessage, SendReceipt } from "@storedesk/core";
import { bodyDedupeIds, errorResponse, parseJson, readRawBody, StoredeskError, systemClock } from "@storedesk/core";
import { TalkEventSchema, TalkUnknownEventSchema } from "./schemas.js";
import {
  talkTalkFollowUpImage,
  talkTalkPartialSend,
  talkTalkPayload,
  talkTalkRecipient,
  talkTalkSender,
} from "./send.js";

/** Options of {@link naverTalkTalkChannel}. */
export interface NaverTalkTalkChannelOptions {
  /** The partner's send-API key from the partner center (sent as `Authorization`, never logged). */
  authorization: string;
  /**
   * TalkTalk signs no webhook, so the URL registered in the partner center carries a secret:
   * `https://shop.example/webhooks/talktalk?token=<webhookToken>`. Requests without it get 401.
   */
  webhookToken: string;
  /** Guardian consent recorded for an under-14 user (개인정보보호법 제22조의2). Default: none. */
  guardianConsent?: (user: string) => boolean | Promise<boolean>;
  /** Default `https://gw.talk.naver.com/chatbot/v1/event`. */
  endpoint?: string;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Channel id. Default `naver_talk`. */
  id?: string;
}

/** Facts of a user's last `open` event (kept in memory, bounded). */
export interface TalkUserFacts {
  inflow: string | null;
  referer: string | null;
  from: string | null;
  friend: boolean | null;
  under14: boolean | null;
  under19: boolean | null;
}

/** The TalkTalk channel: a ChannelAdapter plus typing and inline answers. */
export interface NaverTalkTalkChannel extends ChannelAdapter {
  /** Shows or hides "typing…" for the user (`action` event: typingOn / typingOff). */
  typing(user: string, on: boolean): Promise<void>;
  /** What the last `open` event said about a user, if this process saw it. */
  userFacts(user: string): TalkUserFacts | null;
  /** The payload an inline `send` parked under `token` (taken once), for the webhook's HTTP answer. */
  takeInline(token: string): Record<string, unknown> | null;
}

/** The customer identity of a TalkTalk user. */
export function talkTalkIdentity(user: string): { kind: "naver"; value: string } {
  return { kind: "naver", value: `talktalk:${user}` };
}

const MAX_USERS = 10_000;
/** A user of whom no `open` was seen. */
const NO_FACTS: TalkUserFacts = { inflow: null, referer: null, from: null, friend: null, under14: null, under19: null };
/** Two identical events within this window of the first are one message (TalkTalk sends no message id). */
const DEDUPE_WINDOW_MS = 5_000;
const PHONE = /(?:\+?82[-\s]?|0)1[016789][-\s]?\d{3,4}[-\s]?\d{4}/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Makes the TalkTalk channel.
 *
 * @example
 * const talk = naverTalkTalkChannel({ authorization: process.env.TALKTALK_KEY!, webhookToken: process.env.TALKTALK_HOOK!, guardianConsent });
 * app.post("/webhooks/talktalk", (c) => talkTalkWebhook({ desk, channel: talk, answer })(c.req.raw));
 */
export function naverTalkTalkChannel(options: NaverTalkTalkChannelOptions): NaverTalkTalkChannel {
  const id = options.id ?? "naver_talk";
  const clock = options.clock ?? systemClock();
  const bodyId = bodyDedupeIds({ clock, windowMs: DEDUPE_WINDOW_MS });
  const users = new Map<string, TalkUserFacts>();
  const inline = new Map<string, Record<string, unknown>>();
  const http = ky.create({
    fetch: options.fetch ?? globalThis.fetch,
    retry: 0,
    throwHttpErrors: false,
    timeout: 10_000,
  });
  const endpoint = options.endpoint ?? "https://gw.talk.naver.com/chatbot/v1/event";
  const scrub = [options.authorization, options.webhookToken];

  function remember(user: string, facts: TalkUserFacts): void {
    users.delete(user);
    users.set(user, facts);
    if (users.size > MAX_USERS) users.delete(users.keys().next().value!);
  }

  function tokenMatches(given: string | null): boolean {
    if (!given) return false;
    const a = createHash("sha256").update(given).digest();
    const b = createHash("sha256").update(options.webhookToken).digest();
    return timingSafeEqual(a, b);
  }

  async function handleWebhook(request: Request) {
    try {
      if (!tokenMatches(new URL(request.url).searchParams.get("token"))) {
        throw new StoredeskError({
          code: "SIGNATURE_INVALID",
          message: "TalkTalk webhook token missing or wrong",
        });
      }
      const raw = await readRawBody(request, 1024 * 1024);
      const body = parseJson(raw);
      const parsed = TalkEventSchema.safeParse(body);
      if (!parsed.success) {
        // An event newer than this adapter: acknowledged so TalkTalk logs no failure; nothing recorded.
        if (TalkUnknownEventSchema.safeParse(body).success)
          return { response: new Response(null, { status: 200 }), events: [] };
        throw new StoredeskError({ code: "INVALID_INPUT", message: "Not a TalkTalk event" });
      }
      const event = parsed.data;
      const events: InboundEventInput[] = [];
      if (event.event === "open") {
        const o = event.options;
        remember(event.user, {
          inflow: o.inflow ?? null,
          referer: o.referer ?? null,
          from: o.from ?? null,
          friend: o.friend ?? null,
          under14: o.under14 ?? null,
          under19: o.under19 ?? null,
        });
      } else if (event.event === "friend" && event.user) {
        // Keep the friend flag current for the next message's meta, even when this process never
        // saw the user's open (a restart, another instance): the other facts stay unknown.
        const set = (event.options as { set?: unknown } | undefined)?.set;
        const known = users.get(event.user) ?? NO_FACTS;
        if (set === "on" || set === "off") remember(event.user, { ...known, friend: set === "on" });
      } else if (event.event === "send" && "user" in event && event.user) {
        events.push(await messageEvent(event, raw));
      } else if (event.event === "echo") {
        const echo = partnerEcho(event, raw);
        if (echo) events.push(echo);
      }
      // leave / friend / action / handover: acknowledged. An echo of the chatbot's own send (the
      // desk's message) is on record already; a partner-center agent's message becomes an echo event.
      return { response: new Response(null, { status: 200 }), events };
    } catch (err) {
      return { response: errorResponse(err), events: [] };
    }
  }

  type SendEvent = {
    user: string;
    textContent?: { text: string; code?: string | null };
    imageContent?: { imageUrl: string };
    compositeContent?: unknown;
    standby?: boolean;
  };

  type EchoEvent = {
    user: string;
    echoedEvent?: string;
    textContent?: { text: string };
    imageContent?: { imageUrl: string };
    options: { sourceId?: number | string; managerNickname?: string };
  };

  /**
   * A message an agent typed in the partner center (`sourceId` 1), as an echo for the desk to
   * record on the user's ticket; null for the chatbot's own sends and non-message echoes.
   */
  function partnerEcho(event: EchoEvent, raw: string): InboundEventInput | null {
    if (String(event.options.sourceId) !== "1" || (event.echoedEvent && event.echoedEvent !== "send")) return null;
    return {
      type: "echo",
      channel: id,
      externalId: bodyId("talk-echo", `echo\n${event.user}`, raw),
      occurredAt: clock.now(),
      to: { identities: [talkTalkIdentity(event.user)] },
      conversationKey: `talktalk:${event.user}`,
      text: event.textContent?.text ?? (event.imageContent ? "[이미지 / image]" : "[메시지 / message]"),
      attachments: event.imageContent ? [{ contentType: "image/*", url: event.imageContent.imageUrl }] : [],
      author: { name: event.options.managerNickname ?? null },
      meta: { naver: { kind: "talktalk", partnerCenter: true } },
    };
  }

  async function messageEvent(event: SendEvent, raw: string): Promise<InboundEventInput> {
    const facts = users.get(event.user) ?? null;
    const child = facts?.under14 === true && !(await options.guardianConsent?.(event.user));
    const externalId = bodyId("talk", event.user, raw);
    let text = event.textContent?.text ?? (event.imageContent ? "[이미지 / image]" : "[메시지 / message]");
    // Under 14 without a guardian's consent: no name, no contact details, only what the question needs.
    if (child) text = text.replace(PHONE, "[전화번호 삭제]").replace(EMAIL, "[이메일 삭제]");
    return {
      type: "message",
      channel: id,
      externalId,
      occurredAt: clock.now(),
      from: { identities: [talkTalkIdentity(event.user)], name: null, locale: "ko" },
      text,
      attachments: event.imageContent && !child ? [{ contentType: "image/*", url: event.imageContent.imageUrl }] : [],
      conversationKey: `talktalk:${event.user}`,
      meta: {
        naver: {
          kind: "talktalk",
          ...(event.textContent?.code ? { buttonCode: event.textContent.code } : {}),
          ...(event.standby ? { standby: true } : {}),
          ...(facts
            ? {
                inflow: facts.inflow,
                referer: facts.referer,
                from: facts.from,
                friend: facts.friend,
                under19: facts.under19,
              }
            : {}),
          ...(facts?.under14 != null ? { under14: facts.under14, guardianConsent: facts.under14 ? !child : null } : {}),
        },
        ...(facts?.from ? { context: { product: { id: facts.from, url: facts.referer } } } : {}),
      },
    };
  }

  const call = talkTalkSender({ http, endpoint, authorization: options.authorization, secrets: scrub });

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const user = talkTalkRecipient(message);
    const body = talkTalkPayload(message, user);
    const externalId = `talk-out:${message.messageId}`;
    const image = talkTalkFollowUpImage(message, user, body);
    const inlineToken = (message.options as { talktalkInline?: unknown } | undefined)?.talktalkInline;
    // The HTTP response carries one event: a reply that needs two goes through the send API
    // (the webhook then answers empty), so the image is neither dropped nor sent before the text.
    if (typeof inlineToken === "string" && !image) {
      // Answered inside the webhook's HTTP response: TalkTalk ignores `user` and `options` there.
      const { user: _user, options: _options, ...reply } = body;
      inline.set(inlineToken, reply);
      return { externalId, status: "sent", meta: { naver: { inline: true } } };
    }
    await call(body);
    if (!image) return { externalId, status: "sent" };
    // A composite or text with an image is two events, the image second. TalkTalk returns no id,
    // so the message keeps the first event's id and the image's goes beside it in meta; an image
    // that fails after the first event went out fails the message (not retried, no duplicate).
    try {
      await call(image);
    } catch (err) {
      throw talkTalkPartialSend(err, body, image);
    }
    const first = "compositeContent" in body ? "compositeContent" : "textContent";
    return {
      externalId,
      status: "sent",
      meta: {
        naver: {
          events: [
            { externalId, content: first },
            { externalId: `${externalId}:image`, content: "imageContent" },
          ],
        },
      },
    };
  }

  return {
    specVersion: 1,
    id,
    displayName: "Naver TalkTalk",
    capabilities: {
      threads: false,
      attachments: true,
      templates: false,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: false,
      html: false,
    },
    handleWebhook,
    send,
    async typing(user: string, on: boolean) {
      await call({ event: "action", user, options: { action: on ? "typingOn" : "typingOff" } });
    },
    userFacts: (user) => users.get(user) ?? null,
    takeInline(token) {
      const payload = inline.get(token) ?? null;
      inline.delete(token);
      return payload;
    },
  };
}

/** A fresh token for one inline answer. */
export function inlineToken(): string {
  return randomBytes(12).toString("hex");
}
