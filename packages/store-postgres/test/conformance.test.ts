/** The core store conformance suite, on PGlite always and on a server when DATABASE_URL is set. */
import { PGlite } from "@electric-sql/pglite";
import { runStoreConformance } from "@storedesk/core/testing";
import { afterAll, beforeAll, describe } from "vitest";
import { postgresStore, type PostgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";

describe("PGlite (in memory)", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });
  runStoreConformance({
    name: "postgresStore on PGlite",
    makeStore: (options) => postgresStore({ pglite: db }, { ...options, schema: randomSchema() }),
    honoursClock: true,
    cleanup: async (store) => {
      await db.query(`DROP SCHEMA IF EXISTS "${(store as PostgresStore).schema}" CASCADE`);
    },
  });
});

describe.skipIf(!DATABASE_URL)(
  `PostgreSQL server${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    runStoreConformance({
      name: "postgresStore on a PostgreSQL server",
      makeStore: (options) =>
        postgresStore(
          { connectionString: DATABASE_URL!, poolConfig: { max: 8 } },
          { ...options, schema: randomSchema() },
        ),
      honoursClock: true,
      cleanup: async (store) => {
        await store.close?.();
        await dropSchema(DATABASE_URL!, (store as PostgresStore).schema);
      },
    });
  },
);
