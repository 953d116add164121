import type { Customer, Identity } from "../domain/customer.js";
import type { CustomerEvent } from "../domain/customer-event.js";
import type { Job } from "../domain/job.js";
import type { Message, DeliveryStatus } from "../domain/message.js";
import type { Ticket, TicketStatus } from "../domain/index.js";
import type { TicketEvent } from "../domain/event.js";

/** Filter for {@link StoreOps.listTickets}. All fields combine with AND. */
export interface TicketQuery {
  status?: TicketStatus[];
  customerId?: string;
  channel?: string;
  /** Only tickets with this conversation key. */
  conversationKey?: string;
  /** Only tickets whose `slaDueAt` is at or before this instant (the "due soon" queue). */
  slaDueBefore?: Date;
  /** Newest first by `updatedAt` when true; otherwise oldest `number` first. */
  newestFirst?: boolean;
  limit?: number;
}

/** A stored result of an idempotent operation (webhook id, commerce action key). */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  /** JSON-safe result returned again on a repeat. */
  result: unknown;
  createdAt: Date;
}

/**
 * A value a plugin keeps in the store under `(namespace, key)`: articles, cursors, counters,
 * settings. The store treats `value` as opaque JSON; `version` starts at 1 and grows by one on
 * every write, so writers can compare-and-set.
 */
export interface KeyedRecord {
  /** Who owns the record, e.g. `knowledge.articles` or `naver.qna-cursor` (a plugin's own prefix). */
  namespace: string;
  key: string;
  /** JSON-safe data (objects, arrays, strings, finite numbers, booleans, null). */
  value: unknown;
  version: number;
  updatedAt: Date;
  /** After this instant the record reads as absent and may be deleted; null keeps it. */
  expiresAt: Date | null;
}

/** What {@link StoreOps.putRecord} writes; the store sets `version` and `updatedAt`. */
export interface KeyedRecordInput {
  namespace: string;
  key: string;
  value: unknown;
  expiresAt?: Date | null;
  /** The write's time (the desk's clock); defaults to the store's `now`. */
  updatedAt?: Date;
}

/** Filter for {@link StoreOps.listRecords}: keys in ascending order. */
export interface RecordQuery {
  /** Only keys starting with this. */
  prefix?: string;
  /** Only keys after this one (paging). */
  afterKey?: string;
  /** At most this many (default 1,000). */
  limit?: number;
  /** Records expired at this instant are left out (default: the store's now). */
  now?: Date;
}

/** What {@link StoreOps.updateMessage} may change on a message (the outbox's delivery facts). */
export interface MessagePatch {
  deliveryStatus?: DeliveryStatus;
  deliveryError?: Message["deliveryError"];
  externalId?: string | null;
  /** Merged into the stored meta, key by key. */
  meta?: Record<string, unknown>;
}

/**
 * Everything a store can read and write. Inside {@link Store.transaction} the
 * same operations run atomically: all of them land, or none.
 *
 * Implementations must hold these invariants (the conformance suite in
 * `@storedesk/core/testing` checks them):
 * - `insertMessage` with an `(channel, externalId)` pair that exists throws CONFLICT and writes nothing;
 * - `updateTicket` with a stale `expectedVersion` throws CONFLICT and writes nothing;
 * - `insertCustomer`/`updateCustomer` with an identity another customer holds throws CONFLICT;
 * - customers carry a `version` (1 on insert, +1 per update); `updateCustomer` of a copy whose
 *   `version` is no longer the stored one throws CONFLICT and writes nothing;
 * - at most one ticket per `(customerId, channel, conversationKey)` is open (not `closed`, not
 *   merged, key not null): a second one is refused with a retryable CONFLICT whose details carry
 *   `openConversation: true` and `openTicketId`, also when two transactions race to insert;
 * - `insertTicket` for a customer with `mergedInto` set throws a retryable CONFLICT;
 * - returned objects are copies, or frozen (immutable records such as messages and events):
 *   mutating a result never changes what is stored. A returned ticket's `sla` and `complaint` may
 *   be frozen (the memory store shares them between reads): replace them, never edit them in place.
 */
export interface StoreOps {
  // Customers
  getCustomer(id: string): Promise<Customer | null>;
  /** Finds the customer holding a (normalized) identity, following `mergedInto`. */
  findCustomerByIdentity(identity: Identity): Promise<Customer | null>;
  insertCustomer(customer: Customer): Promise<void>;
  /**
   * Replaces a customer's fields and identity set (identities must stay unique across customers)
   * and bumps its version. When `customer.version` is set it must be the stored version (the copy
   * was read from the store and nobody wrote since), else CONFLICT and nothing is written.
   */
  updateCustomer(customer: Customer): Promise<void>;
  /** Erases a customer: deletes the row, identities, tickets, messages, events and jobs of the customer. Returns how many tickets went. */
  deleteCustomer(id: string): Promise<{ tickets: number }>;

  // Tickets
  getTicket(id: string): Promise<Ticket | null>;
  getTicketByNumber(number: number): Promise<Ticket | null>;
  /** Allocates the next ticket number (unique, increasing; gaps allowed after rollbacks). */
  nextTicketNumber(): Promise<number>;
  insertTicket(ticket: Ticket): Promise<void>;
  /**
   * Writes `ticket` (whose `version` must be `expectedVersion + 1`) if the stored
   * version is still `expectedVersion`; otherwise throws CONFLICT and writes nothing.
   */
  updateTicket(ticket: Ticket, expectedVersion: number): Promise<void>;
  listTickets(query: TicketQuery): Promise<Ticket[]>;
  /**
   * The most recently updated ticket of `customerId` on `channel` with this conversation key
   * whose status is not `closed` and that is not merged, or null.
   */
  findOpenTicketByConversation(customerId: string, channel: string, conversationKey: string): Promise<Ticket | null>;

  // Messages
  /**
   * Inserts a message. `options.scheduleJob` also writes that job (replacing one with its key),
   * atomically with the message: both or, when the message conflicts, neither (the outbox's
   * queued message and its send job; one statement on PostgreSQL).
   */
  insertMessage(message: Message, options?: { scheduleJob?: Job }): Promise<void>;
  getMessage(id: string): Promise<Message | null>;
  findMessageByExternalId(channel: string, externalId: string): Promise<Message | null>;
  /** Messages of a ticket, oldest first (ties broken by insertion order). */
  listMessages(ticketId: string): Promise<Message[]>;
  updateMessageDelivery(id: string, status: DeliveryStatus, error: Message["deliveryError"]): Promise<void>;
  /**
   * The outbox's write once a provider answered: sets the delivery status, error, provider id
   * and merges `meta` (shallow) into the message's. NOT_FOUND when there is no such message;
   * CONFLICT (`details.duplicate`) when another message of the channel holds the provider id.
   * `options.cancelJob` also deletes the pending job with that key, atomically with the update
   * (the outbox's send job; one statement on PostgreSQL).
   */
  updateMessage(id: string, patch: MessagePatch, options?: { cancelJob?: string }): Promise<void>;
  /** Moves every message of `fromTicketId` to `toTicketId` (ticket merge). */
  moveMessages(fromTicketId: string, toTicketId: string): Promise<number>;

  // Audit log (append-only: there is no update or delete of a single event)
  appendEvent(event: TicketEvent): Promise<void>;
  /**
   * Appends several events (of one or more tickets) at once; optional. The desk uses it
   * when present to save round trips; it must behave exactly like `appendEvent` in a loop.
   */
  appendEvents?(events: TicketEvent[]): Promise<void>;
  /** Events of a ticket ordered by `seq`. */
  listEvents(ticketId: string): Promise<TicketEvent[]>;

  // Idempotency of operations other than ingest (webhook ids, commerce actions)
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>;
  /** Stores a record; throws CONFLICT if `(scope, key)` exists. */
  putIdempotency(record: IdempotencyRecord): Promise<void>;

  // Jobs (written in the same transaction as the ticket change that causes them)
  /**
   * Inserts the job, or replaces the job with the same `key` (the replacement carries
   * the new id, runAt and payload, so a running copy's `complete` leaves it alone). The job's
   * `lockedBy`/`lockedUntil` are kept as given: a job written with a lease (the outbox's send,
   * which the writing instance performs itself right after commit) is claimable by
   * `claimDue` only once that lease has ended. Jobs written without one carry none.
   */
  scheduleJob(job: Job): Promise<void>;
  /** Removes the pending job with this key, if any. */
  cancelJob(key: string): Promise<void>;
  listJobs(filter?: { ticketId?: string }): Promise<Job[]>;

  // Keyed records (plugins keep their own data here without store-specific code)
  /** The record, or null when absent or expired at `now` (default: the store's now). */
  getRecord(namespace: string, key: string, now?: Date): Promise<KeyedRecord | null>;
  /**
   * Writes a record and returns it as stored. `expectedVersion` undefined: insert or replace;
   * null: insert only (CONFLICT with `details.duplicate` when a live record exists); a number:
   * replace only if the stored version is that number (CONFLICT otherwise, nothing written).
   * An expired record counts as absent (version restarts at 1).
   */
  putRecord(record: KeyedRecordInput, expectedVersion?: number | null): Promise<KeyedRecord>;
  /** Deletes the record; true when one was there. */
  deleteRecord(namespace: string, key: string): Promise<boolean>;
  /** Live records of a namespace by key, ascending. */
  listRecords(namespace: string, query?: RecordQuery): Promise<KeyedRecord[]>;
  /** Deletes an idempotency record (a parked receipt applied, a claim released); true when one was there. */
  deleteIdempotency(scope: string, key: string): Promise<boolean>;
  /**
   * Deletes records of `namespace` that expired at or before `now`, at most `limit` (default 1,000)
   * of them; returns how many went. Expired records already read as absent: this frees their space.
   */
  purgeExpiredRecords(namespace: string, now: Date, limit?: number): Promise<number>;

  // Customer audit log (append-only, like the ticket log; erased with the customer)
  /** Appends an event to a customer's log; CONFLICT if its id exists. */
  appendCustomerEvent(event: CustomerEvent): Promise<void>;
  /**
   * A customer's events in append order. `deleteCustomer` removes them, and those of customers
   * merged into it (their data lives on in the survivor).
   */
  listCustomerEvents(customerId: string): Promise<CustomerEvent[]>;
}

/** A pluggable persistence back end. */
export interface Store extends StoreOps {
  readonly specVersion: 1;
  /**
   * Runs `fn` atomically. If it throws, nothing it wrote stays and the error is rethrown.
   * Transactions must be isolated enough that the store invariants hold under concurrency.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T>;
  /**
   * The scheduler over this store's jobs, when the store has one (memory and
   * PostgreSQL stores do). `createDesk` uses it unless given another.
   */
  readonly scheduler?: import("./scheduler.js").Scheduler;
  /** Releases connections. */
  close?(): Promise<void>;
}
