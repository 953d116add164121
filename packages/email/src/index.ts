/**
 * @storedesk/email: the email channel of storedesk. Inbound raw MIME (by HTTP
 * webhook or an SMTP listener) parsed with mailparser, quoted history split
 * off, auto-replies and bounces recognized, threading hints computed; outbound
 * mail through nodemailer with stable Message-IDs and threading headers.
 *
 * @packageDocumentation
 */
import { createTransport } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { StoredeskError, systemClock } from "@storedesk/core";
import type { ChannelAdapter, Clock, InboundEventInput } from "@storedesk/core";
import { emailToEvents } from "./inbound.js";
import { sendEmail } from "./send.js";
import type { MailTransport, OutboundEmailSettings } from "./send.js";
import { handleEmailWebhook } from "./webhook.js";

/** Options of {@link emailChannel}. */
export interface EmailChannelOptions {
  /** Channel id; default `email`. */
  id?: string;
  /** The shop's support address and display name; outbound mail is sent from it. */
  from: OutboundEmailSettings["from"];
  /** A ready nodemailer transport (or anything with `sendMail`). Takes precedence over `smtp`. */
  transport?: MailTransport;
  /** SMTP settings for nodemailer's `createTransport` (host, port, secure, auth…), or an `smtp://` URL. */
  smtp?: SMTPTransport.Options | string;
  /** Shared secret of the raw-MIME webhook (`X-Storedesk-Signature`). Without it the webhook refuses every post. */
  webhookSecret?: string;
  /** Reply-To of outbound mail: `"plus-address"` (`support+SD-<n>@…`), an address, or none. */
  replyTo?: OutboundEmailSettings["replyTo"];
  /** Domain of generated Message-IDs; default the domain of `from.address`. */
  messageIdDomain?: string;
  /** How long after the last activity a subject still threads onto an open ticket; default 7 days. */
  threadWindowMs?: number;
  /** Attachments up to this size travel inline (base64) on the event; default 5 MiB. */
  maxInlineAttachmentBytes?: number;
  /** Largest raw message accepted by the webhook; default 25 MiB. */
  maxMessageBytes?: number;
  /** Time for mail without a valid Date header; default the system clock. */
  clock?: Clock;
}

/** The email channel: a {@link ChannelAdapter} plus the raw-MIME parser the SMTP listener uses. */
export interface EmailChannel extends ChannelAdapter {
  /**
   * Parses one raw message into inbound events (a message, a delivery failure
   * for a bounce, or none). Throws INVALID_INPUT for input that is not a mail.
   */
  parse(raw: Uint8Array | string, options?: { envelopeRecipients?: readonly string[] }): Promise<InboundEventInput[]>;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Creates the email channel.
 *
 * @example
 * const email = emailChannel({
 *   from: { address: "support@shop.example", name: "Shop 고객센터" },
 *   smtp: { host: "smtp.example.com", port: 587, auth: { user, pass } },
 *   webhookSecret: process.env.EMAIL_WEBHOOK_SECRET,
 *   replyTo: "plus-address",
 * });
 * const desk = createDesk({ store: memoryStore(), channels: [email] });
 * app.post("/webhooks/email", (c) => desk.webhook("email")(c.req.raw));
 */
export function emailChannel(options: EmailChannelOptions): EmailChannel {
  if (!EMAIL.test(options.from?.address ?? "")) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "emailChannel: from.address must be an email address",
      path: ["from", "address"],
    });
  }
  if (
    options.threadWindowMs !== undefined &&
    !(Number.isInteger(options.threadWindowMs) && options.threadWindowMs > 0)
  ) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "emailChannel: threadWindowMs must be a positive integer",
      path: ["threadWindowMs"],
    });
  }
  const id = options.id ?? "email";
  const clock = options.clock ?? systemClock();
  const transport: MailTransport | null = options.transport ?? (options.smtp ? createTransport(options.smtp) : null);
  const settings: OutboundEmailSettings = {
    from: options.from,
    replyTo: options.replyTo ?? null,
    ...(options.messageIdDomain ? { messageIdDomain: options.messageIdDomain } : {}),
  };

  const parse: EmailChannel["parse"] = (raw, parseOptions) =>
    emailToEvents(raw, {
      channel: id,
      now: () => clock.now(),
      ...(options.threadWindowMs !== undefined ? { threadWindowMs: options.threadWindowMs } : {}),
      ...(options.maxInlineAttachmentBytes !== undefined
        ? { maxInlineAttachmentBytes: options.maxInlineAttachmentBytes }
        : {}),
      ...(parseOptions?.envelopeRecipients ? { envelopeRecipients: parseOptions.envelopeRecipients } : {}),
    });

  return {
    specVersion: 1,
    id,
    displayName: "Email",
    capabilities: {
      threads: true,
      attachments: true,
      templates: false,
      publicReplies: false,
      // Bounces (DSNs) arrive as delivery failures.
      deliveryReceipts: true,
      replyWindow: false,
      html: true,
    },
    parse,
    handleWebhook(request) {
      if (!options.webhookSecret) {
        return Promise.resolve({
          response: new Response(
            JSON.stringify({ error: { code: "SIGNATURE_INVALID", message: "Email webhook is not configured" } }),
            { status: 401, headers: { "content-type": "application/json" } },
          ),
          events: [],
        });
      }
      return handleEmailWebhook(request, {
        secret: options.webhookSecret,
        toEvents: (raw) => parse(raw),
        ...(options.maxMessageBytes !== undefined ? { maxBytes: options.maxMessageBytes } : {}),
      });
    },
    async send(message) {
      if (!transport)
        throw new StoredeskError({
          code: "UNSUPPORTED",
          message: "emailChannel: no transport or smtp settings configured for sending",
        });
      return sendEmail(transport, message, settings);
    },
  };
}

export type { MailTransport, OutboundEmailSettings } from "./send.js";
export { buildMail, messageIdFor, sendEmail, subjectWithToken, textToHtml } from "./send.js";
export { smtpError } from "./errors.js";
export type { InboundEmailOptions } from "./inbound.js";
export { EMAIL_LIMITS, emailToEvents, externalIdOf, parseMime } from "./inbound.js";
export type { QuoteSplit } from "./quote-split.js";
export { splitQuotedReply } from "./quote-split.js";
export type { AutoReplyVerdict, HeaderLookup } from "./auto-reply.js";
export { detectAutoReply } from "./auto-reply.js";
export type { BounceReport } from "./bounce.js";
export { isDeliveryStatusReport, parseDeliveryStatusFields, readBounce } from "./bounce.js";
export type { ThreadingHints, ThreadingInput } from "./threading.js";
export {
  DEFAULT_THREAD_WINDOW_MS,
  normalizeMessageId,
  normalizeSubject,
  parseMessageIdList,
  plusAddress,
  replyToIds,
  threadingHints,
  ticketNumberFromAddress,
  ticketNumberFromSubject,
} from "./threading.js";
export type { EmailSmtpListener, EmailSmtpListenerOptions } from "./smtp-listener.js";
export { emailSmtpListener, isAcceptedRecipient } from "./smtp-listener.js";
export type { EmailWebhookOptions } from "./webhook.js";
export { EMAIL_SIGNATURE_HEADER, handleEmailWebhook } from "./webhook.js";
export type { AcknowledgementInput, RenderedAcknowledgement } from "./acknowledgement.js";
export { emailAcknowledgementTemplate, renderAcknowledgement } from "./acknowledgement.js";
export { decodeIso2022Kr } from "./iso-2022-kr.js";
