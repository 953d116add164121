/** The webhook batch guarantees (a transaction per chunk, idempotent events, 2xx ⇒ stored) on PGlite. */
import { PGlite } from "@electric-sql/pglite";
import { runWebhookBatchConformance } from "@storedesk/core/testing";
import { afterAll } from "vitest";
import { postgresStore } from "../src/index.js";
import { randomSchema } from "./helpers.js";

// One PGlite for the cases (starting one is most of a case's time), a schema each.
let db: PGlite | null = null;
afterAll(async () => {
  await db?.close();
});

runWebhookBatchConformance("PGlite", async () => {
  db ??= await PGlite.create();
  const store = postgresStore({ pglite: db }, { schema: randomSchema() });
  await store.migrate();
  return { store, close: async () => {} };
});
