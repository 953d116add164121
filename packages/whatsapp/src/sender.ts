/**
 * Who wrote a WhatsApp message: the phone number (`from` / `contacts[].wa_id`) when Meta shares
 * it, the business-scoped user ID (`from_user_id` / `contacts[].user_id`) always since 2026, and
 * the identities, conversation key and name the desk gets from them.
 */
import type { Identity } from "@storedesk/core";
import { StoredeskError } from "@storedesk/core";
import type { WaChangeValue, WaContact, WaInboundMessage } from "./schemas.js";
import { BSUID_PATTERN } from "./schemas.js";

/** The sender of one inbound message, as the adapter reads it. */
export interface WhatsAppSender {
  /** The phone number as WhatsApp id (digits), or null for a user who hides it behind a username. */
  waId: string | null;
  /** The business-scoped user ID, or null on a webhook from before BSUIDs. */
  bsuid: string | null;
  /** The parent BSUID, when the business has them enabled. */
  parentBsuid: string | null;
  /** The WhatsApp username, when the user adopted one. */
  username: string | null;
  /** The profile name, else the username. */
  name: string | null;
  /** Phone-based first (so the primary stays what it was before BSUIDs), then the BSUIDs. */
  identities: Identity[];
  /**
   * The conversation's id in its key: the BSUID when Meta sends one (it stays when the user hides
   * their number), else the phone number.
   */
  conversationId: string;
  /** Ids the conversation was keyed by before: the phone number beside a BSUID, a changed BSUID's previous one. */
  conversationAliases: string[];
}

/**
 * Every contact of a change by each of its ids (`wa_id`, `user_id`, `parent_user_id`): one lookup
 * table per change, since a find per message would make a 10,000-message batch quadratic.
 *
 * @example
 * const contacts = contactsById(value);
 */
export function contactsById(value: WaChangeValue): Map<string, WaContact> {
  const byId = new Map<string, WaContact>();
  for (const contact of value.contacts ?? []) {
    for (const id of [contact.wa_id, contact.user_id, contact.parent_user_id]) {
      if (id !== undefined && !byId.has(id)) byId.set(id, contact);
    }
  }
  return byId;
}

/**
 * Reads the sender of `message`: its own `from` / `from_user_id` first, then its contact's
 * `wa_id` / `user_id`. A message naming neither a phone number nor a BSUID is INVALID_INPUT.
 * A system message's new and previous BSUIDs (`user_changed_user_id`, `user_changed_number`)
 * and a changed number's new one (`new_wa_id`) join the identities, so the customer keeps one
 * record across the change.
 *
 * @example
 * const sender = whatsappSender(message, value, contactsById(value));
 * sender.identities; // [{ kind: "whatsapp", value: "8210…" }, { kind: "phone", … }, { kind: "whatsapp_bsuid", value: "KR.…" }]
 */
export function whatsappSender(
  message: WaInboundMessage,
  value: WaChangeValue,
  contacts: ReadonlyMap<string, WaContact>,
): WhatsAppSender {
  const contact = contactOf(message, value, contacts);
  // The contact's wa_id wins over `from`, as before BSUIDs: it is the id a reply must go to.
  const number = contact?.wa_id ?? message.from ?? null;
  // Meta documents `from` as the number or absent; a BSUID found there is taken as the BSUID it is.
  const misplaced = number !== null && BSUID_PATTERN.test(number) ? number : null;
  const waId = misplaced ? null : number;
  const bsuid = message.from_user_id ?? contact?.user_id ?? misplaced;
  const parentBsuid = message.from_parent_user_id ?? contact?.parent_user_id ?? null;
  const system = message.type === "system" ? message.system : undefined;
  const changed = [system?.user_id, system?.previous_user_id, system?.parent_user_id, system?.previous_parent_user_id];
  // `user_changed_number`: the new number joins the customer, and a conversation keyed by the
  // old number moves to the new one (the old is the alias), so the next message finds it.
  const rawNew = system?.type === "user_changed_number" ? (system.new_wa_id ?? system.wa_id) : undefined;
  const newNumber = rawNew !== undefined && /^\d{5,20}$/.test(String(rawNew)) ? String(rawNew) : null;
  const conversationId =
    bsuid ?? (newNumber && newNumber !== waId ? newNumber : waId) ?? system?.user_id ?? system?.previous_user_id;
  if (!conversationId)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "WhatsApp message without a sender: neither from nor from_user_id",
      path: ["messages", message.id, "from"],
    });
  const identities: Identity[] = waId
    ? [
        { kind: "whatsapp", value: waId },
        { kind: "phone", value: `+${waId}` },
      ]
    : [];
  if (newNumber && newNumber !== waId)
    identities.push({ kind: "whatsapp", value: newNumber }, { kind: "phone", value: `+${newNumber}` });
  for (const id of [bsuid, parentBsuid, ...changed]) {
    if (id && !identities.some((i) => i.kind === "whatsapp_bsuid" && i.value === id))
      identities.push({ kind: "whatsapp_bsuid", value: id });
  }
  const username = contact?.profile?.username || null;
  // Conversations keyed before BSUIDs (by the number), or by a BSUID the user has since changed.
  const conversationAliases = [waId, system?.previous_user_id].filter(
    (id): id is string => typeof id === "string" && id !== conversationId,
  );
  return {
    waId,
    bsuid,
    parentBsuid,
    username,
    name: contact?.profile?.name || username,
    identities,
    conversationId,
    conversationAliases,
  };
}

/**
 * The contact of this message: the one holding its phone number or BSUID; else the change's
 * first contact (Meta sends one per sender), unless that one names another user's BSUID.
 */
function contactOf(
  message: WaInboundMessage,
  value: WaChangeValue,
  contacts: ReadonlyMap<string, WaContact>,
): WaContact | undefined {
  const byId =
    (message.from !== undefined ? contacts.get(message.from) : undefined) ??
    (message.from_user_id !== undefined ? contacts.get(message.from_user_id) : undefined);
  if (byId) return byId;
  const first = value.contacts?.[0];
  if (first?.user_id && message.from_user_id && first.user_id !== message.from_user_id) return undefined;
  return first;
}
