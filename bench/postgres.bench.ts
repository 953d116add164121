/**
 * Ingest throughput of the desk on postgresStore against raw SQL inserts of the
 * same rows (one transaction per message: customer + identity, ticket, message,
 * event) in the same run, on a PostgreSQL server (when DATABASE_URL is set) and on
 * in-memory PGlite. Goal: desk ≥ 0.5× raw.
 *
 *   node --conditions=storedesk-source --import tsx bench/postgres.bench.ts
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test BENCH_PG_N=1000 node --conditions=storedesk-source --import tsx bench/postgres.bench.ts
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createDesk, manualClock, type InboundEventInput } from "../packages/core/src/index.js";
import { memoryChannel } from "../packages/core/src/testing/memory-channel.js";
import { postgresStore } from "../packages/store-postgres/src/index.js";

// pg and PGlite are dependencies of the store package, not of the repository root:
// load them from there, typed by the few members used here.
interface PgLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}
interface PgPoolLike extends PgLike {
  connect(): Promise<PgLike & { release(): void }>;
  end(): Promise<void>;
  on(event: "error", fn: () => void): void;
}
interface PGliteLike extends PgLike {
  transaction<T>(fn: (tx: PgLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
const requireFromStore = createRequire(new URL("../packages/store-postgres/package.json", import.meta.url));
const pg = requireFromStore("pg") as { Pool: new (config: { connectionString: string; max?: number }) => PgPoolLike };
const { PGlite } = (await import(requireFromStore.resolve("@electric-sql/pglite").replace(/\.cjs$/, ".js"))) as { PGlite: { create(): Promise<PGliteLike> } };

const T0 = new Date("2026-03-02T01:00:00Z");
const TEXTS = ["주문한 상품 배송이 언제 오나요?", "Where is my order #1042?", "사이즈가 작아서 교환하고 싶어요", "I was charged twice on my card"];

/** N messages, each from a new customer, so every one creates customer, ticket, message and events. */
function events(n: number, prefix: string): InboundEventInput[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "message" as const, channel: "webchat", externalId: `${prefix}-${i}`, occurredAt: new Date(T0.getTime() + i * 1000),
    from: { identities: [{ kind: "webchat" as const, value: `${prefix}-visitor-${i}` }], name: `Customer ${i}` }, text: TEXTS[i % TEXTS.length]!,
  }));
}

async function seconds(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The raw baseline: the same rows written with hand-written INSERTs, one transaction per message. */
async function rawInserts(tx: (fn: (q: PgLike) => Promise<void>) => Promise<void>, schema: string, list: InboundEventInput[]): Promise<void> {
  const s = `"${schema}"`;
  for (const e of list) {
    if (e.type !== "message") continue;
    const identity = e.from.identities[0]!;
    await tx(async (q) => {
      const customerId = randomUUID();
      const ticketId = randomUUID();
      const at = new Date(e.occurredAt as string | number | Date);
      await q.query(`INSERT INTO ${s}.customers (id, name, locale, attributes, created_at, updated_at) VALUES ($1, $2, NULL, '{}', $3, $3)`, [customerId, e.from.name ?? null, at]);
      await q.query(`INSERT INTO ${s}.customer_identities (customer_id, position, kind, value, norm_value) VALUES ($1, 0, $2, $3, $3)`, [customerId, identity.kind, identity.value]);
      await q.query(
        `INSERT INTO ${s}.tickets (id, number, status, priority, category, channel, kind, customer_id, tags, language, version, created_at, updated_at, meta)
         VALUES ($1, nextval('${s}.ticket_number_seq'), 'new', 'normal', 'other', $2, 'conversation', $3, '[]', 'ko', 1, $4, $4, '{}')`,
        [ticketId, e.channel, customerId, at],
      );
      await q.query(
        `INSERT INTO ${s}.messages (id, ticket_id, direction, author_kind, author_id, channel, external_id, text, attachments, delivery_status, visibility, automatic, created_at, meta)
         VALUES ($1, $2, 'inbound', 'customer', $3, $4, $5, $6, '[]', 'received', 'private', false, $7, '{}')`,
        [randomUUID(), ticketId, customerId, e.channel, e.externalId, e.text, at],
      );
      await q.query(`INSERT INTO ${s}.ticket_events (id, ticket_id, seq, type, at, actor_kind, actor_id, data) VALUES ($1, $2, 1, 'ticket.created', $3, 'customer', $4, '{}')`, [randomUUID(), ticketId, at, customerId]);
    });
  }
}

interface Target {
  name: string;
  /** A store on a fresh schema, a raw transaction runner on the same database, and cleanup. */
  open(schema: string): Promise<{ store: ReturnType<typeof postgresStore>; tx: (fn: (q: PgLike) => Promise<void>) => Promise<void>; close(): Promise<void> }>;
}

function serverTarget(url: string): Target {
  return {
    name: "PostgreSQL server",
    async open(schema) {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      pool.on("error", () => undefined);
      return {
        store: postgresStore({ pool: pool as never }, { schema }),
        async tx(fn) {
          const client = await pool.connect();
          try {
            await client.query("BEGIN");
            await fn(client);
            await client.query("COMMIT");
          } catch (err) {
            await client.query("ROLLBACK");
            throw err;
          } finally {
            client.release();
          }
        },
        async close() {
          await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await pool.end();
        },
      };
    },
  };
}

function pgliteTarget(): Target {
  return {
    name: "PGlite (in memory)",
    async open(schema) {
      const db = await PGlite.create();
      return {
        store: postgresStore({ pglite: db as never }, { schema }),
        tx: (fn) => db.transaction(fn),
        close: () => db.close(),
      };
    },
  };
}

async function measure(target: Target, n: number): Promise<void> {
  const schema = `sd_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const opened = await target.open(schema);
  const { store } = opened;
  const tx = (fn: (q: PgLike) => Promise<void>): Promise<void> => opened.tx(fn);
  const close = (): Promise<void> => opened.close();
  try {
    await store.migrate();
    const desk = createDesk({ store, clock: manualClock(T0), channels: [memoryChannel({ id: "webchat" })], autoAcknowledge: false });
    // Warm-up of both paths (JIT, plan caches, PGlite's first queries).
    for (const e of events(30, "warm-desk")) await desk.ingest(e);
    await rawInserts(tx, schema, events(30, "warm-raw"));

    const rawList = events(n, "raw");
    const deskList = events(n, "desk");
    const raw = await seconds(() => rawInserts(tx, schema, rawList));
    const full = await seconds(async () => {
      for (const e of deskList) await desk.ingest(e);
    });
    const rawRate = n / raw;
    const deskRate = n / full;
    console.log(`${target.name}: ${n} messages, each a new customer + ticket, one at a time`);
    console.log(`  raw pg inserts (5 INSERTs/tx) : ${Math.round(rawRate).toLocaleString("en-US")} messages/s`);
    console.log(`  createDesk + postgresStore    : ${Math.round(deskRate).toLocaleString("en-US")} messages/s`);
    console.log(`  ratio desk/raw                : ${(deskRate / rawRate).toFixed(2)}  (goal ≥ 0.5)`);
  } finally {
    await close();
  }
}

/** Runs the benchmark: server (when DATABASE_URL is set), then PGlite. */
export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_PG_N ?? 500);
  const url = process.env.DATABASE_URL;
  if (url) await measure(serverTarget(url), n);
  else console.log("PostgreSQL server: skipped (set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)");
  await measure(pgliteTarget(), n);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
