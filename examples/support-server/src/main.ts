/**
 * Starts the support server with the demo shop: PGlite under ./.data by default, a PostgreSQL
 * server when DATABASE_URL is set (then chat fan-out goes over LISTEN/NOTIFY). Prints the URLs
 * and a demo login. `--demo` runs the scripted flows over HTTP and exits; `--memory` keeps
 * everything in memory.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { memoryStore } from "@storedesk/core";
import type { Store } from "@storedesk/core";
import { postgresStore } from "@storedesk/store-postgres";
import { postgresBus } from "@storedesk/webchat";
import type { WebchatBus } from "@storedesk/webchat";
import { DEMO_AGENTS, DEMO_PASSWORD, createSupportServer } from "./app.js";
import { startDemoShop } from "./demo-shop.js";
import { runDemo } from "./demo-flows.js";
import { seedDemo } from "./seed.js";
import { serveNode } from "./serve-node.js";

const args = process.argv.slice(2);
const demo = args.includes("--demo");
const inMemory = args.includes("--memory");
const port = demo ? 0 : Number(process.env.PORT ?? 3000);

const shop = startDemoShop();
let store: Store;
let pglite: PGlite | null = null;
let pool: pg.Pool | null = null;
let bus: WebchatBus | undefined;
if (inMemory) {
  store = memoryStore();
  console.log("store: in memory (--memory)");
} else if (process.env.DATABASE_URL) {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  store = postgresStore({ pool }, { schema: process.env.STOREDESK_SCHEMA ?? "storedesk_support" });
  bus = await postgresBus({ pool });
  console.log("store: PostgreSQL server (DATABASE_URL); chat fan-out over LISTEN/NOTIFY");
} else {
  const dataDir = fileURLToPath(new URL("../.data/pglite", import.meta.url));
  mkdirSync(dataDir, { recursive: true });
  pglite = await PGlite.create(dataDir);
  store = postgresStore({ pglite });
  console.log(`store: embedded PostgreSQL (PGlite) in ${dataDir}`);
}

const server = await createSupportServer({ store, ...(bus ? { bus } : {}) });
server.desk.on("error", ({ error, context }) =>
  console.log(`  ! ${context}: ${error instanceof Error ? error.message : String(error)}`),
);
const seeded = await seedDemo(server.desk);
const http = await serveNode((request) => server.app.fetch(request), port, demo ? "127.0.0.1" : "0.0.0.0");
const stopScheduler = server.desk.startScheduler();

async function shutdown(code: number): Promise<never> {
  stopScheduler();
  await server.close();
  await http.close();
  await bus?.close();
  await store.close?.();
  await pglite?.close();
  await pool?.end();
  shop.stop();
  process.exit(code);
}

console.log(
  `demo shop: ${seeded.created} new demo tickets (Korean and English, chat, email, WhatsApp, Messenger, a call-back request)`,
);
if (demo) {
  try {
    await runDemo(http.url);
    await shutdown(0);
  } catch (err) {
    console.error(err);
    await shutdown(1);
  }
} else {
  console.log(`
  storedesk support server is running

  Agent inbox   ${http.url}/inbox        (English: ${http.url}/inbox?lang=en)
  Storefront    ${http.url}/shop         (signed-in customer: ${http.url}/shop?customer=minji)
  Demo logins   ${DEMO_AGENTS.map((a) => `${a.email} (${a.role})`).join(", ")}
                password: ${DEMO_PASSWORD}
  Webhooks      ${http.url}/webhooks/{email,whatsapp,meta,shopify,phone}

  Ctrl+C to stop.`);
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
}
