/**
 * The webhook path with batches: one signed WhatsApp body of 1, 100 and 1,000 messages (each
 * from its own sender) posted to `desk.webhook("whatsapp")`, on the memory store and on PGlite.
 * The baseline is the batch of 1 in the same run (100 single-message bodies); the goal is a
 * per-event cost that stays flat: every batch within 1.5× of it.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createDesk, manualClock, memoryStore, type Store } from "../packages/core/src/index.js";
import { whatsappChannel } from "../packages/whatsapp/src/index.js";
import { postgresStore } from "../packages/store-postgres/src/index.js";

const requireFromStore = createRequire(new URL("../packages/store-postgres/package.json", import.meta.url));
const { PGlite } = (await import(requireFromStore.resolve("@electric-sql/pglite").replace(/\.cjs$/, ".js"))) as {
  PGlite: { create(): Promise<{ close(): Promise<void> }> };
};

const SECRET = "bench-app-secret";
const PHONE = "106540352242922";
const T0 = new Date("2026-03-02T01:00:00Z");

function body(prefix: string, n: number): string {
  const senders = Array.from({ length: n }, (_, i) => `8210${String(i).padStart(8, "0")}`);
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { phone_number_id: PHONE },
              contacts: senders.map((wa_id) => ({ wa_id, profile: { name: "김민지" } })),
              messages: senders.map((from, i) => ({
                from,
                id: `wamid.${prefix}.${i}`,
                timestamp: String(T0.getTime() / 1000),
                type: "text",
                text: { body: "배송 언제 와요?" },
              })),
            },
          },
        ],
      },
    ],
  });
}

function post(handle: (r: Request) => Promise<Response>, text: string): Promise<Response> {
  const sig = createHmac("sha256", SECRET).update(text).digest("hex");
  return handle(
    new Request("https://x/webhooks/whatsapp", {
      method: "POST",
      body: text,
      headers: { "x-hub-signature-256": `sha256=${sig}` },
    }),
  );
}

/** Transactions the desk opened on the store under measurement. */
let transactions = 0;

/** Seconds per event for `requests` bodies of `size` events each, on a fresh desk over `store`. */
async function perEvent(raw: Store, size: number, requests: number, tag: string): Promise<number> {
  const store: Store = Object.create(raw) as Store;
  store.transaction = (fn) => {
    transactions++;
    return raw.transaction(fn);
  };
  const channel = whatsappChannel({ accessToken: "t0ken", appSecret: SECRET, verifyToken: "v", phoneNumberId: PHONE });
  const desk = createDesk({ store, clock: manualClock(T0), channels: [channel], autoAcknowledge: false });
  const handle = desk.webhook("whatsapp");
  const bodies = Array.from({ length: requests }, (_, r) => body(`${tag}-${size}-${r}`, size));
  const start = process.hrtime.bigint();
  for (const b of bodies) {
    const res = await post(handle, b);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e9 / (size * requests);
}

async function target(name: string, open: () => Promise<{ store: Store; close: () => Promise<void> }>): Promise<void> {
  const shapes: Array<[number, number]> = [
    [1, 100],
    [100, 2],
    [1000, 1],
  ];
  const warm = await open();
  await perEvent(warm.store, 50, 1, "warm");
  await warm.close();
  let baseline = 0;
  for (const [size, requests] of shapes) {
    const { store, close } = await open();
    transactions = 0;
    const s = await perEvent(store, size, requests, randomUUID().slice(0, 6));
    await close();
    if (size === 1) baseline = s;
    console.log(
      `${name.padEnd(10)} batch ${String(size).padStart(5)}: ${(s * 1e3).toFixed(3)} ms/event  ${(s / baseline).toFixed(2)}× the batch of 1  (${(transactions / (size * requests)).toFixed(2)} transactions/event)`,
    );
  }
}

export async function run(): Promise<void> {
  await target("memory", async () => ({ store: memoryStore(), close: async () => {} }));
  await target("PGlite", async () => {
    const db = await PGlite.create();
    const store = postgresStore(
      { pglite: db as never },
      { schema: `sd_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}` },
    );
    await store.migrate();
    return { store, close: () => db.close() };
  });
}
