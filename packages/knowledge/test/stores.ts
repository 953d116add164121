/** The stores every knowledge test runs on: memory, PGlite always, a PostgreSQL server when DATABASE_URL is set. */
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { memoryStore, type Store } from "@storedesk/core";
import { postgresStore } from "@storedesk/store-postgres";

/** A store kind: `open()` gives an empty store, `close()` ends it and drops its data. */
export interface StoreKind {
  name: string;
  available: boolean;
  open(): Promise<{ store: Store; close(): Promise<void> }>;
}

const schema = () => `sd_kb_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
let pglite: Promise<PGlite> | null = null;

/** The stores to run on; the server is unavailable (and says so) without DATABASE_URL. */
export function storeKinds(): StoreKind[] {
  const url = process.env.DATABASE_URL;
  return [
    { name: "memory store", available: true, open: async () => ({ store: memoryStore(), close: async () => {} }) },
    {
      name: "PGlite",
      available: true,
      async open() {
        // One PGlite per test file (starting one takes a second), a schema per test.
        pglite ??= PGlite.create();
        const db = await pglite;
        const s = schema();
        return {
          store: postgresStore({ pglite: db }, { schema: s }),
          close: async () => {
            await db.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
          },
        };
      },
    },
    {
      name: `PostgreSQL server${url ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
      available: url !== undefined,
      async open() {
        const s = schema();
        const store = postgresStore({ connectionString: url!, poolConfig: { max: 4 } }, { schema: s });
        return {
          store,
          async close() {
            const pg = (await import("pg")).default;
            await store.close?.();
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
            await client.end();
          },
        };
      },
    },
  ];
}
