/** The storedesk `Store` port on PostgreSQL (node-postgres) or PGlite, with one set of SQL for both. */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CustomerSchema,
  DeliveryStatusSchema,
  IdentitySchema,
  JobSchema,
  MessageSchema,
  StoredeskError,
  TicketEventSchema,
  TicketSchema,
  TicketStatusSchema,
  mergedCustomerConflict,
  normalizeIdentity,
  openConversationConflict,
  parseInput,
  type Customer,
  type IdempotencyRecord,
  type Identity,
  type Store,
  type StoreOps,
  type TicketQuery,
} from "@storedesk/core";
import { openConnection, registerConnection, type Connection, type PostgresConnection, type PostgresOptions } from "./connection.js";
import { schedulerOn, type PostgresScheduler } from "./postgres-scheduler.js";
import {
  CUSTOMER_COLUMNS,
  EVENT_COLUMNS,
  JOB_COLUMNS,
  MESSAGE_COLUMNS,
  MESSAGE_PLACEHOLDERS,
  TICKET_COLUMNS,
  TICKET_PLACEHOLDERS,
  identitiesSubquery,
  json,
  messageParams,
  ticketParams,
  toCustomer,
  toEvent,
  toIdempotency,
  toJob,
  toMessage,
  toTicket,
  type CustomerRow,
  type EventRow,
  type IdempotencyRow,
  type JobRow,
  type MessageRow,
  type TicketRow,
} from "./rows.js";
import type { SqlClient } from "./sql-client.js";
import { recordOps } from "./record-ops.js";
import { customerEventOps } from "./customer-event-ops.js";

/** A {@link Store} on PostgreSQL, with its migration hook. */
export interface PostgresStore extends Store {
  /** The schema holding the tables. */
  readonly schema: string;
  /** The scheduler over this store's jobs (the same as `postgresScheduler(store)`); `createDesk` picks it up. */
  readonly scheduler: PostgresScheduler;
  /**
   * Applies pending migrations now (they also run automatically before the first
   * statement unless `migrate: false`). Returns the versions applied.
   */
  migrate(): Promise<number[]>;
  /** Ends the pool or PGlite instance if the store created it (from `connectionString`); a pool or PGlite you passed stays open. */
  close(): Promise<void>;
}

function invalid(message: string, path: Array<string | number>): StoredeskError {
  return new StoredeskError({ code: "INVALID_INPUT", message, path });
}

// zod is not a dependency of this package: the two small shapes below are checked by hand.
function checkIdempotency(r: IdempotencyRecord): IdempotencyRecord {
  if (typeof r !== "object" || r === null) throw invalid("idempotency record must be an object", []);
  if (typeof r.scope !== "string" || r.scope.length === 0) throw invalid("idempotency scope must be a non-empty string", ["scope"]);
  if (typeof r.key !== "string" || r.key.length === 0) throw invalid("idempotency key must be a non-empty string", ["key"]);
  if (!(r.createdAt instanceof Date) || Number.isNaN(r.createdAt.getTime())) throw invalid("idempotency createdAt must be a valid Date", ["createdAt"]);
  return r;
}

function checkQuery(q: TicketQuery | undefined): TicketQuery {
  const query = q ?? {};
  query.status?.forEach((st, i) => parseInput(TicketStatusSchema, st, `ticket query status[${i}]`));
  if (query.slaDueBefore !== undefined && (!(query.slaDueBefore instanceof Date) || Number.isNaN(query.slaDueBefore.getTime()))) {
    throw invalid("slaDueBefore must be a valid Date", ["slaDueBefore"]);
  }
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0)) throw invalid("limit must be a non-negative integer", ["limit"]);
  return query;
}

function conflict(message: string, details?: Record<string, unknown>): StoredeskError {
  return new StoredeskError({ code: "CONFLICT", message, retryable: true, ...(details ? { details } : {}) });
}

function notFound(message: string): StoredeskError {
  return new StoredeskError({ code: "NOT_FOUND", message });
}

/**
 * Runs a multi-statement write atomically: its own transaction outside one, a
 * SAVEPOINT inside one (so a CONFLICT leaves the caller's transaction usable).
 */
function atomic<T>(db: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

function identityRows(identities: readonly Identity[]): string {
  return json(identities.map((i, position) => ({ position, kind: i.kind, value: i.value, norm: normalizeIdentity(i).value })))!;
}

function makeOps(conn: Connection, db: () => SqlClient): StoreOps {
  const { s } = conn;
  const selectCustomer = `SELECT ${CUSTOMER_COLUMNS}, ${identitiesSubquery(s)} FROM ${s}.customers c`;
  const insertIdentities = `INSERT INTO ${s}.customer_identities (customer_id, position, kind, value, norm_value)
    SELECT $1, x.position, x.kind, x.value, x.norm FROM jsonb_to_recordset($2::text::jsonb) AS x(position integer, kind text, value text, norm text)`;

  async function getCustomer(id: string): Promise<Customer | null> {
    await conn.ready();
    const { rows } = await db().query<CustomerRow>(`${selectCustomer} WHERE c.id = $1`, [id]);
    return rows[0] ? toCustomer(rows[0]) : null;
  }

  return {
    ...recordOps(conn, db),
    ...customerEventOps(conn, db),
    getCustomer,

    async findCustomerByIdentity(identity) {
      const n = normalizeIdentity(parseInput(IdentitySchema, identity, "identity"));
      await conn.ready();
      // Follow mergedInto to the surviving customer (bounded, so a cycle cannot loop forever).
      const { rows } = await db().query<CustomerRow>(
        `WITH RECURSIVE chain (id, merged_into, depth) AS (
           SELECT c.id, c.merged_into, 0 FROM ${s}.customer_identities i JOIN ${s}.customers c ON c.id = i.customer_id
            WHERE i.kind = $1 AND i.norm_value = $2
           UNION ALL
           SELECT c.id, c.merged_into, chain.depth + 1 FROM chain JOIN ${s}.customers c ON c.id = chain.merged_into WHERE chain.depth < 32
         )
         ${selectCustomer} WHERE c.id = (SELECT id FROM chain ORDER BY depth DESC LIMIT 1)`,
        [n.kind, n.value],
      );
      return rows[0] ? toCustomer(rows[0]) : null;
    },

    async insertCustomer(input) {
      const c = parseInput(CustomerSchema, input, "customer");
      await conn.ready();
      const client = db();
      const params = [c.id, identityRows(c.identities), c.name, c.locale, json(c.attributes), c.createdAt, c.updatedAt, c.mergedInto, c.version ?? 1];
      const insertCustomer = `INSERT INTO ${s}.customers (id, name, locale, attributes, created_at, updated_at, merged_into, version)
             VALUES ($1, $3, $4, $5::text::jsonb, $6, $7, $8, $9)`;
      const taken = (): StoredeskError => conflict(`customer ${c.id} or one of its identities already exists`, { customerId: c.id });
      if (!client.inTransaction) {
        // One statement: the customer row and its identities land together or not at all.
        await client
          .query(`WITH c AS (${insertCustomer} RETURNING id) ${insertIdentities.replace("FROM jsonb_to_recordset", "FROM c, jsonb_to_recordset")}`, params)
          .catch((err: unknown) => {
            throw StoredeskError.is(err, "CONFLICT") ? taken() : err;
          });
        return;
      }
      // Inside a transaction a unique violation would abort the caller's whole transaction, so
      // conflicts are skipped (ON CONFLICT DO NOTHING) and counted instead; if any row was
      // skipped, the rows this statement did write are removed again before reporting CONFLICT.
      const { rows } = await client.query<{ customers: number; identities: number }>(
        `WITH c AS (${insertCustomer} ON CONFLICT DO NOTHING RETURNING id),
              i AS (${insertIdentities.replace("FROM jsonb_to_recordset", "FROM c, jsonb_to_recordset")} ON CONFLICT DO NOTHING RETURNING 1)
         SELECT (SELECT count(*) FROM c)::integer AS customers, (SELECT count(*) FROM i)::integer AS identities`,
        params,
      );
      const written = rows[0]!;
      if (written.customers === 1 && written.identities === c.identities.length) return;
      if (written.customers === 1) await client.query(`DELETE FROM ${s}.customers WHERE id = $1`, [c.id]); // identities cascade
      throw taken();
    },

    async updateCustomer(input) {
      const c = parseInput(CustomerSchema, input, "customer");
      await conn.ready();
      await atomic(db(), async (tx) => {
        // With the version the caller read: a compare-and-set (the row lock makes a racing
        // writer wait, then re-check the version, so exactly one of two stale copies lands).
        const updated = await tx.query(
          `UPDATE ${s}.customers SET name = $2, locale = $3, attributes = $4::text::jsonb, created_at = $5, updated_at = $6,
             merged_into = $7, version = version + 1 WHERE id = $1 AND ($8::integer IS NULL OR version = $8)`,
          [c.id, c.name, c.locale, json(c.attributes), c.createdAt, c.updatedAt, c.mergedInto, c.version ?? null],
        );
        if (updated.rowCount === 0) {
          const exists = await tx.query(`SELECT 1 FROM ${s}.customers WHERE id = $1`, [c.id]);
          if (exists.rows.length === 0) throw notFound(`customer ${c.id} not found`);
          throw new StoredeskError({
            code: "CONFLICT", message: `customer ${c.id} changed since version ${c.version}`, retryable: true,
            details: { customerId: c.id, expectedVersion: c.version, stale: true },
          });
        }
        await tx.query(`DELETE FROM ${s}.customer_identities WHERE customer_id = $1`, [c.id]);
        await tx.query(insertIdentities, [c.id, identityRows(c.identities)]);
      }).catch((err: unknown) => {
        if (StoredeskError.is(err, "CONFLICT") && err.details?.stale === true) throw err;
        throw StoredeskError.is(err, "CONFLICT") ? conflict(`an identity of customer ${c.id} belongs to another customer`, { customerId: c.id }) : err;
      });
    },

    async deleteCustomer(id) {
      await conn.ready();
      return atomic(db(), async (tx) => {
        // Erasure is the one path allowed to delete audit events (see the trigger in the migrations).
        await tx.query("SELECT set_config('storedesk.erasing', 'on', true)");
        const tickets = `SELECT id FROM ${s}.tickets WHERE customer_id = $1`;
        await tx.query(`DELETE FROM ${s}.jobs WHERE ticket_id IN (${tickets})`, [id]);
        await tx.query(`DELETE FROM ${s}.ticket_events WHERE ticket_id IN (${tickets})`, [id]);
        await tx.query(`DELETE FROM ${s}.messages WHERE ticket_id IN (${tickets})`, [id]);
        const deleted = await tx.query(`DELETE FROM ${s}.tickets WHERE customer_id = $1`, [id]);
        // The person's customer log, and that of records merged into them (their data lives on here).
        await tx.query(
          `DELETE FROM ${s}.customer_events WHERE customer_id = $1 OR customer_id IN (SELECT id FROM ${s}.customers WHERE merged_into = $1)`,
          [id],
        );
        await tx.query(`DELETE FROM ${s}.customers WHERE id = $1`, [id]); // identities go by ON DELETE CASCADE
        await tx.query("SELECT set_config('storedesk.erasing', 'off', true)");
        return { tickets: deleted.rowCount };
      });
    },

    async getTicket(id) {
      await conn.ready();
      const { rows } = await db().query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM ${s}.tickets WHERE id = $1`, [id]);
      return rows[0] ? toTicket(rows[0]) : null;
    },

    async getTicketByNumber(number) {
      await conn.ready();
      if (!Number.isSafeInteger(number) || number <= 0 || number > 2_147_483_647) return null;
      const { rows } = await db().query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM ${s}.tickets WHERE number = $1`, [number]);
      return rows[0] ? toTicket(rows[0]) : null;
    },

    async nextTicketNumber() {
      await conn.ready();
      const { rows } = await db().query<{ n: number }>(`SELECT nextval('${s}.ticket_number_seq')::integer AS n`);
      return rows[0]!.n;
    },

    async insertTicket(input) {
      const t = parseInput(TicketSchema, input, "ticket");
      await conn.ready();
      // ON CONFLICT DO NOTHING reports a duplicate id/number, or a second open ticket of the
      // conversation (the partial unique index; a racing insert is waited for), without aborting
      // the caller's transaction. The trigger refuses a customer merged away meanwhile (40001).
      const { rowCount } = await db()
        .query(`INSERT INTO ${s}.tickets (${TICKET_COLUMNS}) VALUES (${TICKET_PLACEHOLDERS}) ON CONFLICT DO NOTHING`, ticketParams(t))
        .catch((err: unknown) => {
          const cause = StoredeskError.is(err, "CONFLICT") ? (err.cause as { code?: string } | undefined) : undefined;
          if (cause?.code !== "40001") throw err;
          const merged = /merged into (\S+)/.exec(String((cause as { message?: string }).message))?.[1] ?? null;
          throw mergedCustomerConflict(t.customerId, merged);
        });
      if (rowCount === 1) return;
      const { rows } = await db().query<{ id: string; open: boolean }>(
        `SELECT id, (id <> $1 AND number <> $2) AS open FROM ${s}.tickets
          WHERE id = $1 OR number = $2 OR (customer_id = $3 AND channel = $4 AND conversation_key = $5
            AND status <> 'closed' AND merged_into IS NULL)`,
        [t.id, t.number, t.customerId, t.channel, t.conversationKey],
      );
      const open = rows.find((r) => r.open);
      if (open && !rows.some((r) => !r.open)) throw openConversationConflict(t, open.id);
      throw conflict(`ticket ${t.id} or number ${t.number} already exists`, { ticketId: t.id, number: t.number });
    },

    async updateTicket(input, expectedVersion) {
      const t = parseInput(TicketSchema, input, "ticket");
      if (!Number.isSafeInteger(expectedVersion) || t.version !== expectedVersion + 1) {
        throw new StoredeskError({ code: "INVALID_INPUT", message: `ticket.version must be expectedVersion + 1 (got ${t.version} for ${expectedVersion})`, path: ["version"] });
      }
      await conn.ready();
      const cols = TICKET_COLUMNS.split(", ");
      const placeholders = TICKET_PLACEHOLDERS.split(", ");
      const set = cols.map((col, i) => `${col} = ${placeholders[i]}`).filter((_, i) => i > 0).join(", ");
      const { rowCount } = await db().query(`UPDATE ${s}.tickets SET ${set} WHERE id = $1 AND version = $28`, [...ticketParams(t), expectedVersion]);
      if (rowCount === 1) return;
      const exists = await db().query(`SELECT 1 FROM ${s}.tickets WHERE id = $1`, [t.id]);
      if (exists.rows.length === 0) throw notFound(`ticket ${t.id} not found`);
      throw conflict(`ticket ${t.id} changed since version ${expectedVersion}`, { ticketId: t.id, expectedVersion });
    },

    async listTickets(input) {
      const q = checkQuery(input);
      await conn.ready();
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: (p: string) => string, value: unknown): void => {
        params.push(value);
        where.push(sql(`$${params.length}`));
      };
      if (q.status) add((p) => `status = ANY(${p}::text[])`, q.status);
      if (q.customerId !== undefined) add((p) => `customer_id = ${p}`, q.customerId);
      if (q.channel !== undefined) add((p) => `channel = ${p}`, q.channel);
      if (q.conversationKey !== undefined) add((p) => `conversation_key = ${p}`, q.conversationKey);
      if (q.slaDueBefore) add((p) => `sla_due_at <= ${p}`, q.slaDueBefore);
      let sql = `SELECT ${TICKET_COLUMNS} FROM ${s}.tickets`;
      if (where.length > 0) sql += ` WHERE ${where.join(" AND ")}`;
      sql += q.newestFirst ? " ORDER BY updated_at DESC, number DESC" : " ORDER BY number ASC";
      if (q.limit !== undefined) {
        params.push(q.limit);
        sql += ` LIMIT $${params.length}`;
      }
      const { rows } = await db().query<TicketRow>(sql, params);
      return rows.map(toTicket);
    },

    async findOpenTicketByConversation(customerId, channel, conversationKey) {
      await conn.ready();
      const { rows } = await db().query<TicketRow>(
        `SELECT ${TICKET_COLUMNS} FROM ${s}.tickets
          WHERE customer_id = $1 AND channel = $2 AND conversation_key = $3 AND status <> 'closed' AND merged_into IS NULL
          ORDER BY updated_at DESC, number DESC LIMIT 1`,
        [customerId, channel, conversationKey],
      );
      return rows[0] ? toTicket(rows[0]) : null;
    },

    async insertMessage(input) {
      const m = parseInput(MessageSchema, input, "message");
      await conn.ready();
      const { rowCount } = await db().query(`INSERT INTO ${s}.messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PLACEHOLDERS}) ON CONFLICT DO NOTHING`, messageParams(m));
      if (rowCount === 0) {
        // details.duplicate marks a redelivery (same channel + external id), which callers treat as done, not retry.
        const byExternal = m.externalId === null ? [] : (await db().query(`SELECT 1 FROM ${s}.messages WHERE channel = $1 AND external_id = $2`, [m.channel, m.externalId])).rows;
        if (byExternal.length > 0) throw conflict(`${m.channel} message ${m.externalId} was already received`, { duplicate: true, channel: m.channel, externalId: m.externalId });
        throw conflict(`message ${m.id} already exists`, { messageId: m.id });
      }
    },

    async getMessage(id) {
      await conn.ready();
      const { rows } = await db().query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages WHERE id = $1`, [id]);
      return rows[0] ? toMessage(rows[0]) : null;
    },

    async findMessageByExternalId(channel, externalId) {
      await conn.ready();
      const { rows } = await db().query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages WHERE channel = $1 AND external_id = $2`, [channel, externalId]);
      return rows[0] ? toMessage(rows[0]) : null;
    },

    async listMessages(ticketId) {
      await conn.ready();
      const { rows } = await db().query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages WHERE ticket_id = $1 ORDER BY created_at, position`, [ticketId]);
      return rows.map(toMessage);
    },

    async updateMessageDelivery(id, status, error) {
      const st = parseInput(DeliveryStatusSchema, status, "delivery status");
      const err = parseInput(MessageSchema.shape.deliveryError, error ?? null, "delivery error");
      await conn.ready();
      const { rowCount } = await db().query(`UPDATE ${s}.messages SET delivery_status = $2, delivery_error = $3::text::jsonb WHERE id = $1`, [id, st, json(err)]);
      if (rowCount === 0) throw notFound(`message ${id} not found`);
    },

    async updateMessage(id, patch, options) {
      const st = patch.deliveryStatus === undefined ? null : parseInput(DeliveryStatusSchema, patch.deliveryStatus, "delivery status");
      const err = patch.deliveryError === undefined ? undefined : parseInput(MessageSchema.shape.deliveryError, patch.deliveryError, "delivery error");
      const ext = patch.externalId === undefined ? undefined : parseInput(MessageSchema.shape.externalId, patch.externalId, "external id");
      await conn.ready();
      // One statement: the provider's answer and the attempt count land together.
      // The outbox's job goes in the same statement (a data-modifying CTE): one round trip per send.
      const dropJob = options?.cancelJob ? `WITH dropped AS (DELETE FROM ${s}.jobs WHERE key = $8) ` : "";
      const result = await db().query(
        `${dropJob}UPDATE ${s}.messages SET delivery_status = COALESCE($2, delivery_status),
           delivery_error = CASE WHEN $3::boolean THEN $4::text::jsonb ELSE delivery_error END,
           external_id = CASE WHEN $5::boolean THEN $6 ELSE external_id END,
           meta = meta || $7::text::jsonb
         WHERE id = $1`,
        [id, st, err !== undefined, json(err ?? null), ext !== undefined, ext ?? null, json(patch.meta ?? {}), ...(dropJob ? [options!.cancelJob] : [])],
      ).catch((e: unknown) => {
        if (StoredeskError.is(e, "CONFLICT")) throw conflict(`a message with provider id ${String(ext)} is already on record`, { duplicate: true });
        throw e;
      });
      if (result.rowCount === 0) throw notFound(`message ${id} not found`);
    },

    async moveMessages(fromTicketId, toTicketId) {
      await conn.ready();
      const { rowCount } = await db().query(`UPDATE ${s}.messages SET ticket_id = $2 WHERE ticket_id = $1`, [fromTicketId, toTicketId]);
      return rowCount;
    },

    async appendEvent(input) {
      const e = parseInput(TicketEventSchema, input, "ticket event");
      await conn.ready();
      const { rowCount } = await db().query(
        `INSERT INTO ${s}.ticket_events (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb) ON CONFLICT DO NOTHING`,
        [e.id, e.ticketId, e.seq, e.type, e.at, e.actor.kind, e.actor.id, json(e.data)],
      );
      if (rowCount === 0) throw conflict(`event ${e.id} or seq ${e.seq} of ticket ${e.ticketId} already exists`, { ticketId: e.ticketId, seq: e.seq });
    },

    async appendEvents(input) {
      if (!Array.isArray(input)) throw invalid("events must be an array", []);
      const events = input.map((e, i) => parseInput(TicketEventSchema, e, `ticket event ${i}`));
      if (events.length === 0) return;
      await conn.ready();
      // One INSERT for the whole batch, with appendEvent-in-a-loop semantics: the events before
      // the first one that conflicts (with a stored event, or with an earlier one of the batch)
      // are written, that one is reported as CONFLICT, and the rest are not written.
      const { rows } = await db().query<{ written: string[] | null; first_conflict: number | null }>(
        `WITH x AS (
           SELECT * FROM jsonb_to_recordset($1::text::jsonb)
             AS x(ord integer, id text, ticket_id text, seq integer, type text, at timestamptz, actor_kind text, actor_id text, data jsonb)
         ),
         bad AS (
           SELECT min(x.ord) AS ord FROM x
            WHERE EXISTS (SELECT 1 FROM ${s}.ticket_events e WHERE e.id = x.id OR (e.ticket_id = x.ticket_id AND e.seq = x.seq))
               OR EXISTS (SELECT 1 FROM x y WHERE y.ord < x.ord AND (y.id = x.id OR (y.ticket_id = x.ticket_id AND y.seq = x.seq)))
         ),
         ins AS (
           INSERT INTO ${s}.ticket_events (${EVENT_COLUMNS})
           SELECT id, ticket_id, seq, type, at, actor_kind, actor_id, data FROM x
            WHERE x.ord < COALESCE((SELECT ord FROM bad), 2147483647) ORDER BY x.ord
           ON CONFLICT DO NOTHING RETURNING id
         )
         SELECT (SELECT jsonb_agg(id) FROM ins) AS written, (SELECT ord FROM bad) AS first_conflict`,
        [
          json(
            events.map((e, ord) => ({ ord, id: e.id, ticket_id: e.ticketId, seq: e.seq, type: e.type, at: e.at.toISOString(), actor_kind: e.actor.kind, actor_id: e.actor.id, data: e.data })),
          ),
        ],
      );
      const written = new Set(rows[0]?.written ?? []);
      const firstConflict = rows[0]?.first_conflict ?? null;
      if (firstConflict === null && written.size === events.length) return;
      // A conflicting event committed by another transaction after this statement's snapshot is
      // skipped by ON CONFLICT DO NOTHING: then report the first event that did not land.
      const e = events[firstConflict ?? events.findIndex((ev) => !written.has(ev.id))]!;
      throw conflict(`event ${e.id} or seq ${e.seq} of ticket ${e.ticketId} already exists`, { ticketId: e.ticketId, seq: e.seq });
    },

    async listEvents(ticketId) {
      await conn.ready();
      const { rows } = await db().query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${s}.ticket_events WHERE ticket_id = $1 ORDER BY seq`, [ticketId]);
      return rows.map(toEvent);
    },

    async getIdempotency(scope, key) {
      await conn.ready();
      const { rows } = await db().query<IdempotencyRow>(`SELECT scope, key, result, created_at FROM ${s}.idempotency WHERE scope = $1 AND key = $2`, [scope, key]);
      return rows[0] ? toIdempotency(rows[0]) : null;
    },

    async putIdempotency(input) {
      const r = checkIdempotency(input);
      await conn.ready();
      const { rowCount } = await db().query(
        `INSERT INTO ${s}.idempotency (scope, key, result, created_at) VALUES ($1, $2, $3::text::jsonb, $4) ON CONFLICT DO NOTHING`,
        [r.scope, r.key, json(r.result), r.createdAt],
      );
      if (rowCount === 0) throw conflict(`idempotency key ${r.scope}/${r.key} already exists`, { duplicate: true, scope: r.scope, key: r.key });
    },

    async scheduleJob(input) {
      const j = parseInput(JobSchema, input, "job");
      await conn.ready();
      // Replacing by key gives a new id, so a running copy's complete(id) leaves the replacement alone.
      // A lease given with the job is kept (the outbox's own send): claimDue skips it until it ends.
      await db().query(
          `INSERT INTO ${s}.jobs (${JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9)
           ON CONFLICT (key) DO UPDATE SET id = EXCLUDED.id, type = EXCLUDED.type, ticket_id = EXCLUDED.ticket_id, run_at = EXCLUDED.run_at,
             payload = EXCLUDED.payload, attempts = EXCLUDED.attempts, locked_by = EXCLUDED.locked_by, locked_until = EXCLUDED.locked_until`,
          [j.id, j.key, j.type, j.ticketId, j.runAt, json(j.payload), j.attempts, j.lockedBy, j.lockedUntil],
      );
    },

    async cancelJob(key) {
      await conn.ready();
      await db().query(`DELETE FROM ${s}.jobs WHERE key = $1`, [key]);
    },

    async listJobs(filter) {
      await conn.ready();
      const byTicket = filter?.ticketId !== undefined;
      const { rows } = await db().query<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM ${s}.jobs${byTicket ? " WHERE ticket_id = $1" : ""} ORDER BY run_at, id`,
        byTicket ? [filter.ticketId] : [],
      );
      return rows.map(toJob);
    },
  };
}

/**
 * The storedesk {@link Store} on PostgreSQL. The same SQL runs on a PostgreSQL
 * server through node-postgres (`{ pool }` or `{ connectionString }`) and on the
 * embedded PGlite (`{ pglite }`). Migrations run before the first statement.
 *
 * Inside `transaction(fn)`, every call, whether on the `tx` handed to `fn` or on the store
 * itself, runs on the transaction's connection; a nested `transaction()` becomes a SAVEPOINT.
 * A connection lost mid-transaction (server restart, killed backend) rolls back and
 * surfaces as a retryable `PROVIDER_UNAVAILABLE`; a duplicate or stale write as `CONFLICT`.
 *
 * @example
 * import { PGlite } from "@electric-sql/pglite";
 * const store = postgresStore({ pglite: new PGlite("./.data/storedesk") });
 * // or, for several instances: postgresStore({ connectionString: process.env.DATABASE_URL! })
 * const desk = createDesk({ store, scheduler: postgresScheduler(store) });
 */
export function postgresStore(connection: PostgresConnection, options: PostgresOptions = {}): PostgresStore {
  const conn = openConnection(connection, options);
  const context = new AsyncLocalStorage<{ tx: SqlClient; open: boolean }>();
  // Outside a transaction, calls use the pool; inside one (in fn's async context) its connection.
  const current = (): SqlClient => {
    const ctx = context.getStore();
    return ctx?.open ? ctx.tx : conn.client;
  };
  const ops = makeOps(conn, current);

  const store: PostgresStore = {
    specVersion: 1,
    schema: conn.schema,
    scheduler: schedulerOn(conn, false),
    ...ops,
    async transaction(fn) {
      await conn.ready();
      const outer = context.getStore();
      const base = outer?.open ? outer.tx : conn.client;
      return base.transaction(async (tx) => {
        const ctx = { tx, open: true };
        try {
          return await context.run(ctx, () => fn(makeOps(conn, () => tx)));
        } finally {
          // Work fn left running after it returned must not reuse a released connection.
          ctx.open = false;
        }
      });
    },
    migrate: () => conn.migrate(),
    close: () => conn.client.close(),
  };
  registerConnection(store, conn);
  return store;
}
