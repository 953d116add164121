/** PGlite runs statements with parameters inside transactions as named prepared statements. */
import { PGlite } from "@electric-sql/pglite";
import { StoredeskError } from "@storedesk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { customer, randomSchema, ticket } from "./helpers.js";

describe("postgresStore on PGlite: prepared statements", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  it("parses a statement once per PGlite instance and reuses it in later transactions and stores", async () => {
    const schema = randomSchema();
    const a = postgresStore({ pglite: db }, { schema });
    const b = postgresStore({ pglite: db }, { schema });
    const c = customer();
    await a.insertCustomer(c);
    const t = ticket(c.id, 1);
    await a.insertTicket(t);
    for (const store of [a, b, a]) expect(await store.transaction((tx) => tx.getTicket(t.id))).toEqual(t);
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM pg_prepared_statements WHERE statement LIKE $1",
      [`SELECT id, number, subject%FROM "${schema}".tickets WHERE id = $1`],
    );
    expect(rows[0]!.n).toBe(1);
    await db.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("maps a PostgreSQL error of a prepared statement and keeps the transaction and PGlite usable", async () => {
    const schema = randomSchema();
    const store = postgresStore({ pglite: db }, { schema });
    const holder = customer();
    const other = customer();
    await store.insertCustomer(holder);
    await store.insertCustomer(other);
    const t = ticket(other.id, 8);
    const seen = await store.transaction(async (tx) => {
      const codes: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        // The identity INSERT (a prepared statement, on its cached plan the second time) hits the unique key.
        const err = await tx.updateCustomer({ ...other, identities: holder.identities }).catch((e: unknown) => e);
        codes.push(StoredeskError.is(err) ? err.code : err);
      }
      await tx.insertTicket(t);
      return codes;
    });
    expect(seen).toEqual(["CONFLICT", "CONFLICT"]);
    expect(await store.getCustomer(other.id)).toEqual(other);
    expect(await store.getTicket(t.id)).toEqual(t);
    await db.query(`DROP SCHEMA "${schema}" CASCADE`);
  });
});
