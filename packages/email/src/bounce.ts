/**
 * Delivery Status Notifications (RFC 3464): a `multipart/report;
 * report-type=delivery-status` message a mail server sends back when a message
 * the shop sent could not be delivered. It becomes a delivery event for the
 * original outbound message, never a new ticket.
 */
import { simpleParser } from "mailparser";
import type { ParsedMail } from "mailparser";
import { normalizeMessageId } from "./threading.js";

/** What a DSN says about the first recipient it reports on. */
export interface BounceReport {
  /** Message-ID (without brackets) of the message that bounced, from the embedded message or headers. */
  originalMessageId: string | null;
  /** RFC 3464 action: `failed`, `delayed`, `delivered`, `relayed` or `expanded`. */
  action: string | null;
  /** Enhanced status code, e.g. `5.1.1`. */
  status: string | null;
  /** The remote server's diagnostic text. */
  diagnostic: string | null;
  /** The recipient the report is about. */
  recipient: string | null;
}

/** True for a `multipart/report` with `report-type=delivery-status`. */
export function isDeliveryStatusReport(mail: ParsedMail): boolean {
  const ct = mail.headers.get("content-type") as { value?: string; params?: Record<string, string> } | undefined;
  return (
    ct?.value?.toLowerCase() === "multipart/report" &&
    (ct.params?.["report-type"] ?? "").toLowerCase() === "delivery-status"
  );
}

/**
 * Reads the blocks of `name: value` fields of a message/delivery-status body
 * (one per-message block, then one per recipient). Hand-written: the format is
 * header blocks separated by blank lines and no maintained parser exists for it.
 */
export function parseDeliveryStatusFields(body: string): Array<Record<string, string>> {
  const blocks: Array<Record<string, string>> = [];
  for (const chunk of body.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    let last: string | null = null;
    for (const line of chunk.split("\n")) {
      if (/^[ \t]/.test(line) && last) {
        fields[last] = `${fields[last]} ${line.trim()}`;
        continue;
      }
      const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields[last] = m[2]!.trim();
    }
    if (Object.keys(fields).length > 0) blocks.push(fields);
  }
  return blocks;
}

const stripType = (value: string | undefined) => (value ? value.replace(/^[a-z0-9-]+\s*;\s*/i, "").trim() : null);

/**
 * Reads a DSN: the failure it reports and the Message-ID of the bounced
 * message (from the embedded `message/rfc822` or `text/rfc822-headers` part).
 * Returns null when `mail` is not a delivery status report.
 *
 * Parse `mail` with mailparser's `keepDeliveryStatus: true`, so the status part is kept as an attachment.
 */
export async function readBounce(mail: ParsedMail): Promise<BounceReport | null> {
  if (!isDeliveryStatusReport(mail)) return null;
  const type = (a: { contentType: string }) => a.contentType.toLowerCase();
  const statusPart = mail.attachments.find(
    (a) => type(a) === "message/delivery-status" || type(a) === "message/global-delivery-status",
  );
  const original = mail.attachments.find((a) =>
    ["message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers"].includes(type(a)),
  );

  const blocks = statusPart ? parseDeliveryStatusFields(statusPart.content.toString("utf8")) : [];
  const recipient = blocks.find((b) => b.action !== undefined || b["final-recipient"] !== undefined) ?? {};

  let originalMessageId: string | null = null;
  if (original) {
    // mailparser reads a headers-only part as well as a whole message.
    const embedded = await simpleParser(original.content, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
    });
    originalMessageId = normalizeMessageId(embedded.messageId);
  }
  return {
    originalMessageId,
    action: recipient.action?.toLowerCase() ?? null,
    status: recipient.status ?? null,
    diagnostic: stripType(recipient["diagnostic-code"]),
    recipient: stripType(recipient["final-recipient"] ?? recipient["original-recipient"]),
  };
}
