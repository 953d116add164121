/**
 * AlimTalk (알림톡) as an outbound channel for the desk's notices (`desk.sendToCustomer` with
 * channel `alimtalk`): only approved templates leave, to the customer's phone, and a text
 * message (SMS up to 90 bytes, else LMS) goes instead when AlimTalk cannot reach them.
 */
import type { ChannelAdapter, OutboundMessage, ReplyWindow, SendReceipt } from "@storedesk/core";
import { jsonResponse, StoredeskError } from "@storedesk/core";
import type { AlimTalkProvider } from "./alimtalk-provider.js";
import type { AlimTalkTemplates, RenderedAlimTalk } from "./alimtalk-templates.js";
import { nationalNumber } from "./phone.js";

/** Options of {@link alimTalkChannel}. */
export interface AlimTalkChannelOptions {
  provider: AlimTalkProvider;
  templates: AlimTalkTemplates;
  /** Send SMS/LMS when AlimTalk cannot be delivered. Default true. */
  textFallback?: boolean;
  /** Channel id. Default `alimtalk`. */
  id?: string;
}

/** Bytes of a text as Korean carriers count them (EUC-KR: Hangul and other non-ASCII 2 bytes). */
export function eucKrBytes(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return n;
}

/** The fallback text: the AlimTalk body plus its link buttons (SMS has no buttons). */
export function fallbackText(rendered: RenderedAlimTalk): { text: string; kind: "SMS" | "LMS" } {
  const links = rendered.buttons.filter((b) => b.urlMobile).map((b) => `${b.name}: ${b.urlMobile}`);
  const text = [rendered.text, ...links].join("\n");
  return { text, kind: eucKrBytes(text) <= 90 ? "SMS" : "LMS" };
}

/**
 * Makes the AlimTalk channel. It takes no inbound messages (AlimTalk is one-way); customers
 * answer on KakaoTalk chat or consultation talk.
 *
 * @example
 * const alimtalk = alimTalkChannel({ provider: lunasoftAlimTalkProvider({ agentKey, senderKey, callback }), templates });
 * await desk.sendToCustomer(customerId, { channel: "alimtalk", reason: "shipping", text: "출고 안내",
 *   template: { name: "SHIP_01", language: "ko", parameters: { name: "김민수", order: "1042", tracking: "5312345678" } } });
 */
export function alimTalkChannel(options: AlimTalkChannelOptions): ChannelAdapter {
  const id = options.id ?? "alimtalk";
  const textFallback = options.textFallback ?? true;

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    if (!message.template) {
      throw new StoredeskError({
        code: "REPLY_WINDOW_CLOSED",
        message: "AlimTalk sends approved templates only",
        details: { channel: id },
      });
    }
    const rendered = options.templates.render(message.template.name, message.template.parameters ?? {});
    const phone = message.customer.identities.find((i) => i.kind === "phone")?.value;
    if (!phone || !phone.startsWith("+82")) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "AlimTalk needs the customer's Korean phone number",
        path: ["customer", "identities"],
      });
    }
    const to = nationalNumber(phone);
    try {
      const { id: providerId } = await options.provider.sendAlimTalk({
        messageKey: message.messageId,
        to,
        templateCode: rendered.code,
        text: rendered.text,
        buttons: rendered.buttons,
      });
      return {
        externalId: `alimtalk:${providerId}`,
        status: "sent",
        meta: { alimtalk: { template: rendered.code, text: rendered.text } },
      };
    } catch (err) {
      if (!textFallback || !(StoredeskError.is(err) && err.details?.fallback === true)) throw err;
      const { text, kind } = fallbackText(rendered);
      const { id: providerId } = await options.provider.sendText({
        messageKey: `${message.messageId}:t`,
        to,
        text,
        kind,
      });
      return {
        externalId: `text:${providerId}`,
        status: "sent",
        meta: {
          alimtalk: { template: rendered.code, fallback: kind, reason: err.details?.providerCode ?? null },
        },
      };
    }
  }

  return {
    specVersion: 1,
    id,
    displayName: "KakaoTalk AlimTalk (알림톡)",
    capabilities: {
      threads: false,
      attachments: false,
      templates: true,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: true,
      html: false,
    },
    async handleWebhook() {
      // Nothing comes in on AlimTalk (customers answer on chat): 405, a client error, no events.
      const refusal = new StoredeskError({
        code: "UNSUPPORTED",
        message: "AlimTalk takes no inbound messages",
      });
      return { response: jsonResponse({ error: refusal.toJSON() }, 405), events: [] };
    },
    send,
    replyWindow(): ReplyWindow {
      // Never free text: every AlimTalk is an approved template.
      return { kind: "template_only", closedAt: null, reason: "AlimTalk sends approved templates only" };
    },
  };
}
