/** Migrations: recorded, idempotent, and safe when several instances start at once. */
import { PGlite } from "@electric-sql/pglite";
import { StoredeskError } from "@storedesk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, postgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema, testPool } from "./helpers.js";

describe("migrations on PGlite", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  it("creates the schema, applies every version once and records it", async () => {
    const schema = randomSchema();
    const stores = [postgresStore({ pglite: db }, { schema }), postgresStore({ pglite: db }, { schema })];
    const applied = await Promise.all(stores.map((s) => s.migrate()));
    expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await stores[0]!.migrate()).toEqual([]);
    const { rows } = await db.query<{ version: number; name: string }>(
      `SELECT version, name FROM "${schema}".storedesk_migrations ORDER BY version`,
    );
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it("runs migrations lazily before the first statement", async () => {
    const schema = randomSchema();
    const store = postgresStore({ pglite: db }, { schema });
    expect(await store.getTicket("x")).toBeNull();
    expect(await store.migrate()).toEqual([]);
  });

  it("leaves migrations to the caller with migrate: false", async () => {
    const schema = randomSchema();
    const store = postgresStore({ pglite: db }, { schema, migrate: false });
    await expect(store.getTicket("x")).rejects.toSatisfy(
      (e) => StoredeskError.is(e, "INTERNAL") && /does not exist/.test((e as Error).message),
    );
    expect(await store.migrate()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await store.getTicket("x")).toBeNull();
  });

  it("version 3 keeps the newest of tickets split before it as the conversation's open one (the others keep the key in meta)", async () => {
    const schema = randomSchema();
    const s = `"${schema}"`;
    await db.exec(
      `CREATE SCHEMA ${s}; CREATE TABLE ${s}.storedesk_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const m of MIGRATIONS.filter((x) => x.version < 3)) {
      for (const statement of m.up(s)) await db.exec(statement);
      await db.query(`INSERT INTO ${s}.storedesk_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await db.exec(`INSERT INTO ${s}.customers (id, created_at, updated_at) VALUES ('c1', now(), now())`);
    const ticket = (id: string, n: number, updated: string, status = "open") =>
      db.query(
        `INSERT INTO ${s}.tickets (id, number, status, priority, category, channel, kind, customer_id, language, conversation_key, version, created_at, updated_at)
       VALUES ($1, $2, $3, 'normal', 'other', 'whatsapp', 'conversation', 'c1', 'ko', 'conv', 1, $4, $4)`,
        [id, n, status, updated],
      );
    await ticket("older", 1, "2026-03-01T00:00:00Z");
    await ticket("newer", 2, "2026-03-02T00:00:00Z");
    await ticket("closed", 3, "2026-03-03T00:00:00Z", "closed");
    const store = postgresStore({ pglite: db }, { schema });
    expect(await store.migrate()).toEqual([3]);
    expect((await store.findOpenTicketByConversation("c1", "whatsapp", "conv"))?.id).toBe("newer");
    expect(await store.getTicket("older")).toMatchObject({
      conversationKey: null,
      meta: { splitConversationKey: "conv" },
    });
    expect(await store.getTicket("closed")).toMatchObject({ conversationKey: "conv" });
    expect((await store.getCustomer("c1"))?.version).toBe(1);
  });

  it("refuses a schema name that is not a plain identifier", () => {
    expect(() => postgresStore({ pglite: db }, { schema: 'x"; DROP TABLE y; --' })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
    expect(() => postgresStore({} as never)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe.skipIf(!DATABASE_URL)(
  `migrations on a PostgreSQL server${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    it("applies each version exactly once when five instances start together", async () => {
      const schema = randomSchema();
      const pools = Array.from({ length: 5 }, () => testPool(DATABASE_URL!, { max: 1 }));
      try {
        const stores = pools.map((pool) => postgresStore({ pool }, { schema }));
        const applied = await Promise.all(stores.map((s) => s.migrate()));
        expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.version));
        expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
        expect(await Promise.all(stores.map((s) => s.listJobs()))).toEqual([[], [], [], [], []]);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
        await dropSchema(DATABASE_URL!, schema);
      }
    });
  },
);
