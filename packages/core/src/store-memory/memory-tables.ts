/** The memory store's tables, its undo log and the write helpers every part of it uses. */
import type { Customer } from "../domain/customer.js";
import type { CustomerEvent } from "../domain/customer-event.js";
import type { Job } from "../domain/job.js";
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { TicketEvent } from "../domain/event.js";
import type { IdempotencyRecord, KeyedRecord } from "../ports/store.js";
import { StoredeskError } from "../errors.js";

/** Whether a keyed record has not expired at `now`. */
export const live = (r: KeyedRecord, now: Date) => r.expiresAt === null || r.expiresAt > now;

/** A CONFLICT error with its details. */
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new StoredeskError({ code: "CONFLICT", message, ...(details ? { details } : {}) });

/**
 * The key under which a ticket is the open ticket of its conversation (open: not closed, not
 * merged, with a conversation key), or null. At most one stored ticket holds each key.
 */
export function openConversationKey(ticket: Ticket): string | null {
  if (ticket.conversationKey === null || ticket.status === "closed" || ticket.mergedInto) return null;
  return `${ticket.customerId}\u0000${ticket.channel}\u0000${ticket.conversationKey}`;
}

/** Code-point order of keys (as PostgreSQL's COLLATE "C" sorts UTF-8): UTF-16 order differs past U+FFFF. */
export function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A transaction's undo log (null outside a transaction). */
export type Undo = Array<() => void> | null;

/**
 * Where a set of store operations writes its undo steps: read at each write, so one set of
 * operations serves every transaction (they are serialized) instead of being built per transaction.
 */
export interface UndoRef {
  log: Undo;
}

export interface Tables {
  customers: Map<string, Customer>;
  identities: Map<string, string>;
  tickets: Map<string, Ticket>;
  ticketsByNumber: Map<number, string>;
  ticketsByCustomer: Map<string, Set<string>>;
  messages: Map<string, Message>;
  messagesByExternal: Map<string, string>;
  messagesByTicket: Map<string, string[]>;
  events: Map<string, TicketEvent[]>;
  idempotency: Map<string, IdempotencyRecord>;
  jobs: Map<string, Job>;
  /** Keyed records by namespace, then key. */
  records: Map<string, Map<string, KeyedRecord>>;
  /** Customer audit logs by customer id, in append order. */
  customerEvents: Map<string, CustomerEvent[]>;
  customerEventIds: Set<string>;
  counter: { ticketNumber: number };
}

/** Empty tables. */
export function newTables(): Tables {
  return {
    customers: new Map(),
    identities: new Map(),
    tickets: new Map(),
    ticketsByNumber: new Map(),
    ticketsByCustomer: new Map(),
    messages: new Map(),
    messagesByExternal: new Map(),
    messagesByTicket: new Map(),
    events: new Map(),
    idempotency: new Map(),
    jobs: new Map(),
    records: new Map(),
    customerEvents: new Map(),
    customerEventIds: new Set(),
    counter: { ticketNumber: 0 },
  };
}

// The write helpers take the transaction's undo log (null outside one); made once per store, not per transaction.
/** Records an undo step in the transaction's log (none outside one). */
export const record = (undo: Undo, fn: () => void) => {
  undo?.push(fn);
};
/** Sets `key`, with its undo step. */
export const setIn = <K, V>(undo: Undo, map: Map<K, V>, key: K, value: V) => {
  const had = map.has(key);
  const old = map.get(key);
  map.set(key, value);
  record(undo, () => {
    if (had) map.set(key, old as V);
    else map.delete(key);
  });
};
/** Deletes `key`, with its undo step. */
export const deleteIn = <K, V>(undo: Undo, map: Map<K, V>, key: K) => {
  if (!map.has(key)) return;
  const old = map.get(key) as V;
  map.delete(key);
  record(undo, () => map.set(key, old));
};
