/** Zod shapes of what callers hand the desk, and the helpers that accept them. */
import { z } from "zod";
import type { Actor } from "../domain/event.js";
import { cleanStrings } from "../domain/inbound.js";
import { CategorySchema, PrioritySchema, TicketStatusSchema } from "../domain/enums.js";
import { parseInput } from "../validate.js";
import type { ActorInput } from "./types.js";

/** A channel template reference. */
export const TemplateRefSchema = z.object({
  name: z.string().min(1),
  language: z.string().min(2),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** Whether a string is an absolute http(s) URL. */
function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** Most files one reply carries. */
export const MAX_REPLY_ATTACHMENTS = 10;
/** Longest inline file of a reply (base64 characters: about 3.75 MB of file); larger ones go by URL. */
export const MAX_INLINE_ATTACHMENT_CHARS = 5_000_000;

/**
 * A file sent with a reply: at a public http(s) URL the provider fetches, as the provider's
 * media id, or inline as base64 (small files; e-mail attaches it, other channels need a URL).
 */
export const ReplyAttachmentSchema = z
  .object({
    contentType: z
      .string()
      .max(200)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, "a MIME type such as image/jpeg"),
    filename: z.string().min(1).max(500).nullable().optional(),
    size: z.number().int().nonnegative().nullable().optional(),
    url: z.string().max(4000).refine(isHttpUrl, "an absolute http(s) URL").nullable().optional(),
    providerId: z.string().min(1).max(500).nullable().optional(),
    contentBase64: z
      .string()
      .max(MAX_INLINE_ATTACHMENT_CHARS)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64 without line breaks")
      .nullable()
      .optional(),
  })
  .strict()
  .refine((a) => Boolean(a.url || a.providerId || a.contentBase64), {
    message: "An attachment needs a url, a providerId or contentBase64",
    path: ["url"],
  });

/** Input of `desk.reply`. */
export const ReplyInputSchema = z
  .object({
    text: z.string().max(100_000),
    html: z.string().max(2_000_000).nullable().optional(),
    subject: z.string().max(1000).nullable().optional(),
    agentId: z.string().min(1).nullable().optional(),
    authorKind: z.enum(["agent", "bot", "system"]).optional(),
    visibility: z.enum(["private", "public"]).optional(),
    template: TemplateRefSchema.nullable().optional(),
    status: TicketStatusSchema.optional(),
    channel: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    automatic: z.boolean().optional(),
    /** Why an automatic message is sent: picks the shop's template outside a reply window. */
    purpose: z.enum(["auto_ack", "complaint_update", "complaint_confirm", "proactive"]).optional(),
    attachments: z.array(ReplyAttachmentSchema).max(MAX_REPLY_ATTACHMENTS).optional(),
  })
  .refine((r) => r.text.trim().length > 0 || r.template || (r.attachments?.length ?? 0) > 0, {
    message: "A reply needs text, a template or an attachment",
    path: ["text"],
  });

/** Options of the desk's send calls: what to wait for. */
export const SendOptionsSchema = z.object({ wait: z.enum(["queued", "sent"]).optional() }).strict();

/** An id of a ticket, customer, message or template. */
export const IdSchema = z.string().min(1).max(200);

/** A ticket query of `desk.listTickets`. */
export const TicketQuerySchema = z.strictObject({
  status: z.array(TicketStatusSchema).optional(),
  customerId: IdSchema.optional(),
  channel: z.string().min(1).max(40).optional(),
  conversationKey: z.string().max(1000).optional(),
  slaDueBefore: z.date().optional(),
  newestFirst: z.boolean().optional(),
  limit: z.number().int().positive().max(10_000).optional(),
});

/** Who acts, as callers give it. */
export const ActorSchema = z.union([
  z.object({ agentId: z.string().min(1) }),
  z.object({ system: z.string().min(1) }),
  z.object({ bot: z.string().min(1) }),
]);

/** Fields of `desk.update`. */
export const TicketFieldsSchema = z.strictObject({
  status: TicketStatusSchema.optional(),
  priority: PrioritySchema.optional(),
  category: CategorySchema.optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
});

/** Input of `desk.sendToCustomer`. */
export const OutboundToCustomerSchema = z.object({
  text: z.string().min(1).max(100_000),
  subject: z.string().max(1000).nullable().optional(),
  channel: z.string().min(1).optional(),
  reason: z.string().trim().min(1).max(100),
  ticketId: z.string().min(1).optional(),
  category: CategorySchema.optional(),
  template: z
    .object({ name: z.string(), language: z.string(), parameters: z.record(z.string(), z.unknown()).optional() })
    .nullable()
    .optional(),
});

/**
 * Validates outside input and cleans its text the way every store can keep it (no NUL, no half emoji).
 *
 * @example
 * const reply = accept(ReplyInputSchema, input, "reply");
 */
export function accept<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return cleanStrings(parseInput(schema, input, what));
}

/**
 * The audit actor of an optional caller-given actor (the system when none).
 *
 * @example
 * toActor({ agentId: "kim" }); // { kind: "agent", id: "kim" }
 */
export function toActor(input: ActorInput | undefined): Actor {
  if (!input) return { kind: "system", id: null };
  const parsed = parseInput(ActorSchema, input, "actor");
  if ("agentId" in parsed) return { kind: "agent", id: parsed.agentId };
  if ("bot" in parsed) return { kind: "bot", id: parsed.bot };
  return { kind: "system", id: parsed.system };
}
