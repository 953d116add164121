import type { Customer, Identity } from "../domain/customer.js";
import type { CustomerEvent } from "../domain/customer-event.js";
import { identityKey } from "../domain/customer.js";
import type { Job } from "../domain/job.js";
import type { DeliveryStatus, Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { TicketEvent } from "../domain/event.js";
import type { IdempotencyRecord, KeyedRecord, Store, StoreOps, TicketQuery } from "../ports/store.js";
import { checkRecordInput, checkRecordKey } from "../domain/keyed-record.js";
import { mergedCustomerConflict, openConversationConflict } from "../domain/store-conflicts.js";
import type { Scheduler } from "../ports/scheduler.js";
import { StoredeskError } from "../errors.js";
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Deep copy of stored values (plain objects, arrays, Dates and primitives: all
 * the domain holds). Hand-written because structuredClone serializes and was
 * most of the ingest cost in the benchmark.
 */
function clone<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = clone((value as Record<string, unknown>)[key]);
  return out as T;
}
/** Keys of an SLA snapshot metric, in the order the desk writes them. */
const SNAPSHOT_METRIC_KEYS = ["metric", "status", "dueAt", "targetMinutes", "businessTimeUsedMs", "breachedAt", "fulfilledAt"] as const;

/** Whether `m` holds exactly the snapshot metric's keys, all primitives (the shape a fast copy keeps exactly). */
function isPlainSnapshotMetric(m: Record<string, unknown>): boolean {
  const keys = Object.keys(m);
  if (keys.length !== SNAPSHOT_METRIC_KEYS.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const v = m[keys[i]!];
    if (keys[i] !== SNAPSHOT_METRIC_KEYS[i] || (v !== null && typeof v === "object")) return false;
  }
  return true;
}

/** Copy of a ticket's SLA snapshot: the common shape field by field, anything else as {@link clone}. */
function cloneSla(sla: Record<string, unknown>): unknown {
  const metrics = sla.metrics;
  const keys = Object.keys(sla);
  if (!Array.isArray(metrics) || keys.length !== 3 || keys[0] !== "policyId" || keys[1] !== "evaluatedAt" || keys[2] !== "metrics") return clone(sla);
  const out: unknown[] = [];
  for (const m of metrics as Array<Record<string, unknown>>) {
    out.push(m !== null && typeof m === "object" && isPlainSnapshotMetric(m)
      ? { metric: m.metric, status: m.status, dueAt: m.dueAt, targetMinutes: m.targetMinutes, businessTimeUsedMs: m.businessTimeUsedMs, breachedAt: m.breachedAt, fulfilledAt: m.fulfilledAt }
      : clone(m));
  }
  return { policyId: clone(sla.policyId), evaluatedAt: clone(sla.evaluatedAt), metrics: out };
}

/**
 * Deep copy of a ticket: as {@link clone}, with the SLA snapshot (most of a ticket) copied by shape.
 * Stored on every ticket write and handed out on every read, so it is on the hot path.
 */
function cloneTicket(ticket: Ticket): Ticket {
  const out: Record<string, unknown> = { ...ticket };
  for (const key in out) {
    const v = out[key];
    if (v === null || typeof v !== "object") continue;
    if (v instanceof Date) out[key] = new Date(v.getTime());
    else if (key === "sla" && !Array.isArray(v)) out[key] = cloneSla(v as Record<string, unknown>);
    else out[key] = clone(v);
  }
  return out as Ticket;
}

/**
 * A deep-frozen deep copy (one pass): what immutable records (messages, events) are stored as.
 */
function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return Object.freeze(new Date(value.getTime())) as T;
  if (Array.isArray(value)) {
    return Object.freeze(value.map(frozenCopy)) as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(out) as T;
}

/**
 * Deep-freezes an immutable record (messages, events) so it can be handed out
 * without copying: a caller mutating it gets a TypeError, never a changed store.
 */
function frozen<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  if (value instanceof Date) return Object.freeze(value);
  for (const key in value) frozen((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

/** Whether a keyed record has not expired at `now`. */
const live = (r: KeyedRecord, now: Date) => r.expiresAt === null || r.expiresAt > now;

const conflict = (message: string, details?: Record<string, unknown>) => new StoredeskError({ code: "CONFLICT", message, ...(details ? { details } : {}) });

/**
 * The key under which a ticket is the open ticket of its conversation (open: not closed, not
 * merged, with a conversation key), or null. At most one stored ticket holds each key.
 */
function openConversationKey(ticket: Ticket): string | null {
  if (ticket.conversationKey === null || ticket.status === "closed" || ticket.mergedInto) return null;
  return `${ticket.customerId}\u0000${ticket.channel}\u0000${ticket.conversationKey}`;
}

/** Code-point order of keys (as PostgreSQL's COLLATE "C" sorts UTF-8): UTF-16 order differs past U+FFFF. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A transaction's undo log (null outside a transaction). */
type Undo = Array<() => void> | null;

interface Tables {
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

/** A memory store: the Store port plus its scheduler. */
export interface MemoryStore extends Store {
  readonly scheduler: Scheduler;
}

/**
 * The in-memory Store: for tests, examples and a single small process.
 * Transactions are serialized and undone on error from an undo log, so the
 * store invariants hold exactly as on PostgreSQL. Data is lost with the process.
 * Messages and events (immutable records) are handed out deep-frozen instead of
 * copied; customers, tickets and jobs as copies.
 *
 * @example
 * const desk = createDesk({ store: memoryStore() });
 */
export function memoryStore(): MemoryStore {
  const t: Tables = {
    customers: new Map(), identities: new Map(), tickets: new Map(), ticketsByNumber: new Map(), ticketsByCustomer: new Map(),
    messages: new Map(), messagesByExternal: new Map(), messagesByTicket: new Map(), events: new Map(),
    idempotency: new Map(), jobs: new Map(), records: new Map(), customerEvents: new Map(), customerEventIds: new Set(),
    counter: { ticketNumber: 0 },
  };

  // One writer at a time; each transaction (and each single write) is a critical section.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  // The write helpers take the transaction's undo log (null outside one); made once per store, not per transaction.
  const record = (undo: Undo, fn: () => void) => { undo?.push(fn); };
  const setIn = <K, V>(undo: Undo, map: Map<K, V>, key: K, value: V) => {
    const had = map.has(key);
    const old = map.get(key);
    map.set(key, value);
    record(undo, () => { if (had) map.set(key, old as V); else map.delete(key); });
  };
  const deleteIn = <K, V>(undo: Undo, map: Map<K, V>, key: K) => {
    if (!map.has(key)) return;
    const old = map.get(key) as V;
    map.delete(key);
    record(undo, () => map.set(key, old));
  };
  const resolveCustomer = (id: string | undefined): Customer | null => {
    let c = id ? t.customers.get(id) : undefined;
    for (let hops = 0; c?.mergedInto && hops < 10; hops++) c = t.customers.get(c.mergedInto);
    return c ? clone(c) : null;
  };
  const indexTicket = (undo: Undo, ticket: Ticket) => {
    const set = t.ticketsByCustomer.get(ticket.customerId) ?? new Set<string>();
    if (!set.has(ticket.id)) {
      const next = new Set(set).add(ticket.id);
      setIn(undo, t.ticketsByCustomer, ticket.customerId, next);
    }
  };
  const claimIdentities = (customer: Customer) => {
    for (const identity of customer.identities) {
      const owner = t.identities.get(identityKey(identity));
      if (owner && owner !== customer.id) throw conflict(`Identity ${identityKey(identity)} belongs to another customer`, { customerId: owner });
    }
  };

  /** One open ticket per conversation: throws CONFLICT (naming the open one) if another holds it. */
  const refuseSecondOpenTicket = (ticket: Ticket) => {
    const key = openConversationKey(ticket);
    if (key === null) return;
    for (const id of t.ticketsByCustomer.get(ticket.customerId) ?? []) {
      const other = t.tickets.get(id);
      if (other && other.id !== ticket.id && openConversationKey(other) === key) throw openConversationConflict(ticket, other.id);
    }
  };

  /** Appends an event to its ticket's log (synchronous: one call per event of a batch, no await between). */
  const appendOne = (undo: Undo, event: TicketEvent): void => {
    let list = t.events.get(event.ticketId);
    if (!list) {
      list = [];
      setIn(undo, t.events, event.ticketId, list);
    }
    const last = list[list.length - 1];
    if (last && last.seq >= event.seq) {
      if (list.some((e) => e.seq === event.seq || e.id === event.id)) throw conflict(`Event seq ${event.seq} of ticket ${event.ticketId} exists`);
      const sorted = [...list, frozenCopy(event)].sort((a, b) => a.seq - b.seq);
      setIn(undo, t.events, event.ticketId, sorted);
      return;
    }
    // The common case: the next seq. Append in place; the undo log pops it on rollback.
    const events = list;
    events.push(frozenCopy(event));
    record(undo, () => { events.pop(); });
  };

  function makeOps(undo: Undo): StoreOps {
    const ops: StoreOps = {
      async getCustomer(id) { return t.customers.has(id) ? clone(t.customers.get(id)!) : null; },
      async findCustomerByIdentity(identity: Identity) { return resolveCustomer(t.identities.get(identityKey(identity))); },
      async insertCustomer(customer) {
        if (t.customers.has(customer.id)) throw conflict(`Customer ${customer.id} exists`);
        claimIdentities(customer);
        setIn(undo, t.customers, customer.id, { ...clone(customer), version: customer.version ?? 1 });
        for (const identity of customer.identities) setIn(undo, t.identities, identityKey(identity), customer.id);
      },
      async updateCustomer(customer) {
        const old = t.customers.get(customer.id);
        if (!old) throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customer.id} not found` });
        const stored = old.version ?? 1;
        if (customer.version !== undefined && customer.version !== stored) {
          throw conflict(`Customer ${customer.id} changed meanwhile (version ${stored}, read ${customer.version})`, { customerId: customer.id, expectedVersion: customer.version });
        }
        claimIdentities(customer);
        for (const identity of old.identities) deleteIn(undo, t.identities, identityKey(identity));
        for (const identity of customer.identities) setIn(undo, t.identities, identityKey(identity), customer.id);
        setIn(undo, t.customers, customer.id, { ...clone(customer), version: stored + 1 });
      },
      async deleteCustomer(id) {
        const customer = t.customers.get(id);
        if (!customer) return { tickets: 0 };
        const ticketIds = [...(t.ticketsByCustomer.get(id) ?? [])];
        for (const ticketId of ticketIds) {
          const ticket = t.tickets.get(ticketId);
          for (const messageId of t.messagesByTicket.get(ticketId) ?? []) {
            const m = t.messages.get(messageId);
            if (m?.externalId) deleteIn(undo, t.messagesByExternal, `${m.channel}\u0000${m.externalId}`);
            deleteIn(undo, t.messages, messageId);
          }
          deleteIn(undo, t.messagesByTicket, ticketId);
          deleteIn(undo, t.events, ticketId);
          if (ticket) deleteIn(undo, t.ticketsByNumber, ticket.number);
          deleteIn(undo, t.tickets, ticketId);
          for (const [key, job] of t.jobs) if (job.ticketId === ticketId) deleteIn(undo, t.jobs, key);
        }
        deleteIn(undo, t.ticketsByCustomer, id);
        // The audit log of the person goes too: theirs and that of records merged into them.
        for (const [cid, other] of t.customers) {
          if (cid !== id && other.mergedInto !== id) continue;
          for (const e of t.customerEvents.get(cid) ?? []) {
            t.customerEventIds.delete(e.id);
            record(undo, () => t.customerEventIds.add(e.id));
          }
          deleteIn(undo, t.customerEvents, cid);
        }
        for (const identity of customer.identities) deleteIn(undo, t.identities, identityKey(identity));
        deleteIn(undo, t.customers, id);
        return { tickets: ticketIds.length };
      },

      async getTicket(id) { const x = t.tickets.get(id); return x ? cloneTicket(x) : null; },
      async getTicketByNumber(number) { const id = t.ticketsByNumber.get(number); return id ? cloneTicket(t.tickets.get(id)!) : null; },
      async nextTicketNumber() {
        const n = t.counter.ticketNumber + 1;
        t.counter.ticketNumber = n; // like a SQL sequence: never rolled back
        return n;
      },
      async insertTicket(ticket) {
        if (t.tickets.has(ticket.id)) throw conflict(`Ticket ${ticket.id} exists`);
        if (t.ticketsByNumber.has(ticket.number)) throw conflict(`Ticket number ${ticket.number} is taken`);
        const owner = t.customers.get(ticket.customerId);
        if (owner?.mergedInto) {
          // The customer was merged away after the caller read it: its retry finds the survivor.
          throw mergedCustomerConflict(ticket.customerId, owner.mergedInto);
        }
        refuseSecondOpenTicket(ticket);
        setIn(undo, t.tickets, ticket.id, cloneTicket(ticket));
        setIn(undo, t.ticketsByNumber, ticket.number, ticket.id);
        indexTicket(undo, ticket);
      },
      async updateTicket(ticket, expectedVersion) {
        const stored = t.tickets.get(ticket.id);
        if (!stored) throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${ticket.id} not found` });
        if (stored.version !== expectedVersion) throw conflict(`Ticket ${ticket.id} changed meanwhile (version ${stored.version}, expected ${expectedVersion})`, { ticketId: ticket.id });
        if (ticket.version !== expectedVersion + 1) throw new StoredeskError({ code: "INVALID_INPUT", message: "A ticket update must bump version by one", path: ["version"] });
        // Only a ticket that becomes an open one of its conversation can collide (the common update keeps it).
        if (openConversationKey(ticket) !== null && openConversationKey(ticket) !== openConversationKey(stored)) refuseSecondOpenTicket(ticket);
        setIn(undo, t.tickets, ticket.id, cloneTicket(ticket));
        if (stored.customerId !== ticket.customerId) {
          // The ticket moved to another customer (a customer merge): re-index it under the new one only.
          const previous = t.ticketsByCustomer.get(stored.customerId);
          if (previous?.has(ticket.id)) {
            const next = new Set(previous);
            next.delete(ticket.id);
            setIn(undo, t.ticketsByCustomer, stored.customerId, next);
          }
          indexTicket(undo, ticket);
        }
      },
      async listTickets(query: TicketQuery) {
        const ids: Iterable<string> = query.customerId ? t.ticketsByCustomer.get(query.customerId) ?? [] : t.tickets.keys();
        const out: Ticket[] = [];
        for (const id of ids) {
          const x = t.tickets.get(id);
          if (!x || x.customerId !== (query.customerId ?? x.customerId)) continue;
          if (query.status && !query.status.includes(x.status)) continue;
          if (query.channel && x.channel !== query.channel) continue;
          if (query.conversationKey !== undefined && x.conversationKey !== query.conversationKey) continue;
          if (query.slaDueBefore && (!x.slaDueAt || x.slaDueAt > query.slaDueBefore)) continue;
          out.push(x);
        }
        out.sort(query.newestFirst ? (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.number - a.number : (a, b) => a.number - b.number);
        return out.slice(0, query.limit ?? out.length).map(cloneTicket);
      },
      async findOpenTicketByConversation(customerId, channel, conversationKey) {
        let best: Ticket | null = null;
        for (const id of t.ticketsByCustomer.get(customerId) ?? []) {
          const x = t.tickets.get(id);
          if (!x || x.status === "closed" || x.mergedInto || x.channel !== channel || x.conversationKey !== conversationKey) continue;
          if (!best || x.updatedAt > best.updatedAt) best = x;
        }
        return best ? cloneTicket(best) : null;
      },

      async insertMessage(message) {
        if (t.messages.has(message.id)) throw conflict(`Message ${message.id} exists`);
        if (message.externalId !== null) {
          const key = `${message.channel}\u0000${message.externalId}`;
          if (t.messagesByExternal.has(key)) throw conflict(`Message ${message.channel}:${message.externalId} was already received`, { duplicate: true });
          setIn(undo, t.messagesByExternal, key, message.id);
        }
        setIn(undo, t.messages, message.id, frozenCopy(message));
        // Oldest first, ties in insertion order (the port's order; a late mail dated earlier slots in).
        const ids = [...(t.messagesByTicket.get(message.ticketId) ?? [])];
        let at = ids.length;
        while (at > 0 && t.messages.get(ids[at - 1]!)!.createdAt > message.createdAt) at--;
        ids.splice(at, 0, message.id);
        setIn(undo, t.messagesByTicket, message.ticketId, ids);
      },
      async getMessage(id) { return t.messages.get(id) ?? null; },
      async findMessageByExternalId(channel, externalId) {
        const id = t.messagesByExternal.get(`${channel}\u0000${externalId}`);
        return id ? t.messages.get(id)! : null;
      },
      async listMessages(ticketId) { return (t.messagesByTicket.get(ticketId) ?? []).map((id) => t.messages.get(id)!); },
      async updateMessageDelivery(id, status: DeliveryStatus, error) {
        const m = t.messages.get(id);
        if (!m) throw new StoredeskError({ code: "NOT_FOUND", message: `Message ${id} not found` });
        setIn(undo, t.messages, id, frozen({ ...m, deliveryStatus: status, deliveryError: clone(error) }));
      },
      async updateMessage(id, patch, options) {
        const m = t.messages.get(id);
        if (!m) throw new StoredeskError({ code: "NOT_FOUND", message: `Message ${id} not found` });
        const externalId = patch.externalId === undefined ? m.externalId : patch.externalId;
        if (externalId !== m.externalId) {
          const key = externalId === null ? null : `${m.channel}\u0000${externalId}`;
          if (key !== null && t.messagesByExternal.has(key)) {
            throw conflict(`Message ${m.channel}:${externalId} is already on record`, { duplicate: true });
          }
          if (m.externalId !== null) deleteIn(undo, t.messagesByExternal, `${m.channel}\u0000${m.externalId}`);
          if (key !== null) setIn(undo, t.messagesByExternal, key, id);
        }
        setIn(undo, t.messages, id, frozen({
          ...m, externalId,
          deliveryStatus: patch.deliveryStatus ?? m.deliveryStatus,
          deliveryError: patch.deliveryError === undefined ? m.deliveryError : clone(patch.deliveryError),
          meta: patch.meta ? { ...m.meta, ...clone(patch.meta) } : m.meta,
        }));
        if (options?.cancelJob) deleteIn(undo, t.jobs, options.cancelJob);
      },
      async moveMessages(fromTicketId, toTicketId) {
        const moving = t.messagesByTicket.get(fromTicketId) ?? [];
        for (const id of moving) setIn(undo, t.messages, id, frozen({ ...t.messages.get(id)!, ticketId: toTicketId }));
        const merged = [...(t.messagesByTicket.get(toTicketId) ?? []), ...moving]
          .sort((a, b) => t.messages.get(a)!.createdAt.getTime() - t.messages.get(b)!.createdAt.getTime());
        setIn(undo, t.messagesByTicket, toTicketId, merged);
        setIn(undo, t.messagesByTicket, fromTicketId, []);
        return moving.length;
      },

      async appendEvent(event) { appendOne(undo, event); },
      async appendEvents(events) {
        for (const event of events) appendOne(undo, event);
      },
      async listEvents(ticketId) { return [...(t.events.get(ticketId) ?? [])]; },

      async getIdempotency(scope, key) { const r = t.idempotency.get(`${scope}\u0000${key}`); return r ? clone(r) : null; },
      async putIdempotency(record) {
        const k = `${record.scope}\u0000${record.key}`;
        if (t.idempotency.has(k)) throw conflict(`Idempotency key ${record.scope}/${record.key} exists`, { duplicate: true });
        setIn(undo, t.idempotency, k, clone(record));
      },

      async deleteIdempotency(scope, key) {
        const k = `${scope}\u0000${key}`;
        if (!t.idempotency.has(k)) return false;
        deleteIn(undo, t.idempotency, k);
        return true;
      },

      async purgeExpiredRecords(namespace, now, limit = 1000) {
        const space = t.records.get(namespace);
        let purged = 0;
        for (const [key, r] of space ?? []) {
          if (purged >= limit) break;
          if (live(r, now)) continue;
          deleteIn(undo, space!, key);
          purged++;
        }
        return purged;
      },

      async appendCustomerEvent(event) {
        if (t.customerEventIds.has(event.id)) throw conflict(`Customer event ${event.id} exists`, { eventId: event.id });
        const list = t.customerEvents.get(event.customerId) ?? [];
        setIn(undo, t.customerEvents, event.customerId, [...list, frozenCopy(event)]);
        t.customerEventIds.add(event.id);
        record(undo, () => t.customerEventIds.delete(event.id));
      },
      async listCustomerEvents(customerId) { return [...(t.customerEvents.get(customerId) ?? [])]; },

      async getRecord(namespace, key, now = new Date()) {
        const r = t.records.get(namespace)?.get(key);
        return r && live(r, now) ? clone(r) : null;
      },
      async putRecord(input, expectedVersion) {
        const r = checkRecordInput(input);
        const at = r.updatedAt ?? new Date();
        let space = t.records.get(r.namespace);
        if (!space) {
          space = new Map();
          setIn(undo, t.records, r.namespace, space);
        }
        const old = space.get(r.key);
        const stored = old && live(old, at) ? old : undefined;
        if (expectedVersion === null && stored) {
          throw conflict(`Record ${r.namespace}/${r.key} exists`, { duplicate: true, version: stored.version });
        }
        if (typeof expectedVersion === "number" && stored?.version !== expectedVersion) {
          throw conflict(`Record ${r.namespace}/${r.key} changed (version ${stored?.version ?? "none"}, expected ${expectedVersion})`);
        }
        const next: KeyedRecord = {
          namespace: r.namespace, key: r.key, value: r.value, version: (stored?.version ?? 0) + 1, updatedAt: at, expiresAt: r.expiresAt,
        };
        setIn(undo, space, r.key, clone(next));
        return clone(next);
      },
      async deleteRecord(namespace, key) {
        checkRecordKey(key);
        const space = t.records.get(namespace);
        if (!space?.has(key)) return false;
        deleteIn(undo, space, key);
        return true;
      },
      async listRecords(namespace, query = {}) {
        const now = query.now ?? new Date();
        const limit = query.limit ?? 1000;
        if (!Number.isSafeInteger(limit) || limit < 0) {
          throw new StoredeskError({ code: "INVALID_INPUT", message: "limit must be a non-negative integer", path: ["limit"] });
        }
        const keys = [...(t.records.get(namespace)?.keys() ?? [])].sort(byCodePoint);
        const out: KeyedRecord[] = [];
        for (const key of keys) {
          if (out.length >= limit) break;
          if (query.prefix !== undefined && !key.startsWith(query.prefix)) continue;
          if (query.afterKey !== undefined && byCodePoint(key, query.afterKey) <= 0) continue;
          const r = t.records.get(namespace)!.get(key)!;
          if (!live(r, now)) continue;
          out.push(clone(r));
        }
        return out;
      },

      async scheduleJob(job) { setIn(undo, t.jobs, job.key, clone({ ...job, lockedBy: job.lockedBy ?? null, lockedUntil: job.lockedUntil ?? null })); },
      async cancelJob(key) { deleteIn(undo, t.jobs, key); },
      async listJobs(filter) {
        return [...t.jobs.values()].filter((j) => !filter?.ticketId || j.ticketId === filter.ticketId).sort((a, b) => a.runAt.getTime() - b.runAt.getTime()).map(clone);
      },
    };
    return ops;
  }

  const direct = makeOps(null);
  // The transaction a call runs inside, so the store's own methods called from within it join it
  // (instead of waiting for the lock the transaction holds).
  const current = new AsyncLocalStorage<{ ops: StoreOps; undo: Array<() => void>; active: boolean }>();
  // Single operations outside a transaction still take the lock, so they never interleave with one.
  const locked = Object.fromEntries(
    Object.entries(direct).map(([name, fn]) => [name, (...args: unknown[]) => {
      const tx = current.getStore();
      // Only while the transaction runs: work it started that outlives it takes the lock like any caller.
      if (tx?.active) return (tx.ops[name as keyof StoreOps] as (...a: unknown[]) => Promise<unknown>)(...args);
      return exclusive(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
    }]),
  ) as unknown as StoreOps;

  const scheduler: Scheduler = {
    specVersion: 1,
    claimDue: (now, { workerId, limit, leaseMs }) => exclusive(async () => {
      const due = [...t.jobs.values()]
        .filter((j) => j.runAt <= now && (!j.lockedUntil || j.lockedUntil <= now))
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
        .slice(0, limit);
      const lockedUntil = new Date(now.getTime() + leaseMs);
      for (const j of due) t.jobs.set(j.key, { ...j, lockedBy: workerId, lockedUntil });
      return due.map((j) => clone({ ...j, lockedBy: workerId, lockedUntil }));
    }),
    complete: (job) => exclusive(async () => { if (t.jobs.get(job.key)?.id === job.id) t.jobs.delete(job.key); }),
    fail: (job, retryAt) => exclusive(async () => {
      const current = t.jobs.get(job.key);
      if (current?.id === job.id) t.jobs.set(job.key, { ...current, attempts: current.attempts + 1, runAt: retryAt, lockedBy: null, lockedUntil: null });
    }),
  };

  return {
    specVersion: 1,
    ...locked,
    scheduler,
    transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
      const outer = current.getStore();
      if (outer?.active) {
        // Nested: a savepoint in the enclosing transaction. A failure undoes only its own writes.
        const mark = outer.undo.length;
        return fn(outer.ops).catch((err: unknown) => {
          for (let i = outer.undo.length - 1; i >= mark; i--) outer.undo[i]!();
          outer.undo.length = mark;
          throw err;
        });
      }
      return exclusive(async () => {
        const undo: Array<() => void> = [];
        const context = { ops: makeOps(undo), undo, active: true };
        try {
          return await current.run(context, () => fn(context.ops));
        } catch (err) {
          for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
          throw err;
        } finally {
          context.active = false;
        }
      });
    },
  };
}
