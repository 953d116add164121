/**
 * Throughput while the database cuts connections (pg_terminate_backend of every backend of the
 * app, every 200 ms and every 1 s) against the same work without kills, and how fast it recovers
 * once the kills stop. Needs a PostgreSQL server (DATABASE_URL); prints a note and returns without.
 *
 * Two retry policies run the same ingest-sized transaction (customer, identity, ticket, message,
 * three audit events, a job: 8 statements) through postgresStore, 8 at a time:
 * - "backoff every loss": the desk's policy before this change (25 ms × 2^attempt, ×0.5–1.5
 *   jitter, capped at 2 s, after every dropped connection);
 * - "retry lost at once": a connection lost mid-transaction is retried at once on a fresh one; only
 *   a failed connect (server away) or a second loss in a row backs off (capped at 500 ms).
 * Then the desk itself (`desk.ingest`, whatever policy it has) under the same kills.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx -y pnpm@12.4.2 bench reconnect
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createDesk, StoredeskError, type StoreOps } from "../packages/core/src/index.js";
import { memoryChannel } from "../packages/core/src/testing/memory-channel.js";
import { postgresStore, type PostgresStore } from "../packages/store-postgres/src/index.js";

interface PoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
  on(event: "error", fn: () => void): void;
}
const requireFromStore = createRequire(new URL("../packages/store-postgres/package.json", import.meta.url));
const pg = requireFromStore("pg") as {
  Pool: new (config: { connectionString: string; max?: number; application_name?: string }) => PoolLike;
};

const WIDTH = 8;
const PHASE_MS = Number(process.env.BENCH_RECONNECT_MS ?? 5000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Policy = (err: StoredeskError, attempt: number) => number;
const POLICIES: Record<string, Policy> = {
  "backoff every loss": (_err, attempt) => Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()),
  "retry lost at once": (err, attempt) =>
    attempt === 1 && err.details?.phase !== "connect"
      ? 0
      : Math.min(500, 25 * 2 ** (attempt - 1)) * (0.5 + Math.random()),
};

/** One ingest's worth of writes for a new conversation. */
async function work(tx: StoreOps, n: string, now: Date): Promise<void> {
  const customerId = randomUUID();
  await tx.insertCustomer({
    id: customerId,
    name: null,
    locale: "ko",
    identities: [{ kind: "webchat", value: `rc-${n}` }],
    attributes: {},
    createdAt: now,
    updatedAt: now,
    mergedInto: null,
  });
  const ticketId = randomUUID();
  await tx.insertTicket({
    id: ticketId,
    number: await tx.nextTicketNumber(),
    subject: null,
    status: "open",
    priority: "normal",
    category: "shipping",
    channel: "webchat",
    kind: "conversation",
    customerId,
    assigneeId: null,
    team: null,
    tags: [],
    language: "ko",
    conversationKey: `rc-${n}`,
    version: 1,
    createdAt: now,
    updatedAt: now,
    lastCustomerMessageAt: now,
    firstRepliedAt: null,
    solvedAt: null,
    closedAt: null,
    followUpOf: null,
    mergedInto: null,
    slaDueAt: null,
    sla: null,
    complaint: null,
    meta: {},
  });
  await tx.insertMessage({
    id: randomUUID(),
    ticketId,
    direction: "inbound",
    authorKind: "customer",
    authorId: customerId,
    channel: "webchat",
    externalId: `rc-${n}`,
    text: "배송 언제 와요?",
    html: null,
    attachments: [],
    deliveryStatus: "received",
    deliveryError: null,
    visibility: "public",
    automatic: false,
    createdAt: now,
    meta: {},
  });
  await tx.appendEvents!(
    [1, 2, 3].map((seq) => ({
      id: randomUUID(),
      ticketId,
      seq,
      type: "ticket.created",
      at: now,
      actor: { kind: "customer" as const, id: customerId },
      data: {},
    })),
  );
  await tx.scheduleJob({
    id: randomUUID(),
    key: `sla:${ticketId}`,
    type: "sla.check",
    ticketId,
    runAt: now,
    payload: {},
    attempts: 0,
    lockedBy: null,
    lockedUntil: null,
  });
}

async function withRetry(
  store: PostgresStore,
  policy: Policy,
  fn: (tx: StoreOps) => Promise<void>,
  stats: { waitedMs: number },
): Promise<boolean> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    try {
      await store.transaction(fn);
      return true;
    } catch (err) {
      if (!StoredeskError.is(err) || !err.retryable || attempt === 8) return false;
      const wait = err.code === "PROVIDER_UNAVAILABLE" ? policy(err, attempt) : 0;
      stats.waitedMs += wait;
      if (wait > 0) await sleep(wait);
    }
  }
  return false;
}

/** Kills every backend of `app` every `everyMs` until `stop()`. */
function killer(
  admin: PoolLike,
  app: string,
  everyMs: number | null,
): { stop: () => void; done: () => Promise<number> } {
  let running = everyMs !== null;
  let kills = 0;
  const loop = (async () => {
    while (running) {
      const { rows } = await admin.query(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1",
        [app],
      );
      kills += rows[0]!.n as number;
      await sleep(everyMs!);
    }
  })();
  // stop() ends the kills at once (a kill statement already sent still lands); `done` waits for the loop.
  return {
    stop: () => {
      running = false;
    },
    done: async () => {
      await loop;
      return kills;
    },
  };
}

/** Runs `once` with WIDTH workers for PHASE_MS under kills, then measures the recovery after the kills stop. */
async function phase(admin: PoolLike, app: string, everyMs: number | null, once: () => Promise<boolean>) {
  let ok = 0;
  let failed = 0;
  let stopAt = Date.now() + PHASE_MS;
  let firstAfter: number | null = null;
  let killsStoppedAt = 0;
  let afterCount = 0;
  const kill = killer(admin, app, everyMs);
  const workers = Array.from({ length: WIDTH }, async () => {
    while (Date.now() < stopAt) {
      const started = Date.now();
      const success = await once();
      if (success) ok++;
      else failed++;
      // Recovery counts work begun after the kills stopped (not a transaction that straddled the stop).
      if (success && killsStoppedAt > 0 && started >= killsStoppedAt) {
        afterCount++;
        firstAfter ??= Date.now() - killsStoppedAt;
      }
    }
  });
  await sleep(PHASE_MS);
  kill.stop();
  killsStoppedAt = Date.now();
  const okAtStop = ok;
  stopAt = killsStoppedAt + 1000; // one more second without kills: how quickly is it back?
  await Promise.all(workers);
  const kills = await kill.done();
  return {
    perSecond: okAtStop / (PHASE_MS / 1000),
    failed,
    kills,
    firstAfterMs: firstAfter,
    afterFirstSecond: afterCount,
  };
}

export async function run(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log("reconnect: skipped (set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)");
    return;
  }
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  admin.on("error", () => undefined);
  const schema = `sd_bench_rc_${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const app = `sd-bench-rc-${randomUUID().slice(0, 8)}`;
  const pool = new pg.Pool({ connectionString: url, max: WIDTH, application_name: app });
  pool.on("error", () => undefined);
  const store = postgresStore({ pool: pool as never }, { schema });
  await store.migrate();
  let n = 0;
  try {
    console.log(
      `${WIDTH} concurrent ingest-sized transactions (8 statements), ${PHASE_MS / 1000} s per phase, then 1 s without kills`,
    );
    for (const [name, policy] of Object.entries(POLICIES)) {
      const rows: string[] = [];
      let base = 0;
      for (const everyMs of [null, 1000, 200]) {
        const stats = { waitedMs: 0 };
        const r = await phase(admin, app, everyMs, () =>
          withRetry(store, policy, (tx) => work(tx, `${n++}`, new Date()), stats),
        );
        if (everyMs === null) base = r.perSecond;
        rows.push(
          `  kills ${everyMs === null ? "none   " : `every ${everyMs} ms`}: ${r.perSecond.toFixed(1)}/s (${(r.perSecond / base).toFixed(3)}× no kills), ` +
            `${r.kills} backends killed, ${r.failed} gave up, ${(stats.waitedMs / 1000).toFixed(1)} s slept in backoff; ` +
            `after the kills: first success in ${r.firstAfterMs ?? "–"} ms, ${r.afterFirstSecond} in the first second`,
        );
      }
      console.log(`${name}:\n${rows.join("\n")}`);
    }
    const desk = createDesk({ store, channels: [memoryChannel({ id: "webchat" })], autoAcknowledge: false });
    desk.on("error", () => undefined);
    const ingest = async () => {
      const i = n++;
      try {
        await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: `rc-desk-${i}`,
          occurredAt: new Date(),
          from: { identities: [{ kind: "webchat", value: `rc-desk-${i}` }] },
          text: "배송 언제 와요?",
        });
        return true;
      } catch {
        return false;
      }
    };
    const rows: string[] = [];
    let base = 0;
    for (const everyMs of [null, 1000, 200]) {
      const r = await phase(admin, app, everyMs, ingest);
      if (everyMs === null) base = r.perSecond;
      rows.push(
        `  kills ${everyMs === null ? "none   " : `every ${everyMs} ms`}: ${r.perSecond.toFixed(1)} deliveries/s (${(r.perSecond / base).toFixed(3)}×), ` +
          `${r.failed} gave up; after the kills: first success in ${r.firstAfterMs ?? "–"} ms, ${r.afterFirstSecond} in the first second`,
      );
    }
    console.log(`desk.ingest (its own retry policy):\n${rows.join("\n")}`);
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
