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

const inMemory = process.argv.includes("--memory");
let store: Store;
let pglite: PGlite | null = null;
if (inMemory) {
  store = memoryStore();
  console.log("store: in memory (--memory)");
} else {
  const dataDir = fileURLToPath(new URL("../.data/pglite", import.meta.url));
  mkdirSync(dataDir, { recursive: true });
  pglite = await PGlite.create(dataDir);
  store = postgresStore({ pglite });
  const before = await store.listTickets({});
  console.log(`store: embedded PostgreSQL (PGlite) in ${dataDir} — ${before.length} tickets from earlier runs`);
}

try {
  console.log("\n━━ 1. Email: SMTP in, acknowledgement out, a reply threaded back ━━");
  await emailDemo(store);
  console.log("\n━━ 2. WhatsApp: the 24-hour window, a template instead ━━");
  await whatsappDemo(store);
  console.log("\n━━ 3. Chat: classification, threading, a duplicate delivery, one inbox ━━");
  await inboxDemo(store);
  console.log("\n━━ 3b. The classifier: category, scores, complaint intensity, a model of your own ━━");
  classificationDemo();
  console.log("\n━━ 4. Shopify: where is my order, answered; a complaint compensated within limits ━━");
  // Fixed demo ids and its own fake shop: this one runs on a fresh in-memory store each time.
  await shopifyDemo(memoryStore());
  console.log("\n━━ 5. Korean channels: Smartstore Q&A, TalkTalk, KakaoTalk skill, AlimTalk ━━");
  await koreanChannelsDemo(memoryStore());
  await knowledgeDemo(memoryStore());
  await (await import("./rules.js")).rulesDemo(memoryStore());
  console.log("\n━━ 7. AI: a Korean message classified and a reply drafted by a (mock) model ━━");
  await (await import("./ai.js")).aiDemo();
  await (await import("./report.js")).reportDemo(store);
} finally {
  await store.close?.();
  await pglite?.close();
}
