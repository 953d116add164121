/**
 * WhatsApp webhook: the GET verification handshake, the X-Hub-Signature-256
 * check over the raw body, zod validation, and the mapping of Cloud API messages
 * and statuses to storedesk inbound events.
 */
import type { DeliveryStatus, InboundEventInput, WebhookResult } from "@storedesk/core";
import { eventTime, parseInput, StoredeskError } from "@storedesk/core";
import { handleGraphWebhook } from "@storedesk/meta-graph";
import type { WaChangeValue, WaContact, WaInboundMessage, WaStatus } from "./schemas.js";
import { WaChangeValueSchema, WaWebhookSchema } from "./schemas.js";
import { contactsById, whatsappSender } from "./sender.js";

/** What the webhook handler needs from the adapter's config. */
export interface WhatsAppWebhookConfig {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  channelId: string;
  /** The receive time, used when a timestamp is out of range. Default the system time. */
  now?: () => Date;
}

/**
 * Conversation key of a customer on one business number: `wa:<phone_number_id>:<id>`, the id
 * being the customer's WhatsApp number (`wa_id`) when Meta shares it, else their BSUID.
 *
 * @example
 * whatsappConversationKey("106540352242922", "821012345678"); // "wa:106540352242922:821012345678"
 * whatsappConversationKey("106540352242922", "KR.1502576394655843"); // "wa:106540352242922:KR.1502576394655843"
 */
export function whatsappConversationKey(phoneNumberId: string, waId: string): string {
  return `wa:${phoneNumberId}:${waId}`;
}

/**
 * Handles one webhook request: GET → verification challenge; POST → signature,
 * then parse. Events of other business numbers are acknowledged and dropped.
 */
export async function handleWhatsAppWebhook(request: Request, config: WhatsAppWebhookConfig): Promise<WebhookResult> {
  return handleGraphWebhook(request, {
    appSecret: config.appSecret,
    verifyToken: config.verifyToken,
    parse: (body) => parseWhatsAppPayload(body, config),
  });
}

/**
 * Maps a verified webhook body to inbound events (pure). Malformed → INVALID_INPUT.
 *
 * @example
 * const events = parseWhatsAppPayload(JSON.parse(body), { phoneNumberId: "1065…", channelId: "whatsapp" });
 */
export function parseWhatsAppPayload(
  body: unknown,
  config: Pick<WhatsAppWebhookConfig, "phoneNumberId" | "channelId" | "now">,
): InboundEventInput[] {
  const payload = parseInput(WaWebhookSchema, body, "WhatsApp webhook");
  const now = config.now?.() ?? new Date();
  const events: InboundEventInput[] = [];
  payload.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const value = parseInput(WaChangeValueSchema, change.value, `WhatsApp webhook entry ${e} change ${c}`);
      if (value.metadata.phone_number_id !== config.phoneNumberId) return;
      const contacts = contactsById(value);
      for (const message of value.messages ?? []) {
        const event = messageEvent(message, value, contacts, config.channelId, now);
        if (event) events.push(event);
      }
      for (const status of value.statuses ?? []) {
        const event = statusEvent(status, config.channelId, now);
        if (event) events.push(event);
      }
    });
  });
  return events;
}

const STATUS_MAP: Record<string, DeliveryStatus> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "failed",
};

function statusEvent(status: WaStatus, channel: string, now: Date): InboundEventInput | null {
  const mapped = STATUS_MAP[status.status];
  if (!mapped) return null; // e.g. "deleted", "warning": nothing to record
  const first = status.errors?.[0];
  return {
    type: "delivery",
    channel,
    externalId: status.id,
    status: mapped,
    occurredAt: eventTime(status.timestamp, "seconds", now).occurredAt,
    error:
      mapped === "failed" && first
        ? { code: String(first.code), title: first.title ?? first.message ?? "failed" }
        : null,
    // Our message id, echoed: lets the desk recognise a send whose answer it never got.
    ...(status.biz_opaque_callback_data && status.biz_opaque_callback_data.length <= 200
      ? { messageId: status.biz_opaque_callback_data }
      : {}),
  };
}

/** A Flow's `response_json` as an object; a string that is not JSON is kept as it came. */
function parseFlowResponse(json: string | undefined): unknown {
  if (json === undefined) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

const DEFAULT_MIME: Record<"image" | "audio" | "video" | "document" | "sticker", string> = {
  image: "image/jpeg",
  audio: "audio/ogg",
  video: "video/mp4",
  document: "application/octet-stream",
  sticker: "image/webp",
};

function messageEvent(
  message: WaInboundMessage,
  value: WaChangeValue,
  contacts: ReadonlyMap<string, WaContact>,
  channel: string,
  now: Date,
): InboundEventInput | null {
  const sender = whatsappSender(message, value, contacts);
  const meta: Record<string, unknown> = { type: message.type, phoneNumberId: value.metadata.phone_number_id };
  // Who the sender is on WhatsApp besides their number: for a person to read, not for lookups.
  if (sender.bsuid) meta.userId = sender.bsuid;
  if (sender.parentBsuid) meta.parentUserId = sender.parentBsuid;
  if (sender.username) meta.username = sender.username;
  const replyTo: string[] = [];
  if (message.context?.id) {
    replyTo.push(message.context.id);
    meta.context = { id: message.context.id, from: message.context.from ?? null };
  }
  if (message.context?.forwarded || message.context?.frequently_forwarded) meta.forwarded = true;
  if (message.referral) meta.referral = message.referral;

  let text: string;
  const attachments: NonNullable<Extract<InboundEventInput, { type: "message" }>["attachments"]> = [];
  switch (message.type) {
    case "text":
      text = message.text?.body ?? "";
      break;
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker": {
      const media = message[message.type];
      if (!media)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `WhatsApp ${message.type} message without its ${message.type} object`,
          path: ["messages", message.id, message.type],
        });
      text = media.caption ?? "";
      attachments.push({
        contentType: media.mime_type ?? DEFAULT_MIME[message.type],
        providerId: media.id,
        filename: media.filename ?? null,
      });
      if (media.sha256) meta.sha256 = media.sha256;
      if (media.voice) meta.voice = true;
      break;
    }
    case "location": {
      const l = message.location;
      if (!l)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "WhatsApp location message without location",
          path: ["messages", message.id, "location"],
        });
      const label = [l.name, l.address].filter(Boolean).join(", ");
      text = `📍 ${label ? `${label} ` : ""}(${l.latitude}, ${l.longitude})`;
      meta.location = {
        latitude: l.latitude,
        longitude: l.longitude,
        name: l.name ?? null,
        address: l.address ?? null,
        url: l.url ?? null,
      };
      break;
    }
    case "contacts": {
      const cards = message.contacts ?? [];
      text = cards
        .map((card) => {
          const name =
            card.name?.formatted_name ?? [card.name?.first_name, card.name?.last_name].filter(Boolean).join(" ");
          const phones = (card.phones ?? [])
            .map((p) => p.phone ?? p.wa_id)
            .filter(Boolean)
            .join(", ");
          return `👤 ${name || "contact"}${phones ? ` ${phones}` : ""}`;
        })
        .join("\n");
      meta.contacts = cards;
      break;
    }
    case "interactive": {
      const interactive = message.interactive;
      const reply = interactive?.button_reply ?? interactive?.list_reply;
      if (reply) {
        text = reply.title;
        meta.interactive = {
          type: interactive?.type,
          id: reply.id,
          title: reply.title,
          ...("description" in reply && reply.description ? { description: reply.description } : {}),
        };
      } else if (interactive?.nfm_reply) {
        // A Flow's answer: its fields stay in meta for a person (or a plugin) to read.
        const flow = interactive.nfm_reply;
        text = flow.body ?? "[WhatsApp flow response]";
        meta.interactive = { type: interactive.type, name: flow.name ?? null };
        meta.flowResponse = parseFlowResponse(flow.response_json);
      } else {
        // A reply kind newer than this adapter: kept visible rather than refused (Meta would redeliver).
        text = `[WhatsApp interactive ${interactive?.type ?? "message"}]`;
        if (interactive) meta.interactive = interactive;
      }
      break;
    }
    case "system": {
      // The customer's number changed: a note for whoever serves them, the new id in meta.
      const system = message.system;
      text = system?.body ?? "[WhatsApp system message]";
      meta.system = {
        type: system?.type ?? null,
        newWaId: system?.new_wa_id !== undefined ? String(system.new_wa_id) : (system?.wa_id ?? null),
        ...(system?.user_id ? { newUserId: system.user_id } : {}),
        ...(system?.previous_user_id ? { previousUserId: system.previous_user_id } : {}),
      };
      break;
    }
    case "order": {
      const order = message.order;
      const items = order?.product_items ?? [];
      const lines = items.map((item) => {
        const price =
          item.item_price !== undefined ? ` @ ${item.item_price}${item.currency ? ` ${item.currency}` : ""}` : "";
        return `🛒 ${item.quantity ?? 1} × ${item.product_retailer_id ?? "item"}${price}`;
      });
      text = [order?.text, ...lines].filter(Boolean).join("\n") || "[WhatsApp order]";
      meta.order = order ?? null;
      break;
    }
    case "button":
      text = message.button?.text ?? "";
      meta.button = { payload: message.button?.payload ?? null, text };
      break;
    case "reaction": {
      const r = message.reaction;
      // An empty emoji means the customer removed a reaction: nothing to record.
      if (!r?.emoji) return null;
      text = r.emoji;
      replyTo.unshift(r.message_id);
      meta.reaction = { messageId: r.message_id, emoji: r.emoji };
      break;
    }
    default: {
      // unsupported / unknown types still reach a person rather than vanish
      const title = message.errors?.[0]?.title;
      text = `[WhatsApp ${message.type} message${title ? `: ${title}` : ""}]`;
      if (message.errors) meta.errors = message.errors;
    }
  }

  const time = eventTime(message.timestamp, "seconds", now);
  if (time.truncated) meta.truncated = time.truncated;
  return {
    type: "message",
    channel,
    externalId: message.id,
    occurredAt: time.occurredAt,
    from: { identities: sender.identities, name: sender.name },
    text,
    attachments,
    replyTo,
    conversationKey: whatsappConversationKey(value.metadata.phone_number_id, sender.conversationId),
    ...(sender.conversationAliases.length > 0
      ? {
          conversationKeyAliases: sender.conversationAliases.map((id) =>
            whatsappConversationKey(value.metadata.phone_number_id, id),
          ),
        }
      : {}),
    meta,
  };
}
