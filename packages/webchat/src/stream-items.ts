/**
 * What a visitor's stream shows, read from the desk's own records: the visible messages of the
 * visitor's chat tickets and the events worth showing (an agent joined, the agent read). Live
 * events and replays are built by the same functions, so a replay shows exactly what was missed.
 */
import type { Desk, Message, TicketEvent } from "@storedesk/core";
import type { StreamItem } from "./schemas.js";

/** The desk methods the chat server uses. */
export type ChatDesk = Pick<
  Desk,
  | "webhook"
  | "ingest"
  | "on"
  | "off"
  | "listTickets"
  | "listMessages"
  | "listEvents"
  | "findCustomer"
  | "agents"
  | "recordEvent"
  | "getTicket"
>;

/**
 * The SSE id of an item: its time in ms, then a unique suffix. `Last-Event-ID` is read back by
 * its time only, so ids from any instance order the same way.
 *
 * @example
 * itemId(new Date(1_700_000_000_000), "m", "msg_1") // "1700000000000.m.msg_1"
 */
export function itemId(at: Date, kind: string, id: string): string {
  return `${at.getTime()}.${kind}.${id}`;
}

/**
 * The time part of a `Last-Event-ID`, or null when it is not one of ours.
 *
 * @example
 * cursorTime("1700000000000.m.msg_1") // 1700000000000
 */
export function cursorTime(lastEventId: string | null | undefined): number | null {
  if (!lastEventId) return null;
  const ms = Number(lastEventId.slice(0, lastEventId.indexOf(".")));
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}

/**
 * A message as the visitor sees it, or null for what they must not see (internal notes).
 *
 * @example
 * const item = messageItem(message, (id) => agents.get(id)?.name ?? null);
 */
export function messageItem(
  message: Message,
  agentName: (id: string) => string | null,
): Extract<StreamItem, { type: "message" }> | null {
  if (message.direction === "note" || message.visibility === "internal") return null;
  const meta = message.meta;
  return {
    type: "message",
    id: itemId(message.createdAt, "m", message.id),
    messageId: message.id,
    ticketId: message.ticketId,
    direction: message.direction,
    author: message.authorKind,
    authorName: message.authorKind === "agent" && message.authorId ? agentName(message.authorId) : null,
    text: message.text,
    attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
    clientMessageId: typeof meta.clientMessageId === "string" ? meta.clientMessageId : null,
    status: message.deliveryStatus,
    quickReplies: readQuickReplies(meta.quickReplies),
    at: message.createdAt.toISOString(),
  };
}

/** The buttons stored with a sent message (`{ id, title }`; a bare string is its own id). */
function readQuickReplies(value: unknown): Array<{ id: string; title: string }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((q: unknown) => {
    if (typeof q === "string") return [{ id: q, title: q }];
    const { id, title } = (q ?? {}) as { id?: unknown; title?: unknown };
    return typeof id === "string" && typeof title === "string" ? [{ id, title }] : [];
  });
}

/**
 * An audit event as the visitor sees it (agent joined, agent read), or null.
 *
 * @example
 * const item = eventItem(event, (id) => agents.get(id)?.name ?? null);
 */
export function eventItem(event: TicketEvent, agentName: (id: string) => string | null): StreamItem | null {
  if (event.type === "assigned" && typeof event.data.to === "string") {
    return {
      type: "agent_joined",
      id: itemId(event.at, "e", event.id),
      ticketId: event.ticketId,
      agentName: agentName(event.data.to),
      at: event.at.toISOString(),
    };
  }
  if (event.type === "webchat.read") {
    const ids = Array.isArray(event.data.messageIds)
      ? event.data.messageIds.filter((x): x is string => typeof x === "string")
      : [];
    return {
      type: "read",
      id: itemId(event.at, "e", event.id),
      ticketId: event.ticketId,
      by: "agent",
      messageIds: ids,
      at: event.at.toISOString(),
    };
  }
  return null;
}

/**
 * Everything of a visitor's chat at or after `sinceMs` (all of it when null), oldest first:
 * the history on open and the replay after a reconnect.
 *
 * @example
 * const missed = await conversationItems(desk, "webchat", customerId, cursorTime(lastEventId), agentName, 200);
 */
export async function conversationItems(
  desk: ChatDesk,
  channelId: string,
  customerId: string,
  sinceMs: number | null,
  agentName: (id: string) => string | null,
  limit: number,
): Promise<StreamItem[]> {
  const tickets = await desk.listTickets({ customerId, channel: channelId, newestFirst: true, limit: 20 });
  const items: Array<{ at: number; item: StreamItem }> = [];
  for (const ticket of tickets) {
    for (const message of await desk.listMessages(ticket.id)) {
      const at = message.createdAt.getTime();
      if (sinceMs !== null && at < sinceMs) continue;
      const item = messageItem(message, agentName);
      if (item) items.push({ at, item });
    }
    for (const event of await desk.listEvents(ticket.id)) {
      const at = event.at.getTime();
      if (sinceMs !== null && at < sinceMs) continue;
      const item = eventItem(event, agentName);
      if (item) items.push({ at, item });
    }
  }
  // Stable: equal times keep the store's order (messages oldest first).
  items.sort((a, b) => a.at - b.at);
  return items.slice(-limit).map((x) => x.item);
}
