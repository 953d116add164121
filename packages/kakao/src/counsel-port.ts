/**
 * Consultation talk (상담톡): Kakao offers it only through authorised dealers, each with its own
 * API. This small port is what storedesk needs from one; `kakaoCounselChannel` makes any dealer
 * a channel whose reply window is the 30-day session from the customer's last message.
 */
import type {
  ChannelAdapter,
  Identity,
  InboundEventInput,
  OutboundMessage,
  ReplyWindow,
  ReplyWindowContext,
  SendReceipt,
} from "@storedesk/core";
import { errorResponse, jsonResponse, StoredeskError } from "@storedesk/core";
import { koreanPhoneIdentity } from "./phone.js";

/** What a dealer's webhook says. */
export type CounselWebhookEvent =
  | {
      type: "message";
      /** The Kakao channel user key (the same key Open Builder calls plusfriendUserKey). */
      userKey: string;
      sessionId: string;
      /** The dealer's id of the message; stable across redeliveries. */
      messageId: string;
      at: Date;
      text: string;
      attachments: Array<{ kind: "image" | "file"; url: string; name?: string | null; size?: number | null }>;
      /** A phone number when the dealer passes one (consented profile), any Korean form. */
      phone?: string | null;
    }
  | { type: "session_end"; userKey: string; sessionId: string; at: Date; reason: string | null };

/** One message to send in a session. */
export interface CounselOutbound {
  userKey: string;
  sessionId: string;
  /** Our id of the message (safe retries: the dealer dedupes on it). */
  messageKey: string;
  kind: "text" | "image" | "file";
  text?: string;
  url?: string;
  filename?: string | null;
}

/**
 * A consultation-talk dealer. Implementations verify their own webhook signature and map their
 * failures to StoredeskError codes (RATE_LIMITED, PROVIDER_UNAVAILABLE, PROVIDER_AUTH, PROVIDER_ERROR).
 */
export interface CounselDealer {
  readonly specVersion: 1;
  readonly name: string;
  /** Verifies (SIGNATURE_INVALID) and parses (INVALID_INPUT) one webhook request. */
  parseWebhook(request: Request): Promise<CounselWebhookEvent[]>;
  /** Sends one text, image or file; returns the dealer's id of it. */
  send(message: CounselOutbound): Promise<{ id: string }>;
  /** Ends the session (the customer sees the consultation closed). */
  endSession(session: { userKey: string; sessionId: string }): Promise<void>;
}

/** The consultation session: 30 days from the customer's last message. */
export const COUNSEL_SESSION_MS = 30 * 24 * 3600_000;

/** The counsel channel: a ChannelAdapter plus session end. */
export interface KakaoCounselChannel extends ChannelAdapter {
  /** Ends the ticket's consultation session at the dealer. */
  endSession(message: Pick<OutboundMessage, "ticket" | "customer" | "thread">): Promise<void>;
}

/** The session a reply belongs to: the latest inbound message's. */
function sessionOf(message: Pick<OutboundMessage, "ticket" | "customer" | "thread">): {
  userKey: string;
  sessionId: string;
} {
  const userKey = /^counsel:(.+)$/.exec(message.ticket.conversationKey ?? "")?.[1];
  const inbound = [...message.thread]
    .reverse()
    .find((m) => m.direction === "inbound" && (m.externalId ?? "").startsWith("counsel:"));
  const sessionId = inbound ? inbound.externalId!.split(":")[1] : undefined;
  if (!userKey || !sessionId)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "This ticket has no consultation session",
      path: ["ticket", "conversationKey"],
    });
  return { userKey, sessionId };
}

/**
 * Makes a consultation-talk channel on a dealer.
 *
 * @example
 * const counsel = kakaoCounselChannel({ dealer: referenceCounselDealer({ baseUrl, apiKey, senderKey, webhookSecret }) });
 * app.post("/webhooks/kakao-counsel", (c) => desk.webhook("kakao_counsel")(c.req.raw));
 */
export function kakaoCounselChannel(options: { dealer: CounselDealer; id?: string }): KakaoCounselChannel {
  const id = options.id ?? "kakao_counsel";
  const { dealer } = options;

  async function handleWebhook(request: Request) {
    try {
      const parsed = await dealer.parseWebhook(request);
      const events: InboundEventInput[] = [];
      for (const e of parsed) {
        if (e.type !== "message") continue; // a session end closes nothing of ours: the ticket stays
        const identities: Identity[] = [{ kind: "kakao", value: `plusfriend:${e.userKey}` }];
        const phone = koreanPhoneIdentity(e.phone);
        if (phone) identities.push(phone);
        events.push({
          type: "message",
          channel: id,
          externalId: `counsel:${e.sessionId}:${e.messageId}`,
          occurredAt: e.at,
          from: { identities, name: null, locale: "ko" },
          text: e.text,
          attachments: e.attachments.map((a) => ({
            contentType: a.kind === "image" ? "image/*" : "application/octet-stream",
            url: a.url,
            filename: a.name ?? null,
            size: a.size ?? null,
          })),
          conversationKey: `counsel:${e.userKey}`,
          meta: { kakao: { kind: "counsel", sessionId: e.sessionId, dealer: dealer.name } },
        });
      }
      return { response: jsonResponse({ code: "0000" }), events };
    } catch (err) {
      return { response: errorResponse(err), events: [] };
    }
  }

  async function send(message: OutboundMessage): Promise<SendReceipt> {
    const session = sessionOf(message);
    const parts: CounselOutbound[] = [];
    if (message.text.trim() !== "")
      parts.push({ ...session, messageKey: message.messageId, kind: "text", text: message.text });
    for (const [i, a] of (message.attachments ?? []).entries()) {
      if (!a.url)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "Consultation talk sends attachments by URL",
          path: ["attachments", i, "url"],
        });
      parts.push({
        ...session,
        messageKey: `${message.messageId}:${i}`,
        kind: a.contentType.startsWith("image/") ? "image" : "file",
        url: a.url,
        filename: a.filename,
      });
    }
    if (parts.length === 0)
      throw new StoredeskError({ code: "INVALID_INPUT", message: "Nothing to send", path: ["text"] });
    const ids: string[] = [];
    for (const part of parts) ids.push((await dealer.send(part)).id);
    return {
      externalId: ids[0]!,
      status: "sent",
      meta: { kakao: { sessionId: session.sessionId, dealerIds: ids } },
    };
  }

  return {
    specVersion: 1,
    id,
    displayName: "KakaoTalk consultation talk (상담톡)",
    capabilities: {
      threads: false,
      attachments: true,
      templates: false,
      publicReplies: false,
      deliveryReceipts: false,
      replyWindow: true,
      html: false,
    },
    handleWebhook,
    send,
    replyWindow(context: ReplyWindowContext, now: Date): ReplyWindow {
      const last = context.lastInboundAt;
      const closesAt = last ? new Date(last.getTime() + COUNSEL_SESSION_MS) : null;
      if (closesAt && now < closesAt) return { kind: "open", closesAt };
      return {
        kind: "template_only",
        closedAt: closesAt,
        reason: "The consultation session ends 30 days after the customer's last message; send an AlimTalk template",
      };
    },
    endSession: (message) => dealer.endSession(sessionOf(message)),
  };
}
