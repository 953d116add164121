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

/**
 * A transaction's undo log, newest step last, three slots a step (flat, so a write allocates no
 * closure): `(map, key, old value or ABSENT)` puts a map entry back, `(array, index, REMOVE)` takes
 * an inserted element out again, `(set, value, ADDED | REMOVED)` undoes a set change, and
 * `(fn, null, null)` runs `fn`. Null outside a transaction (nothing is logged).
 */
export type Undo = unknown[] | null;

/** Marks of the undo log's steps (see {@link Undo}). */
const ABSENT = Symbol("absent");
const REMOVE = Symbol("remove");
const ADDED = Symbol("added");
const REMOVED = Symbol("removed");

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
  /** The open ticket of each conversation, by {@link openConversationKey} (at most one each). */
  openByConversation: Map<string, string>;
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
    openByConversation: new Map(),
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
export const record = (undo: Undo, fn: () => void): void => {
  if (undo !== null) undo.push(fn, null, null);
};
/** Sets `key`, with its undo step. */
export const setIn = <K, V>(undo: Undo, map: Map<K, V>, key: K, value: V): void => {
  if (undo !== null) {
    const old = map.get(key);
    undo.push(map, key, old === undefined && !map.has(key) ? ABSENT : old);
  }
  map.set(key, value);
};
/** Deletes `key`, with its undo step. */
export const deleteIn = <K, V>(undo: Undo, map: Map<K, V>, key: K): void => {
  const old = map.get(key);
  if (old === undefined && !map.has(key)) return;
  map.delete(key);
  if (undo !== null) undo.push(map, key, old);
};
/**
 * Inserts `value` into an array the store owns at `index` (the end by default), with its undo
 * step: in place, where a copy per write would cost more than the write.
 */
export const insertAt = <V>(undo: Undo, array: V[], value: V, index = array.length): void => {
  if (index === array.length) array.push(value);
  else array.splice(index, 0, value);
  if (undo !== null) undo.push(array, index, REMOVE);
};
/** Adds `value` to a set the store owns, in place, with its undo step. */
export const addTo = <V>(undo: Undo, set: Set<V>, value: V): void => {
  if (set.has(value)) return;
  set.add(value);
  if (undo !== null) undo.push(set, value, ADDED);
};
/** Removes `value` from a set the store owns, in place, with its undo step. */
export const removeFrom = <V>(undo: Undo, set: Set<V>, value: V): void => {
  if (!set.delete(value)) return;
  if (undo !== null) undo.push(set, value, REMOVED);
};

/** Undoes the log's steps back to `mark` (a length it had; 0 for the whole transaction), newest first. */
export function rollback(undo: unknown[], mark: number): void {
  for (let i = undo.length - 3; i >= mark; i -= 3) {
    const target = undo[i];
    const arg = undo[i + 1];
    const old = undo[i + 2];
    if (target instanceof Map) {
      if (old === ABSENT) target.delete(arg);
      else target.set(arg, old);
    } else if (Array.isArray(target)) target.splice(arg as number, 1);
    else if (target instanceof Set) {
      if (old === ADDED) target.delete(arg);
      else target.add(arg);
    } else (target as () => void)();
  }
  undo.length = mark;
}
