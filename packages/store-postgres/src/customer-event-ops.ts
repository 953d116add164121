/** The customer audit log of the Store port on PostgreSQL (`customer_events`, append-only by trigger). */
import { CustomerEventSchema, StoredeskError, parseInput, type CustomerEvent, type StoreOps } from "@storedesk/core";
import type { Connection } from "./connection.js";
import { json } from "./rows.js";
import type { SqlClient } from "./sql-client.js";

interface CustomerEventRow {
  id: string;
  customer_id: string;
  type: string;
  at: Date;
  actor_kind: CustomerEvent["actor"]["kind"];
  actor_id: string | null;
  data: Record<string, unknown>;
}

type CustomerEventOps = Pick<StoreOps, "appendCustomerEvent" | "listCustomerEvents">;

/**
 * Appends and lists customer events; the order is the table's `position` (a sequence), so events
 * of one instant keep the order they were written in.
 *
 * @example
 * const ops = customerEventOps(conn, () => conn.client);
 *
 * @internal
 */
export function customerEventOps(conn: Connection, db: () => SqlClient): CustomerEventOps {
  const { s } = conn;
  return {
    async appendCustomerEvent(input) {
      const e = parseInput(CustomerEventSchema, input, "customer event");
      await conn.ready();
      const { rowCount } = await db().query(
        `INSERT INTO ${s}.customer_events (id, customer_id, type, at, actor_kind, actor_id, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb) ON CONFLICT DO NOTHING`,
        [e.id, e.customerId, e.type, e.at, e.actor.kind, e.actor.id, json(e.data)],
      );
      if (rowCount === 0) {
        throw new StoredeskError({
          code: "CONFLICT",
          message: `customer event ${e.id} already exists`,
          details: { eventId: e.id },
        });
      }
    },

    async listCustomerEvents(customerId) {
      await conn.ready();
      const { rows } = await db().query<CustomerEventRow>(
        `SELECT id, customer_id, type, at, actor_kind, actor_id, data FROM ${s}.customer_events
          WHERE customer_id = $1 ORDER BY position`,
        [customerId],
      );
      return rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        type: r.type,
        at: r.at,
        actor: { kind: r.actor_kind, id: r.actor_id },
        data: r.data,
      }));
    },
  };
}
