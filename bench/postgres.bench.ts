/**
 * Ingest throughput of the desk on postgresStore against raw SQL inserts of the same
 * rows, one transaction per message, on a PostgreSQL server (when DATABASE_URL is set)
 * and on in-memory PGlite. Goal: desk ≥ 0.6× raw.
 *
 * The raw baseline writes exactly the rows one desk ingest of a new conversation writes
 * (customer, identity, ticket, message, the three audit events, the SLA job), copying the
 * column values (SLA snapshot, classification meta, event data…) from a row the desk
 * wrote, with one plain INSERT per table (the three events in one multi-row INSERT),
 * through the driver's ordinary `query()`. Both sides are warmed up; each side runs
 * 3 times, interleaved, and the medians are reported, with the statements per message.
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
  query(
    text: string | { name: string; text: string; values: unknown[] },
    params?: unknown[],
  ): Promise<{ rows: Array<Record<string, unknown>> }>;
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
const { PGlite } = (await import(requireFromStore.resolve("@electric-sql/pglite").replace(/\.cjs$/, ".js"))) as {
  PGlite: { create(): Promise<PGliteLike> };
};

const T0 = new Date("2026-03-02T01:00:00Z");
const TEXTS = [
  "주문한 상품 배송이 언제 오나요?",
  "Where is my order #1042?",
  "사이즈가 작아서 교환하고 싶어요",
  "I was charged twice on my card",
];
const RUNS = 3;

/** N messages, each from a new customer, so every one creates customer, ticket, message and events. */
function events(n: number, prefix: string): InboundEventInput[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "message" as const,
    channel: "webchat",
    externalId: `${prefix}-${i}`,
    occurredAt: new Date(T0.getTime() + i * 1000),
    from: { identities: [{ kind: "webchat" as const, value: `${prefix}-visitor-${i}` }], name: `Customer ${i}` },
    text: TEXTS[i % TEXTS.length]!,
  }));
}

async function seconds(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Column values of a desk-written conversation (per text), reused by the raw inserts so both write the same rows. */
type Template = Record<string, unknown>;

async function templates(q: PgLike, s: string): Promise<Map<string, Template>> {
  const { rows } = await q.query(
    `SELECT m.text, t.subject, t.status, t.priority, t.category, t.team, t.tags::text AS tags, t.language, t.sla_due_at, t.sla::text AS sla, t.meta::text AS ticket_meta,
            m.meta::text AS message_meta, j.type AS job_type, j.run_at, j.payload::text AS payload,
            (SELECT jsonb_agg(jsonb_build_object('type', e.type, 'actor_kind', e.actor_kind, 'data', e.data) ORDER BY e.seq) FROM ${s}.ticket_events e WHERE e.ticket_id = t.id)::text AS events
       FROM ${s}.messages m JOIN ${s}.tickets t ON t.id = m.ticket_id JOIN ${s}.jobs j ON j.ticket_id = t.id
      WHERE m.external_id LIKE 'warm-desk-%' ORDER BY m.position`,
  );
  const byText = new Map<string, Template>();
  for (const r of rows) if (!byText.has(r.text as string)) byText.set(r.text as string, r);
  return byText;
}

type Runner = (q: PgLike, text: string, params: unknown[]) => Promise<unknown>;
const plain: Runner = (q, text, params) => q.query(text, params);
const named: Runner = (q, text, params) =>
  q.query({ name: `raw_${text.length}_${text.slice(12, 40).replace(/\W/g, "")}`, text, values: params });

/** Statements per raw message: BEGIN, 6 INSERTs (the three events in one), COMMIT. */
const RAW_STATEMENTS = 8;

/** The raw baseline: the rows of one desk ingest, written with hand-written INSERTs, one transaction per message. */
async function rawInserts(
  tx: (fn: (q: PgLike) => Promise<void>) => Promise<void>,
  s: string,
  list: InboundEventInput[],
  tpl: Map<string, Template>,
  exec: Runner,
): Promise<void> {
  for (const e of list) {
    if (e.type !== "message") continue;
    const t = tpl.get(e.text)!;
    const identity = e.from.identities[0]!;
    await tx(async (q) => {
      const customerId = randomUUID();
      const ticketId = randomUUID();
      const messageId = randomUUID();
      const at = T0;
      await exec(
        q,
        `INSERT INTO ${s}.customers (id, name, locale, attributes, created_at, updated_at) VALUES ($1, $2, $3, '{}', $4, $4)`,
        [customerId, e.from.name ?? null, t.language, at],
      );
      await exec(
        q,
        `INSERT INTO ${s}.customer_identities (customer_id, position, kind, value, norm_value) VALUES ($1, 0, $2, $3, $3)`,
        [customerId, identity.kind, identity.value],
      );
      await exec(
        q,
        `INSERT INTO ${s}.tickets (id, number, subject, status, priority, category, channel, kind, customer_id, team, tags, language, version, created_at, updated_at, last_customer_message_at, sla_due_at, sla, meta)
         VALUES ($1, nextval('${s}.ticket_number_seq'), $2, $3, $4, $5, $6, 'conversation', $7, $8, $9::text::jsonb, $10, 1, $11, $11, $11, $12, $13::text::jsonb, $14::text::jsonb)`,
        [
          ticketId,
          t.subject,
          t.status,
          t.priority,
          t.category,
          e.channel,
          customerId,
          t.team,
          t.tags,
          t.language,
          at,
          t.sla_due_at,
          t.sla,
          t.ticket_meta,
        ],
      );
      await exec(
        q,
        `INSERT INTO ${s}.messages (id, ticket_id, direction, author_kind, author_id, channel, external_id, text, attachments, delivery_status, visibility, automatic, created_at, meta)
         VALUES ($1, $2, 'inbound', 'customer', $3, $4, $5, $6, '[]', 'received', 'private', false, $7, $8::text::jsonb)`,
        [messageId, ticketId, customerId, e.channel, e.externalId, e.text, e.occurredAt, t.message_meta],
      );
      const evs = JSON.parse(t.events as string) as Array<{
        type: string;
        actor_kind: string;
        data: Record<string, unknown>;
      }>;
      const params: unknown[] = [];
      const values = evs.map((ev, i) => {
        const data = "messageId" in ev.data ? { ...ev.data, messageId, externalId: e.externalId } : ev.data;
        params.push(
          randomUUID(),
          ticketId,
          i + 1,
          ev.type,
          at,
          ev.actor_kind,
          ev.actor_kind === "customer" ? customerId : "sla",
          JSON.stringify(data),
        );
        const b = i * 8;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}::text::jsonb)`;
      });
      await exec(
        q,
        `INSERT INTO ${s}.ticket_events (id, ticket_id, seq, type, at, actor_kind, actor_id, data) VALUES ${values.join(", ")}`,
        params,
      );
      await exec(
        q,
        `INSERT INTO ${s}.jobs (id, key, type, ticket_id, run_at, payload, attempts) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, 0)`,
        [randomUUID(), `sla:${ticketId}`, t.job_type, ticketId, t.run_at, t.payload],
      );
    });
  }
}

interface Opened {
  store: ReturnType<typeof postgresStore>;
  tx: (fn: (q: PgLike) => Promise<void>) => Promise<void>;
  query: PgLike;
  close(): Promise<void>;
}
interface Target {
  name: string;
  /** Whether the driver's ordinary API has named prepared statements (a second raw variant is then measured too). */
  named: boolean;
  open(schema: string, onStatement: (text: string) => void): Promise<Opened>;
}

function serverTarget(url: string): Target {
  return {
    name: "PostgreSQL server",
    named: true,
    async open(schema, onStatement) {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      pool.on("error", () => undefined);
      return {
        store: postgresStore({ pool: pool as never }, { schema, onStatement }),
        query: pool,
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
    named: false,
    async open(schema, onStatement) {
      const db = await PGlite.create();
      return {
        store: postgresStore({ pglite: db as never }, { schema, onStatement }),
        query: db,
        tx: (fn) => db.transaction(fn),
        close: () => db.close(),
      };
    },
  };
}

const rate = (n: number, s: number): string =>
  Math.round(n / s)
    .toLocaleString("en-US")
    .padStart(6);

async function measure(target: Target, n: number): Promise<void> {
  const schema = `sd_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  let statements = 0;
  const opened = await target.open(schema, () => {
    statements++;
  });
  const { store } = opened;
  const s = `"${schema}"`;
  try {
    await store.migrate();
    const desk = createDesk({
      store,
      clock: manualClock(T0),
      channels: [memoryChannel({ id: "webchat" })],
      autoAcknowledge: false,
    });
    // Warm-up of both paths (JIT, plan caches, PGlite's first queries); the desk's rows become the raw side's template.
    for (const e of events(40, "warm-desk")) await desk.ingest(e);
    const tpl = await templates(opened.query, s);
    await rawInserts(opened.tx, s, events(40, "warm-raw"), tpl, plain);
    if (target.named) await rawInserts(opened.tx, s, events(40, "warm-named"), tpl, named);

    const raw: number[] = [];
    const rawNamed: number[] = [];
    const desk_: number[] = [];
    const perIngest: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      raw.push(await seconds(() => rawInserts(opened.tx, s, events(n, `raw${run}`), tpl, plain)));
      if (target.named)
        rawNamed.push(await seconds(() => rawInserts(opened.tx, s, events(n, `named${run}`), tpl, named)));
      const list = events(n, `desk${run}`);
      statements = 0;
      desk_.push(
        await seconds(async () => {
          for (const e of list) await desk.ingest(e);
        }),
      );
      perIngest.push(statements / n);
    }
    const rawS = median(raw);
    const deskS = median(desk_);
    console.log(
      `${target.name}: ${n} messages, each a new customer + ticket, one at a time; median of ${RUNS} runs (messages/s)`,
    );
    console.log(
      `  raw inserts, driver query()          : ${rate(n, rawS)}   (${RAW_STATEMENTS} statements/message)   runs: ${raw.map((x) => rate(n, x).trim()).join(", ")}`,
    );
    if (target.named)
      console.log(
        `  raw inserts, named prepared statements: ${rate(n, median(rawNamed))}   (${RAW_STATEMENTS} statements/message)   runs: ${rawNamed.map((x) => rate(n, x).trim()).join(", ")}`,
      );
    console.log(
      `  createDesk + postgresStore            : ${rate(n, deskS)}   (${median(perIngest).toFixed(1)} statements/message)   runs: ${desk_.map((x) => rate(n, x).trim()).join(", ")}`,
    );
    console.log(`  ratio desk/raw (query())              : ${(rawS / deskS).toFixed(2)}  (goal ≥ 0.6)`);
    if (target.named) console.log(`  ratio desk/raw (named statements)     : ${(median(rawNamed) / deskS).toFixed(2)}`);
  } finally {
    await opened.close();
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
