/**
 * What the outbox costs per outbound message, on PGlite and (with DATABASE_URL) a PostgreSQL
 * server: the SQL statements and the time of `desk.reply` (queued in the ticket's transaction,
 * sent, recorded) against `desk.note` (the same ticket transaction with a message and its audit
 * event, nothing sent) on the same tickets, in the same run. Statements are counted by wrapping
 * the driver's `query` (PGlite) or each pooled client's (a server); BEGIN/COMMIT count as statements.
 * PGlite runs statements inside a transaction through its protocol entry point, which this does
 * not see: its counts are of round trips outside transactions plus BEGIN/COMMIT only.
 *
 *   node --conditions=storedesk-source --import tsx bench/outbox.bench.ts
 */
import { createRequire } from "node:module";
import { createDesk, manualClock, type Desk } from "../packages/core/src/index.js";
import { memoryChannel } from "../packages/core/src/testing/memory-channel.js";
import { postgresStore } from "../packages/store-postgres/src/index.js";

interface Queryable {
  query: (...args: unknown[]) => Promise<unknown>;
}
const requireFromStore = createRequire(new URL("../packages/store-postgres/package.json", import.meta.url));
const pg = requireFromStore("pg") as {
  Pool: new (config: {
    connectionString: string;
    max?: number;
  }) => Queryable & { end(): Promise<void>; on(e: string, f: () => void): void };
};
const { PGlite } = (await import(requireFromStore.resolve("@electric-sql/pglite").replace(/\.cjs$/, ".js"))) as {
  PGlite: {
    create(): Promise<
      Queryable & {
        close(): Promise<void>;
        exec: (...a: unknown[]) => Promise<unknown>;
        transaction: (...a: unknown[]) => Promise<unknown>;
      }
    >;
  };
};

const T0 = new Date("2026-03-02T01:00:00Z");
const N = Number(process.env.BENCH_OUTBOX_N ?? 300);

/** Counts every statement PGlite runs through `query` (and BEGIN/COMMIT of its transactions). */
function countingPglite<T extends Queryable>(target: T): { count: () => number; reset: () => void } {
  let n = 0;
  const original = target.query.bind(target);
  target.query = (...args: unknown[]) => {
    n++;
    return original(...args);
  };
  const t = target as unknown as { transaction: (fn: (tx: Queryable) => Promise<unknown>) => Promise<unknown> };
  const tx = t.transaction.bind(target);
  t.transaction = (fn) => {
    n += 2;
    return tx((inner: Queryable) => {
      const q = inner.query.bind(inner);
      inner.query = (...a: unknown[]) => {
        n++;
        return q(...a);
      };
      return fn(inner);
    });
  };
  return {
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

/** Counts every statement the pool's clients run (each client wrapped once, when it connects). */
function countingPool(pool: { on(event: "connect", fn: (client: Queryable) => void): void }): {
  count: () => number;
  reset: () => void;
} {
  let n = 0;
  pool.on("connect", (client) => {
    const q = client.query.bind(client);
    client.query = (...a: unknown[]) => {
      n++;
      return q(...a);
    };
  });
  return {
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

async function measure(name: string, desk: Desk, meter: { count: () => number; reset: () => void }) {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const { ticket } = await desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: `b-${name}-${i}`,
      occurredAt: T0,
      from: { identities: [{ kind: "webchat", value: `v-${name}-${i}` }] },
      text: "배송 언제 와요?",
    });
    ids.push(ticket!.id);
  }
  const run = async (what: "note" | "reply") => {
    meter.reset();
    const start = performance.now();
    for (const id of ids) {
      if (what === "note") await desk.note(id, { text: "메모", agentId: "kim" });
      else await desk.reply(id, { text: "오늘 출고됩니다", agentId: "kim" }, { wait: "sent" });
    }
    return { ms: (performance.now() - start) / ids.length, statements: meter.count() / ids.length };
  };
  await run("note"); // warm-up
  const note = await run("note");
  const reply = await run("reply");
  console.log(
    `${name}: note ${note.statements.toFixed(1)} statements, ${note.ms.toFixed(2)} ms; reply through the outbox ${reply.statements.toFixed(1)} statements, ${reply.ms.toFixed(2)} ms` +
      ` (+${(reply.statements - note.statements).toFixed(1)} statements, ${(reply.ms / note.ms).toFixed(2)}× the note's time)`,
  );
}

/** The benchmark's entry point. */
export async function run(): Promise<void> {
  const db = await PGlite.create();
  const meter = countingPglite(db);
  const store = postgresStore({ pglite: db as never }, { schema: "bench_outbox" });
  const clock = manualClock(T0);
  const desk = createDesk({ store, clock, channels: [memoryChannel({ id: "webchat" })], autoAcknowledge: false });
  await measure("PGlite", desk, meter);
  await desk.close();
  await db.close();
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    pool.on("error", () => undefined);
    const pm = countingPool(pool as never);
    const schema = `bench_outbox_${Date.now().toString(36)}`;
    const server = postgresStore({ pool: pool as never }, { schema });
    const d = createDesk({
      store: server,
      clock,
      channels: [memoryChannel({ id: "webchat" })],
      autoAcknowledge: false,
    });
    await measure("PostgreSQL server", d, pm);
    await d.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
