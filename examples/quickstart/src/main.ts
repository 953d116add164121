/**
 * storedesk quickstart, the README's main job: every flow end to end, printed.
 *
 * By default the data lives in an embedded PostgreSQL (PGlite) under ./.data, so a second run
 * continues where the first stopped: the same deliveries are recognized as redeliveries, closed
 * conversations get follow-up tickets. `--memory` keeps everything in memory.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { memoryStore, type Store } from "@storedesk/core";
import { postgresStore } from "@storedesk/store-postgres";
import { classificationDemo } from "./classification.js";
import { emailDemo } from "./email.js";
import { inboxDemo } from "./inbox.js";
import { knowledgeDemo } from "./knowledge.js";
import { shopifyDemo } from "./shopify.js";
import { whatsappDemo } from "./whatsapp.js";
import { koreanChannelsDemo } from "./korean-channels.js";
import { labelStore, SHOP_ZONE } from "./print.js";

const inMemory = process.argv.includes("--memory");
let store: Store;
let pglite: PGlite | null = null;
if (inMemory) {
  store = labelStore(memoryStore(), "in memory (--memory), shared by the scenarios that say so");
} else {
  const dataDir = fileURLToPath(new URL("../.data/pglite", import.meta.url));
  mkdirSync(dataDir, { recursive: true });
  pglite = await PGlite.create(dataDir);
  store = postgresStore({ pglite });
  const before = await store.listTickets({});
  labelStore(
    store,
    `embedded PostgreSQL (PGlite) in ${dataDir}, shared by the scenarios that say so; ${before.length} tickets from earlier runs`,
  );
}
// Scenarios with fixed demo ids or a fake shop of their own start from an empty store each run.
const fresh = (why: string) => labelStore(memoryStore(), `in memory, a fresh one (${why})`);

console.log(
  `All times are the shop's: ${SHOP_ZONE.id} (${SHOP_ZONE.abbreviation}, UTC+9). Most scenarios run on a simulated clock; each header says when, and on which store.`,
);
try {
  // One call per scenario; each prints its own numbered header (print.ts's section()).
  await emailDemo(store);
  await whatsappDemo(store);
  await inboxDemo(store);
  classificationDemo();
  await shopifyDemo(fresh("fixed demo ids and its own fake Shopify shop"));
  await koreanChannelsDemo(fresh("its own fake Naver and Kakao"));
  await (await import("./phone.js")).phoneDemo(fresh("fixed call-back request ids on a simulated week"));
  await knowledgeDemo(fresh("its own help center"));
  await (await import("./rules.js")).rulesDemo(fresh("its own agents and rules"));
  await (await import("./ai.js")).aiDemo();
  await (await import("./report.js")).reportDemo(store);
} finally {
  await store.close?.();
  await pglite?.close();
}
