/** Column lists and row → domain mappers. Every mapper builds a fresh object, so callers never share state with the store. */
import type { Customer, IdempotencyRecord, Job, Message, Ticket, TicketEvent } from "@storedesk/core";

/**
 * Text PostgreSQL can store: no NUL (text and jsonb refuse it) and no unpaired UTF-16
 * surrogate (jsonb refuses it; text would garble it), replaced by U+FFFD. Every string
 * parameter and every string inside a jsonb value passes through it, so a stray byte in
 * a customer's message never costs the message.
 */
export function storableText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\ufffd");
}

// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** JSON for a `$n::text::jsonb` parameter; `null`/`undefined` become SQL NULL. Strings (keys too) are made storable. */
export function json(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === "string") return storableText(v);
    if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.some(([k]) => storableText(k) !== k))
        return Object.fromEntries(entries.map(([k, x]) => [storableText(k), x]));
    }
    return v;
  });
  return text;
}

/** Parameters as PostgreSQL can store them (see {@link storableText}). */
export function storableParams(params: readonly unknown[] | undefined): unknown[] | undefined {
  return params?.map((p) => (typeof p === "string" ? storableText(p) : p));
}

export const CUSTOMER_COLUMNS =
  "c.id, c.name, c.locale, c.attributes, c.created_at, c.updated_at, c.merged_into, c.version";

/** Identities of customer `c`, in their stored order, as a jsonb array. */
export function identitiesSubquery(s: string): string {
  return `COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'value', i.value) ORDER BY i.position)
    FROM ${s}.customer_identities i WHERE i.customer_id = c.id), '[]'::jsonb) AS identities`;
}

export interface CustomerRow {
  id: string;
  name: string | null;
  locale: string | null;
  attributes: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  merged_into: string | null;
  version: number;
  identities: Customer["identities"];
}

export function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    name: r.name,
    locale: r.locale,
    identities: r.identities.map((i) => ({ kind: i.kind, value: i.value })),
    attributes: r.attributes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    mergedInto: r.merged_into,
    version: r.version,
  };
}

export const TICKET_COLUMNS =
  "id, number, subject, status, priority, category, channel, kind, customer_id, assignee_id, team, tags, language, conversation_key, version, created_at, updated_at, last_customer_message_at, first_replied_at, solved_at, closed_at, follow_up_of, merged_into, sla_due_at, sla, complaint, meta";

export interface TicketRow {
  id: string;
  number: number;
  subject: string | null;
  status: Ticket["status"];
  priority: Ticket["priority"];
  category: Ticket["category"];
  channel: string;
  kind: Ticket["kind"];
  customer_id: string;
  assignee_id: string | null;
  team: string | null;
  tags: string[];
  language: string;
  conversation_key: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  last_customer_message_at: Date | null;
  first_replied_at: Date | null;
  solved_at: Date | null;
  closed_at: Date | null;
  follow_up_of: string | null;
  merged_into: string | null;
  sla_due_at: Date | null;
  sla: Ticket["sla"];
  complaint: Ticket["complaint"];
  meta: Record<string, unknown>;
}

export function toTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    category: r.category,
    channel: r.channel,
    kind: r.kind,
    customerId: r.customer_id,
    assigneeId: r.assignee_id,
    team: r.team,
    tags: r.tags,
    language: r.language,
    conversationKey: r.conversation_key,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastCustomerMessageAt: r.last_customer_message_at,
    firstRepliedAt: r.first_replied_at,
    solvedAt: r.solved_at,
    closedAt: r.closed_at,
    followUpOf: r.follow_up_of,
    mergedInto: r.merged_into,
    slaDueAt: r.sla_due_at,
    sla: r.sla,
    complaint: r.complaint,
    meta: r.meta,
  };
}

/** Parameters $1…$27 of a ticket, in {@link TICKET_COLUMNS} order. */
export function ticketParams(t: Ticket): unknown[] {
  return [
    t.id,
    t.number,
    t.subject,
    t.status,
    t.priority,
    t.category,
    t.channel,
    t.kind,
    t.customerId,
    t.assigneeId,
    t.team,
    json(t.tags),
    t.language,
    t.conversationKey,
    t.version,
    t.createdAt,
    t.updatedAt,
    t.lastCustomerMessageAt,
    t.firstRepliedAt,
    t.solvedAt,
    t.closedAt,
    t.followUpOf,
    t.mergedInto,
    t.slaDueAt,
    json(t.sla),
    json(t.complaint),
    json(t.meta),
  ];
}

/** `$n` placeholders for {@link ticketParams}, with jsonb casts where needed. */
export const TICKET_PLACEHOLDERS = TICKET_COLUMNS.split(", ")
  .map((col, i) => (["tags", "sla", "complaint", "meta"].includes(col) ? `$${i + 1}::text::jsonb` : `$${i + 1}`))
  .join(", ");

export const MESSAGE_COLUMNS =
  "id, ticket_id, direction, author_kind, author_id, channel, external_id, text, html, attachments, delivery_status, delivery_error, visibility, automatic, created_at, meta";

export interface MessageRow {
  id: string;
  ticket_id: string;
  direction: Message["direction"];
  author_kind: Message["authorKind"];
  author_id: string | null;
  channel: string;
  external_id: string | null;
  text: string;
  html: string | null;
  attachments: Message["attachments"];
  delivery_status: Message["deliveryStatus"];
  delivery_error: Message["deliveryError"];
  visibility: Message["visibility"];
  automatic: boolean;
  created_at: Date;
  meta: Record<string, unknown>;
}

export function toMessage(r: MessageRow): Message {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    direction: r.direction,
    authorKind: r.author_kind,
    authorId: r.author_id,
    channel: r.channel,
    externalId: r.external_id,
    text: r.text,
    html: r.html,
    attachments: r.attachments,
    deliveryStatus: r.delivery_status,
    deliveryError: r.delivery_error,
    visibility: r.visibility,
    automatic: r.automatic,
    createdAt: r.created_at,
    meta: r.meta,
  };
}

export function messageParams(m: Message): unknown[] {
  return [
    m.id,
    m.ticketId,
    m.direction,
    m.authorKind,
    m.authorId,
    m.channel,
    m.externalId,
    m.text,
    m.html,
    json(m.attachments),
    m.deliveryStatus,
    json(m.deliveryError),
    m.visibility,
    m.automatic,
    m.createdAt,
    json(m.meta),
  ];
}

export const MESSAGE_PLACEHOLDERS = MESSAGE_COLUMNS.split(", ")
  .map((col, i) => (["attachments", "delivery_error", "meta"].includes(col) ? `$${i + 1}::text::jsonb` : `$${i + 1}`))
  .join(", ");

export const EVENT_COLUMNS = "id, ticket_id, seq, type, at, actor_kind, actor_id, data";

export interface EventRow {
  id: string;
  ticket_id: string;
  seq: number;
  type: string;
  at: Date;
  actor_kind: TicketEvent["actor"]["kind"];
  actor_id: string | null;
  data: Record<string, unknown>;
}

export function toEvent(r: EventRow): TicketEvent {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    seq: r.seq,
    type: r.type,
    at: r.at,
    actor: { kind: r.actor_kind, id: r.actor_id },
    data: r.data,
  };
}

export const JOB_COLUMNS = "id, key, type, ticket_id, run_at, payload, attempts, locked_by, locked_until";

export interface JobRow {
  id: string;
  key: string;
  type: string;
  ticket_id: string | null;
  run_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
}

export function toJob(r: JobRow): Job {
  return {
    id: r.id,
    key: r.key,
    type: r.type,
    ticketId: r.ticket_id,
    runAt: r.run_at,
    payload: r.payload,
    attempts: r.attempts,
    lockedBy: r.locked_by,
    lockedUntil: r.locked_until,
  };
}

export interface IdempotencyRow {
  scope: string;
  key: string;
  result: unknown;
  created_at: Date;
}

export function toIdempotency(r: IdempotencyRow): IdempotencyRecord {
  return { scope: r.scope, key: r.key, result: r.result, createdAt: r.created_at };
}
