/** The customer rows (and their identities) of the Store port on PostgreSQL. */
import {
  CustomerSchema,
  IdentitySchema,
  StoredeskError,
  normalizeIdentity,
  parseInput,
  type Customer,
  type StoreOps,
} from "@storedesk/core";
import type { Connection } from "./connection.js";
import { CUSTOMER_COLUMNS, identitiesSubquery, json, toCustomer, type CustomerRow } from "./rows.js";
import type { SqlClient } from "./sql-client.js";
import { atomic, conflict, identityRows, notFound } from "./store-checks.js";

/** The customer rows (and their identities) of the Store port on PostgreSQL. */
export function customerOps(
  conn: Connection,
  db: () => SqlClient,
): Pick<StoreOps, "getCustomer" | "findCustomerByIdentity" | "insertCustomer" | "updateCustomer" | "deleteCustomer"> {
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
      const params = [
        c.id,
        identityRows(c.identities),
        c.name,
        c.locale,
        json(c.attributes),
        c.createdAt,
        c.updatedAt,
        c.mergedInto,
        c.version ?? 1,
      ];
      const insertCustomer = `INSERT INTO ${s}.customers (id, name, locale, attributes, created_at, updated_at, merged_into, version)
             VALUES ($1, $3, $4, $5::text::jsonb, $6, $7, $8, $9)`;
      const taken = (): StoredeskError =>
        conflict(`customer ${c.id} or one of its identities already exists`, { customerId: c.id });
      if (!client.inTransaction) {
        // One statement: the customer row and its identities land together or not at all.
        await client
          .query(
            `WITH c AS (${insertCustomer} RETURNING id) ${insertIdentities.replace("FROM jsonb_to_recordset", "FROM c, jsonb_to_recordset")}`,
            params,
          )
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
            code: "CONFLICT",
            message: `customer ${c.id} changed since version ${c.version}`,
            retryable: true,
            details: { customerId: c.id, expectedVersion: c.version, stale: true },
          });
        }
        await tx.query(`DELETE FROM ${s}.customer_identities WHERE customer_id = $1`, [c.id]);
        await tx.query(insertIdentities, [c.id, identityRows(c.identities)]);
      }).catch((err: unknown) => {
        if (StoredeskError.is(err, "CONFLICT") && err.details?.stale === true) throw err;
        throw StoredeskError.is(err, "CONFLICT")
          ? conflict(`an identity of customer ${c.id} belongs to another customer`, { customerId: c.id })
          : err;
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
  };
}
