/**
 * Outbound email through nodemailer. The Message-ID is derived from storedesk's
 * message id, so a retried send carries the same Message-ID (receivers and the
 * desk see one message), and the headers thread the reply onto the customer's
 * conversation in every mail client.
 */
import type Mail from "nodemailer/lib/mailer";
import { StoredeskError } from "@storedesk/core";
import type { OutboundMessage, SendReceipt } from "@storedesk/core";
import { smtpError } from "./errors.js";
import { plusAddress } from "./threading.js";

/** The part of a nodemailer `Transporter` the channel uses; any transport (SMTP, SES, stream) fits. */
export interface MailTransport {
  sendMail(
    mail: Mail.Options,
  ): Promise<{ messageId?: string; response?: string; accepted?: unknown[]; rejected?: unknown[] }>;
}

/** Sender settings of outbound mail. */
export interface OutboundEmailSettings {
  /** The shop's support address and display name, e.g. `{ address: "support@shop.example", name: "Shop 고객센터" }`. */
  from: { address: string; name?: string };
  /**
   * Reply-To: `"plus-address"` for `support+SD-<number>@shop.example` (replies
   * name their ticket even when a client drops the threading headers), an
   * explicit address, or none (default).
   */
  replyTo?: "plus-address" | (string & {}) | null;
  /** Domain of generated Message-IDs; default the domain of `from.address`. */
  messageIdDomain?: string;
}

/** The Message-ID (without brackets) storedesk gives the outbound message `messageId`. */
export function messageIdFor(messageId: string, domain: string): string {
  return `sd.${messageId.replace(/[^A-Za-z0-9._-]/g, "-")}@${domain}`;
}

/** The subject with the ticket token `[#SD-<number>]` appended unless it is already there. */
export function subjectWithToken(subject: string, ticketNumber: number): string {
  const token = `[#SD-${ticketNumber}]`;
  return subject.toUpperCase().includes(token.toUpperCase()) ? subject : `${subject} ${token}`.trim();
}

const looksLikeMessageId = (id: string | null): id is string =>
  typeof id === "string" && /^[^\s<>@]+@[^\s<>@]+$/.test(id);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Plain text as a minimal HTML body, so every mail has both parts. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`);
  return `<!doctype html><html><body>${paragraphs.join("\n")}</body></html>`;
}

/** The nodemailer message for an outbound storedesk message, and its Message-ID. */
export function buildMail(
  message: OutboundMessage,
  settings: OutboundEmailSettings,
): { mail: Mail.Options; messageId: string; inReplyTo: string | null; references: string[] } {
  const to = message.customer.identities.find((i) => i.kind === "email")?.value;
  if (!to)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "The customer has no email address",
      path: ["customer", "identities"],
    });
  const domain = settings.messageIdDomain ?? settings.from.address.slice(settings.from.address.lastIndexOf("@") + 1);
  const messageId = messageIdFor(message.messageId, domain);

  // Thread ids from other channels (WhatsApp wamids, digests of id-less mail) are no Message-IDs.
  const emailIds = message.thread.map((m) => m.externalId).filter(looksLikeMessageId);
  const lastInbound = [...message.thread]
    .reverse()
    .find((m) => m.direction === "inbound" && looksLikeMessageId(m.externalId));
  const inReplyTo = lastInbound?.externalId ?? emailIds.at(-1) ?? null;
  // RFC 5322 lets a long References list be trimmed: keep the first (thread root) and the latest ones.
  const references = emailIds.length > 20 ? [emailIds[0]!, ...emailIds.slice(-19)] : emailIds;

  // "Re:" only on a reply in a thread: a message that starts a conversation (a post-purchase
  // mail) reads as its template's subject, never "Re: …".
  const bare = (subject: string) => subject.replace(/^\s*(?:re|회신|답장)\s*:\s*/i, "");
  const base =
    emailIds.length === 0
      ? bare(message.subject ?? message.ticket.subject ?? "문의 / Your request")
      : (message.subject ??
        (message.ticket.subject ? `Re: ${bare(message.ticket.subject)}` : "Re: 문의 / Your request"));
  const replyTo =
    settings.replyTo === "plus-address"
      ? plusAddress(settings.from.address, message.ticket.number)
      : (settings.replyTo ?? undefined);

  const mail: Mail.Options = {
    from: settings.from.name ? { name: settings.from.name, address: settings.from.address } : settings.from.address,
    to: message.customer.name ? { name: message.customer.name, address: to } : to,
    subject: subjectWithToken(base, message.ticket.number),
    text: message.text,
    html: message.html ?? textToHtml(message.text),
    messageId: `<${messageId}>`,
    ...(inReplyTo ? { inReplyTo: `<${inReplyTo}>` } : {}),
    ...(references.length > 0 ? { references: references.map((id) => `<${id}>`) } : {}),
    ...(replyTo ? { replyTo } : {}),
    // RFC 3834: automatic mail (acknowledgements, updates) says so, so the customer's own robots don't answer it.
    headers: {
      "X-Storedesk-Ticket": `SD-${message.ticket.number}`,
      ...(message.automatic ? { "Auto-Submitted": "auto-replied" } : {}),
    },
    attachments: (message.attachments ?? []).map(mailAttachment),
  };
  return { mail, messageId, inReplyTo, references };
}

/**
 * A file as nodemailer attaches it: inline content, or a URL fetched when the mail is built.
 * A provider's media id alone means nothing to a mail server: INVALID_INPUT rather than a mail
 * sent without the file.
 */
function mailAttachment(a: NonNullable<OutboundMessage["attachments"]>[number]): Mail.Attachment {
  const named = { filename: a.filename ?? undefined, contentType: a.contentType };
  if (a.contentBase64) return { ...named, content: a.contentBase64, encoding: "base64" };
  if (a.url) return { ...named, href: a.url };
  throw new StoredeskError({
    code: "INVALID_INPUT",
    message: "An e-mail attachment needs inline content or a URL",
    path: ["attachments"],
  });
}

/**
 * Sends one outbound message. Safe to retry with the same `messageId`: the
 * Message-ID header, and so the receipt's `externalId`, stay the same.
 */
export async function sendEmail(
  transport: MailTransport,
  message: OutboundMessage,
  settings: OutboundEmailSettings,
): Promise<SendReceipt> {
  const built = buildMail(message, settings);
  try {
    const info = await transport.sendMail(built.mail);
    return {
      externalId: built.messageId,
      status: "sent",
      meta: {
        messageId: built.messageId,
        inReplyTo: built.inReplyTo,
        references: built.references,
        subject: built.mail.subject,
        smtpResponse: info.response ?? null,
      },
    };
  } catch (err) {
    throw smtpError(err);
  }
}
