/** The ticket rows of the Store port on PostgreSQL. */
import {
  StoredeskError,
  TicketSchema,
  mergedCustomerConflict,
  openConversationConflict,
  parseInput,
  type StoreOps,
} from "@storedesk/core";
import type { Connection } from "./connection.js";
import { TICKET_COLUMNS, TICKET_PLACEHOLDERS, ticketParams, toTicket, type TicketRow } from "./rows.js";
import type { SqlClient } from "./sql-client.js";
import { checkQuery, conflict, notFound } from "./store-checks.js";

/** The ticket rows of the Store port on PostgreSQL. */
export function ticketOps(
  conn: Connection,
  db: () => SqlClient,
): Pick<
  StoreOps,
  | "getTicket"
  | "getTicketByNumber"
  | "nextTicketNumber"
  | "insertTicket"
  | "updateTicket"
  | "listTickets"
  | "findOpenTicketByConversation"
> {
  const { s } = conn;

  return {
    async getTicket(id) {
      await conn.ready();
      const { rows } = await db().query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM ${s}.tickets WHERE id = $1`, [id]);
      return rows[0] ? toTicket(rows[0]) : null;
    },

    async getTicketByNumber(number) {
      await conn.ready();
      if (!Number.isSafeInteger(number) || number <= 0 || number > 2_147_483_647) return null;
      const { rows } = await db().query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM ${s}.tickets WHERE number = $1`, [
        number,
      ]);
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
        .query(
          `INSERT INTO ${s}.tickets (${TICKET_COLUMNS}) VALUES (${TICKET_PLACEHOLDERS}) ON CONFLICT DO NOTHING`,
          ticketParams(t),
        )
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
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `ticket.version must be expectedVersion + 1 (got ${t.version} for ${expectedVersion})`,
          path: ["version"],
        });
      }
      await conn.ready();
      const cols = TICKET_COLUMNS.split(", ");
      const placeholders = TICKET_PLACEHOLDERS.split(", ");
      const set = cols
        .map((col, i) => `${col} = ${placeholders[i]}`)
        .filter((_, i) => i > 0)
        .join(", ");
      const { rowCount } = await db().query(`UPDATE ${s}.tickets SET ${set} WHERE id = $1 AND version = $28`, [
        ...ticketParams(t),
        expectedVersion,
      ]);
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
  };
}
