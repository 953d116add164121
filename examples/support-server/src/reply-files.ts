/**
 * Files an agent attaches to a reply in the inbox: the limits, the JSON shape the reply route
 * reads (`attachments: [{ filename, contentType, data }]`, `data` the file's bytes in base64), and
 * whether a ticket's channel can carry them now. The inbox sends files inline, as the desk's
 * `contentBase64`: e-mail attaches them, WhatsApp uploads them as media, the live chat keeps them
 * on the message (and mails them with the reply when the visitor has left). Messenger and
 * Instagram take files only by a public https link or an uploaded media id, so the inbox cannot
 * send them files; nor can a channel whose adapter declares no `capabilities.attachments` (phone),
 * nor a reply that goes out as a template (a closed WhatsApp window: a template carries no files).
 */
import { z } from "zod";
import { StoredeskError } from "@storedesk/core";
import type { Desk, ReplyAttachment, ReplyWindow, Ticket } from "@storedesk/core";

/** What one reply from the inbox may carry. */
export const REPLY_FILE_LIMITS = {
  /** Files per reply (the desk takes up to 10). */
  maxFiles: 5,
  /** Bytes per file: 3 MiB, 4,194,304 base64 characters (the desk takes at most 5,000,000 inline). */
  maxFileBytes: 3 * 1024 * 1024,
  /** Bytes of all the files of one reply. */
  maxTotalBytes: 10 * 1024 * 1024,
} as const;

/**
 * The largest reply body read at all (413 above it, before parsing): every file at its limit in
 * base64, and room for the text and the JSON around it.
 */
export const MAX_REPLY_BODY_BYTES = Math.ceil(REPLY_FILE_LIMITS.maxTotalBytes / 3) * 4 + 256 * 1024;

/** Channels that take a file sent inline (base64); the others need a link the provider fetches. */
const INLINE_FILE_CHANNELS: ReadonlySet<string> = new Set(["email", "whatsapp", "webchat"]);

/** Why a ticket's reply cannot carry files now, or null when it can. */
export type NoFilesReason = "channel_no_files" | "channel_link_only" | "template_only";

/** Whether and how much a reply on this ticket may carry, for the reply box's file picker. */
export interface ReplyFilesState {
  accepted: boolean;
  reason: NoFilesReason | null;
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

/** Whether the ticket's channel can carry inbox files now, given its reply window. */
export function replyFilesOf(desk: Desk, ticket: Ticket, window: ReplyWindow): ReplyFilesState {
  const adapter = desk.channels.get(ticket.channel);
  const reason: NoFilesReason | null = !adapter?.capabilities.attachments
    ? "channel_no_files"
    : !INLINE_FILE_CHANNELS.has(ticket.channel)
      ? "channel_link_only"
      : window.kind === "template_only"
        ? "template_only"
        : null;
  return { accepted: reason === null, reason, ...REPLY_FILE_LIMITS };
}

/** One file of a reply as the inbox posts it. */
export const ReplyFileSchema = z
  .object({
    filename: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .regex(/^[^/\\\p{Cc}]+$/u, "a file name without slashes or control characters"),
    contentType: z
      .string()
      .trim()
      .toLowerCase()
      .max(200)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, "a MIME type such as image/png"),
    data: z
      .string()
      .min(1, "an empty file")
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64 without line breaks")
      .refine((s) => s.length % 4 === 0, "padded base64"),
  })
  .strict();
/** A file of a reply, checked. */
export type ReplyFile = z.infer<typeof ReplyFileSchema>;

/** Bytes of a padded base64 string. */
function bytesOf(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

function tooLarge(message: string, details: Record<string, unknown>): StoredeskError {
  // INVALID_INPUT with `tooLarge`: the desk's errorResponse answers 413.
  return new StoredeskError({
    code: "INVALID_INPUT",
    message,
    path: ["attachments"],
    details: { tooLarge: true, ...details },
  });
}

/**
 * The reply's files as the desk's attachments, or a 413 error over a limit (too many files, one
 * too large, all together too large), before anything is written.
 */
export function toReplyAttachments(files: ReplyFile[]): ReplyAttachment[] {
  const { maxFiles, maxFileBytes, maxTotalBytes } = REPLY_FILE_LIMITS;
  if (files.length > maxFiles)
    throw tooLarge(`A reply carries at most ${maxFiles} files (got ${files.length})`, {
      limit: "files",
      maxFiles,
      count: files.length,
    });
  let total = 0;
  const attachments = files.map((f, i) => {
    const size = bytesOf(f.data);
    if (size > maxFileBytes)
      throw tooLarge(`"${f.filename}" is ${size} bytes: at most ${maxFileBytes} per file`, {
        limit: "file_bytes",
        maxFileBytes,
        size,
        filename: f.filename,
        index: i,
      });
    total += size;
    return { filename: f.filename, contentType: f.contentType, size, contentBase64: f.data };
  });
  if (total > maxTotalBytes)
    throw tooLarge(`The files are ${total} bytes together: at most ${maxTotalBytes}`, {
      limit: "total_bytes",
      maxTotalBytes,
      size: total,
    });
  return attachments;
}

/**
 * Refuses files on a ticket that cannot carry them: 422 `UNSUPPORTED` when the channel cannot
 * (the agent API maps it), 409 `REPLY_WINDOW_CLOSED` when the reply would go out as a template.
 */
export function assertFilesAccepted(state: ReplyFilesState, ticket: Ticket): void {
  if (state.accepted) return;
  const details = { channel: ticket.channel, reason: state.reason };
  if (state.reason === "template_only")
    throw new StoredeskError({
      code: "REPLY_WINDOW_CLOSED",
      message: `SD-${ticket.number}'s reply goes out as a template, which carries no files: send the files once the customer writes again`,
      path: ["attachments"],
      details,
    });
  throw new StoredeskError({
    code: "UNSUPPORTED",
    message:
      state.reason === "channel_link_only"
        ? `SD-${ticket.number}'s channel (${ticket.channel}) takes files only by link: the inbox cannot send it files`
        : `SD-${ticket.number}'s channel (${ticket.channel}) cannot carry files`,
    path: ["attachments"],
    details,
  });
}

/** A refusal of files the channel cannot carry: the agent's request, not a server failure (422, not 501). */
export function isFilesRefusal(err: unknown): err is StoredeskError {
  return StoredeskError.is(err, "UNSUPPORTED") && err.path?.[0] === "attachments";
}
