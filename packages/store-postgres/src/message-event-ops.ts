/** The messages and the ticket audit log (events) of the Store port on PostgreSQL. */
import {
  JobSchema,
  DeliveryStatusSchema,
  MessageSchema,
  StoredeskError,
  TicketEventSchema,
  parseInput,
  type StoreOps,
} from "@storedesk/core";
import type { Connection } from "./connection.js";
import {
  EVENT_COLUMNS,
  MESSAGE_COLUMNS,
  MESSAGE_PLACEHOLDERS,
  json,
  messageParams,
  toEvent,
  toMessage,
  type EventRow,
  type MessageRow,
  JOB_COLUMNS,
} from "./rows.js";
import { JOB_UPSERT } from "./job-ops.js";
import type { SqlClient } from "./sql-client.js";
import { conflict, invalid, notFound } from "./store-checks.js";

/** The messages and the ticket audit log (events) of the Store port on PostgreSQL. */
export function messageEventOps(
  conn: Connection,
  db: () => SqlClient,
): Pick<
  StoreOps,
  | "insertMessage"
  | "getMessage"
  | "findMessageByExternalId"
  | "listMessages"
  | "updateMessageDelivery"
  | "updateMessage"
  | "moveMessages"
  | "appendEvent"
  | "appendEvents"
  | "listEvents"
> {
  const { s } = conn;

  return {
    async insertMessage(input, options) {
      const m = parseInput(MessageSchema, input, "message");
      const j = options?.scheduleJob === undefined ? null : parseInput(JobSchema, options.scheduleJob, "job");
      await conn.ready();
      const insert = `INSERT INTO ${s}.messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PLACEHOLDERS}) ON CONFLICT DO NOTHING`;
      const params = messageParams(m);
      let rowCount: number;
      if (j === null) rowCount = (await db().query(insert, params)).rowCount;
      else {
        // The outbox's message and its send job in one statement (a data-modifying CTE): the job
        // is written only when the message was (FROM m), so a conflict writes neither.
        const n = params.length;
        const { rows } = await db().query<{ n: number }>(
          `WITH m AS (${insert} RETURNING 1),
                j AS (INSERT INTO ${s}.jobs (${JOB_COLUMNS})
                  SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::timestamptz, $${n + 6}::text::jsonb, $${n + 7}::integer, $${n + 8}, $${n + 9}::timestamptz FROM m
                  ON CONFLICT (key) DO UPDATE SET ${JOB_UPSERT})
           SELECT (SELECT count(*) FROM m)::integer AS n`,
          [...params, j.id, j.key, j.type, j.ticketId, j.runAt, json(j.payload), j.attempts, j.lockedBy, j.lockedUntil],
        );
        rowCount = rows[0]!.n;
      }
      if (rowCount === 0) {
        // details.duplicate marks a redelivery (same channel + external id), which callers treat as done, not retry.
        const byExternal =
          m.externalId === null
            ? []
            : (
                await db().query(`SELECT 1 FROM ${s}.messages WHERE channel = $1 AND external_id = $2`, [
                  m.channel,
                  m.externalId,
                ])
              ).rows;
        if (byExternal.length > 0)
          throw conflict(`${m.channel} message ${m.externalId} was already received`, {
            duplicate: true,
            channel: m.channel,
            externalId: m.externalId,
          });
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
      const { rows } = await db().query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages WHERE channel = $1 AND external_id = $2`,
        [channel, externalId],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },

    async listMessages(ticketId) {
      await conn.ready();
      const { rows } = await db().query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages WHERE ticket_id = $1 ORDER BY created_at, position`,
        [ticketId],
      );
      return rows.map(toMessage);
    },

    async updateMessageDelivery(id, status, error) {
      const st = parseInput(DeliveryStatusSchema, status, "delivery status");
      const err = parseInput(MessageSchema.shape.deliveryError, error ?? null, "delivery error");
      await conn.ready();
      const { rowCount } = await db().query(
        `UPDATE ${s}.messages SET delivery_status = $2, delivery_error = $3::text::jsonb WHERE id = $1`,
        [id, st, json(err)],
      );
      if (rowCount === 0) throw notFound(`message ${id} not found`);
    },

    async updateMessage(id, patch, options) {
      const st =
        patch.deliveryStatus === undefined
          ? null
          : parseInput(DeliveryStatusSchema, patch.deliveryStatus, "delivery status");
      const err =
        patch.deliveryError === undefined
          ? undefined
          : parseInput(MessageSchema.shape.deliveryError, patch.deliveryError, "delivery error");
      const ext =
        patch.externalId === undefined
          ? undefined
          : parseInput(MessageSchema.shape.externalId, patch.externalId, "external id");
      await conn.ready();
      // One statement: the provider's answer and the attempt count land together.
      // The outbox's job goes in the same statement (a data-modifying CTE): one round trip per send.
      const dropJob = options?.cancelJob ? `WITH dropped AS (DELETE FROM ${s}.jobs WHERE key = $8) ` : "";
      const result = await db()
        .query(
          `${dropJob}UPDATE ${s}.messages SET delivery_status = COALESCE($2, delivery_status),
           delivery_error = CASE WHEN $3::boolean THEN $4::text::jsonb ELSE delivery_error END,
           external_id = CASE WHEN $5::boolean THEN $6 ELSE external_id END,
           meta = meta || $7::text::jsonb
         WHERE id = $1`,
          [
            id,
            st,
            err !== undefined,
            json(err ?? null),
            ext !== undefined,
            ext ?? null,
            json(patch.meta ?? {}),
            ...(dropJob ? [options!.cancelJob] : []),
          ],
        )
        .catch((e: unknown) => {
          if (StoredeskError.is(e, "CONFLICT"))
            throw conflict(`a message with provider id ${String(ext)} is already on record`, { duplicate: true });
          throw e;
        });
      if (result.rowCount === 0) throw notFound(`message ${id} not found`);
    },

    async moveMessages(fromTicketId, toTicketId) {
      await conn.ready();
      const { rowCount } = await db().query(`UPDATE ${s}.messages SET ticket_id = $2 WHERE ticket_id = $1`, [
        fromTicketId,
        toTicketId,
      ]);
      return rowCount;
    },

    async appendEvent(input) {
      const e = parseInput(TicketEventSchema, input, "ticket event");
      await conn.ready();
      const { rowCount } = await db().query(
        `INSERT INTO ${s}.ticket_events (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb) ON CONFLICT DO NOTHING`,
        [e.id, e.ticketId, e.seq, e.type, e.at, e.actor.kind, e.actor.id, json(e.data)],
      );
      if (rowCount === 0)
        throw conflict(`event ${e.id} or seq ${e.seq} of ticket ${e.ticketId} already exists`, {
          ticketId: e.ticketId,
          seq: e.seq,
        });
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
            events.map((e, ord) => ({
              ord,
              id: e.id,
              ticket_id: e.ticketId,
              seq: e.seq,
              type: e.type,
              at: e.at.toISOString(),
              actor_kind: e.actor.kind,
              actor_id: e.actor.id,
              data: e.data,
            })),
          ),
        ],
      );
      const written = new Set(rows[0]?.written ?? []);
      const firstConflict = rows[0]?.first_conflict ?? null;
      if (firstConflict === null && written.size === events.length) return;
      // A conflicting event committed by another transaction after this statement's snapshot is
      // skipped by ON CONFLICT DO NOTHING: then report the first event that did not land.
      const e = events[firstConflict ?? events.findIndex((ev) => !written.has(ev.id))]!;
      throw conflict(`event ${e.id} or seq ${e.seq} of ticket ${e.ticketId} already exists`, {
        ticketId: e.ticketId,
        seq: e.seq,
      });
    },

    async listEvents(ticketId) {
      await conn.ready();
      const { rows } = await db().query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ${s}.ticket_events WHERE ticket_id = $1 ORDER BY seq`,
        [ticketId],
      );
      return rows.map(toEvent);
    },
  };
}
