/**
 * A complete storedesk channel adapter for a storefront contact form, small
 * enough to read in one sitting. The storefront POSTs each form submission as
 * JSON, signed with `X-Storefront-Signature: sha256=<hex HMAC-SHA256 of the raw body>`;
 * replies go back out through a function the shop supplies (its transactional
 * email service, for example). docs/guides/writing-a-channel-adapter.md walks through it.
 */
import { z } from "zod";
import {
  StoredeskError,
  errorResponse,
  jsonResponse,
  parseInput,
  parseJson,
  providerHttpError,
  readRawBytes,
  verifyHmacSignature,
} from "@storedesk/core";
import type { ChannelAdapter, InboundEventInput, OutboundMessage, SendReceipt } from "@storedesk/core";

/** The header the storefront signs its posts with. */
export const SIGNATURE_HEADER = "x-storefront-signature";

/** One form submission as the storefront posts it. */
export const ContactFormSubmissionSchema = z.object({
  /** The storefront's id of the submission; it stays the same when the storefront retries the post. */
  submissionId: z.string().min(1).max(200),
  submittedAt: z.iso.datetime({ offset: true }),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  subject: z.string().trim().max(500).optional(),
  message: z.string().trim().min(1).max(20_000),
  orderNumber: z.string().trim().max(100).optional(),
  /** The storefront's page language, e.g. `ko` or `en`. */
  locale: z.string().min(2).max(35).optional(),
});
/** A parsed form submission. */
export type ContactFormSubmission = z.infer<typeof ContactFormSubmissionSchema>;

/** What {@link ContactFormChannelOptions.sendReply} is asked to deliver. */
export interface ContactFormReply {
  /** storedesk's id of the message: pass it on as an idempotency key so a retried send is not delivered twice. */
  idempotencyKey: string;
  to: { email: string; name: string | null };
  subject: string;
  text: string;
  html: string | null;
  /** `SD-1042`: put it in the subject or footer so the customer can quote it. */
  ticketRef: string;
}

/**
 * The failure `sendReply` should throw when the service it calls answers with
 * an HTTP error: an Error with the `status` (and, for 429, `retryAfterSeconds`).
 * Anything else thrown is treated as a network failure (retryable).
 */
export interface SendReplyError extends Error {
  status: number;
  retryAfterSeconds?: number;
}

/** Options of {@link contactFormChannel}. */
export interface ContactFormChannelOptions {
  /** The shared secret the storefront signs with. Never logged, never in an error. */
  secret: string;
  /** Delivers a reply to the customer and resolves with the service's message id. */
  sendReply: (reply: ContactFormReply) => Promise<{ id: string }>;
  /** Channel id; default `contact-form`. */
  id?: string;
}

function isSendReplyError(err: unknown): err is SendReplyError {
  return typeof err === "object" && err !== null && typeof (err as { status?: unknown }).status === "number";
}

/** Turns a submission into the event the desk ingests. */
function toEvent(channel: string, form: ContactFormSubmission): InboundEventInput {
  const text = form.orderNumber ? `${form.message}\n\nOrder: ${form.orderNumber}` : form.message;
  return {
    type: "message",
    channel,
    // The storefront's own id: stable when it retries, so the desk ingests a retry as a duplicate.
    externalId: `form:${form.submissionId}`,
    occurredAt: form.submittedAt,
    from: { identities: [{ kind: "email", value: form.email }], name: form.name, locale: form.locale ?? null },
    subject: form.subject ?? null,
    text,
    // A form post is a new request each time; it never continues an earlier conversation.
    replyTo: [],
    meta: { orderNumber: form.orderNumber ?? null, submissionId: form.submissionId },
  };
}

/**
 * A channel adapter for a signed storefront contact form.
 *
 * @example
 * const desk = createDesk({
 *   store: memoryStore(),
 *   channels: [contactFormChannel({ secret: process.env.FORM_SECRET!, sendReply: (r) => mailer.send(r) })],
 * });
 * app.post("/webhooks/contact-form", (c) => desk.webhook("contact-form")(c.req.raw));
 */
export function contactFormChannel(options: ContactFormChannelOptions): ChannelAdapter {
  const id = options.id ?? "contact-form";
  if (!options.secret)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "contactFormChannel: secret is required",
      path: ["secret"],
    });

  return {
    specVersion: 1,
    id,
    displayName: "Contact form",
    capabilities: {
      threads: false,
      attachments: false,
      templates: false,
      publicReplies: false,
      deliveryReceipts: false,
      // Replies go out by email, which may be sent at any time: no reply window.
      replyWindow: false,
      html: true,
    },

    async handleWebhook(request) {
      try {
        // 1. The raw body, read once as bytes: the signature covers these exact bytes. Checking it over
        //    decoded text would be wrong: the decoder drops a byte-order mark and turns every invalid
        //    byte into U+FFFD, so a tampered body could pass and a genuine one fail.
        const bytes = await readRawBytes(request, 256 * 1024);
        // 2. The signature before anything else; a forged post learns nothing about the payload rules.
        const valid = verifyHmacSignature({
          rawBody: bytes,
          secret: options.secret,
          signature: request.headers.get(SIGNATURE_HEADER),
          encoding: "hex",
          prefix: "sha256=",
        });
        if (!valid)
          throw new StoredeskError({ code: "SIGNATURE_INVALID", message: "Missing or invalid X-Storefront-Signature" });
        // 3. Decoded only now, then validated with zod (a failure is INVALID_INPUT → 400).
        const rawBody = new TextDecoder("utf-8").decode(bytes);
        const form = parseInput(ContactFormSubmissionSchema, parseJson(rawBody), "contact form submission");
        return { response: jsonResponse({ received: true }), events: [toEvent(id, form)] };
      } catch (err) {
        return { response: errorResponse(err), events: [] };
      }
    },

    async send(message: OutboundMessage): Promise<SendReceipt> {
      const email = message.customer.identities.find((i) => i.kind === "email")?.value;
      if (!email)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "The customer has no email address to reply to",
          path: ["customer", "identities"],
        });
      const ticketRef = `SD-${message.ticket.number}`;
      const subject = message.subject ?? `Re: ${message.ticket.subject ?? "Your message"} [#${ticketRef}]`;
      try {
        const sent = await options.sendReply({
          idempotencyKey: message.messageId,
          to: { email, name: message.customer.name },
          subject,
          text: message.text,
          html: message.html ?? null,
          ticketRef,
        });
        return { externalId: sent.id, status: "sent" };
      } catch (err) {
        // 429 → RATE_LIMITED, 401/403 → PROVIDER_AUTH, 5xx → PROVIDER_UNAVAILABLE, other → PROVIDER_ERROR.
        if (isSendReplyError(err))
          throw providerHttpError("contact-form reply service", err.status, {
            retryAfterSeconds: err.retryAfterSeconds ?? null,
            cause: err,
          });
        throw providerHttpError("contact-form reply service", null, { cause: err });
      }
    },
  };
}
