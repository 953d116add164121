/**
 * Outbound WhatsApp messages: text, media (link, media id or uploaded inline
 * content), interactive buttons and lists, and template messages. Free-form sends
 * are refused outside the 24-hour window before anything leaves.
 */
import { z } from "zod";
import type { Attachment, OutboundMessage, SendReceipt } from "@storedesk/core";
import { invalidInput, parseInput, StoredeskError } from "@storedesk/core";
import type { GraphClient } from "@storedesk/meta-graph";
import { WaSendResponseSchema, WaUploadResponseSchema } from "./schemas.js";
import type { TemplateRegistry } from "./templates.js";
import { templatePayload, TemplateParametersSchema } from "./templates.js";
import { whatsappReplyWindow } from "./window.js";
import { withReplyButtons } from "./quick-replies.js";
import { whatsappRecipient } from "./recipient.js";

/** Interactive and other WhatsApp-specific options of a send (`OutboundMessage.options`). */
export const WhatsAppSendOptionsSchema = z
  .looseObject({
    /** Up to three reply buttons. */
    buttons: z
      .array(z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }))
      .min(1)
      .max(3)
      .optional(),
    /** A list message: a menu button opening up to ten rows in sections. */
    list: z
      .object({
        button: z.string().min(1).max(20),
        sections: z
          .array(
            z.object({
              title: z.string().max(24).optional(),
              rows: z
                .array(
                  z.object({
                    id: z.string().min(1).max(200),
                    title: z.string().min(1).max(24),
                    description: z.string().max(72).optional(),
                  }),
                )
                .min(1),
            }),
          )
          .min(1)
          .max(10),
      })
      .refine((l) => l.sections.reduce((n, s) => n + s.rows.length, 0) <= 10, "a list holds at most 10 rows")
      .optional(),
    /** Header and footer text of an interactive message. */
    header: z.string().min(1).max(60).optional(),
    footer: z.string().min(1).max(60).optional(),
    /** Quote this earlier message (its wamid) in WhatsApp's reply bubble. */
    contextMessageId: z.string().min(1).optional(),
    /** Render a link preview for the first URL of a text message. */
    previewUrl: z.boolean().optional(),
  })
  .refine((o) => !(o.buttons && o.list), "give buttons or a list, not both");
/** Options of a WhatsApp send. */
export type WhatsAppSendOptions = z.infer<typeof WhatsAppSendOptionsSchema>;

/** What {@link sendWhatsApp} needs. */
export interface WhatsAppSendDeps {
  graph: GraphClient;
  phoneNumberId: string;
  templates: TemplateRegistry | null;
  windowMs: number;
  now: () => Date;
  suggestedTemplate: string | null;
}

type MediaKind = "image" | "video" | "audio" | "document";

function mediaKind(contentType: string): MediaKind {
  const [type] = contentType.toLowerCase().split("/");
  return type === "image" || type === "video" || type === "audio" ? type : "document";
}

/** Delivers one OutboundMessage; the receipt's externalId is the wamid of the first message sent. */
export async function sendWhatsApp(message: OutboundMessage, deps: WhatsAppSendDeps): Promise<SendReceipt> {
  // A phone number goes as `to`, a BSUID as `recipient` without `to` (Meta: with both, `to` wins).
  const recipient = whatsappRecipient(message);
  const base = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...recipient,
    biz_opaque_callback_data: message.messageId,
  };

  if (message.template) {
    const template = deps.templates
      ? deps.templates.resolve(message.template).payload
      : templatePayload(
          { name: message.template.name, language: message.template.language },
          parseInput(TemplateParametersSchema, message.template.parameters ?? {}, "template parameters"),
        );
    const id = await post(deps, { ...base, type: "template", template });
    return {
      externalId: id,
      status: "sent",
      // Which field it went to, as for every other kind of send.
      meta: { template: message.template.name, language: (template.language as { code: string }).code, ...recipient },
    };
  }

  const window = whatsappReplyWindow(
    { ticket: message.ticket, lastInboundAt: message.ticket.lastCustomerMessageAt, authorKind: "agent" },
    deps.now(),
    { windowMs: deps.windowMs, suggestedTemplate: deps.suggestedTemplate },
  );
  if (window.kind !== "open") {
    throw new StoredeskError({
      code: "REPLY_WINDOW_CLOSED",
      message: `${window.reason}${window.suggestedTemplate ? ` Send the template "${window.suggestedTemplate}" instead.` : ""}`,
      details: {
        channel: "whatsapp",
        closedAt: window.closedAt?.toISOString() ?? null,
        suggestedTemplate: window.suggestedTemplate ?? null,
      },
    });
  }

  const options = parseInput(
    WhatsAppSendOptionsSchema,
    withReplyButtons(message.options ?? {}),
    "WhatsApp send options",
  );
  const attachments = message.attachments ?? [];
  const text = message.text.trim();
  if (!text && attachments.length === 0) throw invalidInput("A WhatsApp message needs text or an attachment", ["text"]);
  const interactive = options.buttons ?? options.list;
  if (interactive && !text) throw invalidInput("An interactive WhatsApp message needs body text", ["text"]);
  if (text.length > (interactive ? 1024 : 4096))
    throw invalidInput(
      `WhatsApp ${interactive ? "interactive body" : "text"} is limited to ${interactive ? 1024 : 4096} characters`,
      ["text"],
    );

  const payloads: Array<Record<string, unknown>> = [];
  let captionUsed = text.length === 0;
  if (options.buttons || options.list) {
    const action = options.buttons
      ? { buttons: options.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) }
      : { button: options.list?.button, sections: options.list?.sections };
    payloads.push({
      type: "interactive",
      interactive: {
        type: options.buttons ? "button" : "list",
        ...(options.header ? { header: { type: "text", text: options.header } } : {}),
        body: { text },
        ...(options.footer ? { footer: { text: options.footer } } : {}),
        action,
      },
    });
    captionUsed = true;
  } else if (text) {
    const first = attachments[0];
    // A caption rides on the first image, video or document; audio takes none.
    if (!first || mediaKind(first.contentType) === "audio" || text.length > 1024) {
      payloads.push({ type: "text", text: { body: text, preview_url: options.previewUrl ?? false } });
      captionUsed = true;
    }
  }
  for (const attachment of attachments) {
    const kind = mediaKind(attachment.contentType);
    const media: Record<string, unknown> = await mediaRef(attachment, deps);
    if (!captionUsed && kind !== "audio") {
      media.caption = text;
      captionUsed = true;
    }
    if (kind === "document" && attachment.filename) media.filename = attachment.filename;
    payloads.push({ type: kind, [kind]: media });
  }

  const ids: string[] = [];
  for (const [i, payload] of payloads.entries()) {
    const context = i === 0 && options.contextMessageId ? { context: { message_id: options.contextMessageId } } : {};
    ids.push(await post(deps, { ...base, ...context, ...payload }));
  }
  const externalId = ids[0];
  if (!externalId) throw new StoredeskError({ code: "INTERNAL", message: "Nothing was sent" });
  return { externalId, status: "sent", meta: { externalIds: ids, ...recipient } };
}

async function mediaRef(attachment: Attachment, deps: WhatsAppSendDeps): Promise<Record<string, unknown>> {
  if (attachment.providerId) return { id: attachment.providerId };
  if (attachment.url && /^https?:\/\//i.test(attachment.url)) return { link: attachment.url };
  if (attachment.contentBase64) {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", attachment.contentType);
    form.set(
      "file",
      new Blob([Buffer.from(attachment.contentBase64, "base64")], { type: attachment.contentType }),
      attachment.filename ?? "file",
    );
    const uploaded = await deps.graph.call("post", `${deps.phoneNumberId}/media`, WaUploadResponseSchema, { form });
    return { id: uploaded.id };
  }
  throw invalidInput("A WhatsApp attachment needs a providerId, an http(s) url or inline content", ["attachments"]);
}

async function post(deps: WhatsAppSendDeps, json: Record<string, unknown>): Promise<string> {
  try {
    const answer = await deps.graph.call("post", `${deps.phoneNumberId}/messages`, WaSendResponseSchema, { json });
    const id = answer.messages[0]?.id;
    if (!id) throw new StoredeskError({ code: "PROVIDER_ERROR", message: "WhatsApp returned no message id" });
    return id;
  } catch (err) {
    // Re-engagement error (131047): the window closed on Meta's side; say which template to use.
    if (StoredeskError.is(err, "REPLY_WINDOW_CLOSED")) {
      throw new StoredeskError({
        code: "REPLY_WINDOW_CLOSED",
        message: err.message,
        details: { ...err.details, channel: "whatsapp", suggestedTemplate: deps.suggestedTemplate },
        cause: err,
      });
    }
    throw err;
  }
}
