/**
 * The AlimTalk provider port (a Kakao bizmessage dealer) and one reference provider following
 * Lunasoft's published "카카오 비즈메시지 알림톡 API v1.0.0" (github.com/lunasoft-org/kakao-bzm,
 * alimtalk-api.md, 2022-10; fallback codes from failover-textmessage.md, 2024-09).
 */
import ky from "ky";
import type { AlimTalkButton } from "./alimtalk-templates.js";
import { lunasoftResultError } from "./errors.js";
import { postToDealer, type DealerResult } from "./send.js";

/** One AlimTalk to send. */
export interface AlimTalkSend {
  /** Our id of the message; the provider dedupes on it (`message_key`). */
  messageKey: string;
  /** National number, e.g. `01012345678`. */
  to: string;
  templateCode: string;
  text: string;
  buttons: AlimTalkButton[];
}

/** One SMS or LMS (the fallback when AlimTalk cannot be delivered). */
export interface TextSend {
  messageKey: string;
  to: string;
  text: string;
  kind: "SMS" | "LMS";
}

/**
 * A provider. `sendAlimTalk` throws NOT_DELIVERABLE-type failures as PROVIDER_ERROR with
 * `details.fallback: true` when a text message may reach the customer instead (not a KakaoTalk
 * user, not active, blocked); then the channel sends `sendText`.
 */
export interface AlimTalkProvider {
  readonly specVersion: 1;
  readonly name: string;
  sendAlimTalk(message: AlimTalkSend): Promise<{ id: string }>;
  sendText(message: TextSend): Promise<{ id: string }>;
}

/** Options of {@link lunasoftAlimTalkProvider}. */
export interface LunasoftProviderOptions {
  /** The AgentKey Lunasoft issues (sent as the `agentKey` header; never logged). */
  agentKey: string;
  /** The Kakao channel's sender profile key. */
  senderKey: string;
  /** The shop's registered calling number for SMS/LMS. */
  callback: string;
  /** Default `https://kakao-bizmessage.lunasoft.co.kr`. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * The reference provider: real-time `POST /api/v3/alimtalk/send`. The SMS/LMS call uses
 * `POST /api/v3/sms/send` with the same header: Lunasoft documents the fallback's result codes
 * but the text API's path was not in the public documents, so that path is an assumption.
 *
 * @example
 * const provider = lunasoftAlimTalkProvider({ agentKey, senderKey, callback: "0212345678" });
 */
export function lunasoftAlimTalkProvider(options: LunasoftProviderOptions): AlimTalkProvider {
  const http = ky.create({
    prefixUrl: options.baseUrl ?? "https://kakao-bizmessage.lunasoft.co.kr",
    fetch: options.fetch ?? globalThis.fetch,
    retry: 0,
    throwHttpErrors: false,
    timeout: 100_000,
  });

  async function call(path: string, json: Record<string, unknown>, success: string): Promise<DealerResult> {
    const result = await postToDealer(http, {
      provider: "lunasoft",
      path,
      json,
      headers: { agentKey: options.agentKey },
    });
    if (result.code !== success) throw lunasoftResultError(result.code);
    return result;
  }

  return {
    specVersion: 1,
    name: "lunasoft",
    async sendAlimTalk(m) {
      const buttons = m.buttons.map((b) => ({
        name: b.name,
        type: b.type,
        ...(b.urlMobile ? { url_mobile: b.urlMobile } : {}),
        ...(b.urlPc ? { url_pc: b.urlPc } : {}),
      }));
      const r = await call(
        "api/v3/alimtalk/send",
        {
          message_type: "AT",
          message_key: m.messageKey.slice(0, 30),
          sender_key: options.senderKey,
          country_code: "82",
          recipient_number: m.to,
          template_code: m.templateCode,
          message: m.text,
          ...(buttons.length ? { attachment: { button: buttons } } : {}),
        },
        "0000",
      );
      return { id: r.message_key ?? m.messageKey };
    },
    async sendText(m) {
      const r = await call(
        "api/v3/sms/send",
        {
          message_type: m.kind,
          message_key: m.messageKey.slice(0, 27),
          callback: options.callback,
          recipient_number: m.to,
          message: m.text,
        },
        "0000",
      );
      return { id: r.message_key ?? m.messageKey };
    },
  };
}
