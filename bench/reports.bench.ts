/**
 * Reports benchmark: computeReport over 1,000,000 generated audit events in memory (125,000
 * tickets of 8 events), against one plain grouped count (tickets by category) over the same
 * array in the same run; then the same report aggregated in SQL over 1,000,000 events on a
 * PostgreSQL server (DATABASE_URL) and on in-memory PGlite, each against one plain grouped
 * `COUNT(*)` over the same table in the same run. Run: npx -y pnpm@12.4.2 bench reports
 * (BENCH_REPORTS_SQL=0 skips the SQL part; BENCH_REPORTS_EVENTS=N changes its size). Every report
 * includes the FAQ gap section: one ticket in five of the in-memory history has a bot hand-off with
 * a question (202 question keys), and `generateReportHistory` writes question hand-offs too.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { TicketEvent } from "../packages/core/src/domain/event.js";
import {
  computeReport,
  factsByTicket,
  faqGaps,
  generateReportHistory,
  type ReportOptionsInput,
} from "../packages/core/src/reports/index.js";
import { postgresStore, type PostgresStore } from "../packages/store-postgres/src/index.js";

// pg and PGlite are dependencies of the store package, not of the repository root.
interface PgLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}
const requireFromStore = createRequire(new URL("../packages/store-postgres/package.json", import.meta.url));
const pg = requireFromStore("pg") as {
  Pool: new (config: { connectionString: string; max?: number }) => PgLike & { end(): Promise<void> };
};
const { PGlite } = (await import(requireFromStore.resolve("@electric-sql/pglite").replace(/\.cjs$/, ".js"))) as {
  PGlite: { create(): Promise<PgLike & { close(): Promise<void> }> };
};

const EVENTS = 1_000_000;
const PER_TICKET = 8;
const MIN = 60_000;
const CATEGORIES = ["product", "shipping", "refund_exchange", "order_change", "payment", "complaint", "other"];
const CHANNELS = ["email", "whatsapp", "messenger", "webchat"];
const AGENTS = ["kim", "lee", "park", "choi"];
/** Questions of the bot's hand-offs (as the knowledge bot writes them), so the report's FAQ gaps have work. */
const QUESTIONS: [string, string, string][] = [
  ["배송 언제 와요?", "배송 언제", "ko"],
  ["배송은 언제 오나요", "배송 언제", "ko"],
  ["대량 구매 견적 받을 수 있나요?", "견적 구매 대량", "ko"],
  ["선물 포장 되나요", "선물 포장", "ko"],
  ["When will my order arrive?", "arriv order when", "en"],
  ["Do you ship abroad?", "abroad ship", "en"],
];

/** Small deterministic PRNG (mulberry32), so every run measures the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function history(): TicketEvent[] {
  const rnd = prng(15);
  const out: TicketEvent[] = [];
  const start = Date.UTC(2026, 9, 1);
  const system = { kind: "system" as const, id: null };
  for (let t = 0; out.length < EVENTS; t++) {
    const ticketId = `t${t}`;
    const at = start + Math.floor(rnd() * 60 * 24 * 60) * MIN;
    const agent = { kind: "agent" as const, id: AGENTS[t % AGENTS.length]! };
    const channel = CHANNELS[Math.floor(rnd() * CHANNELS.length)]!;
    const reply = at + Math.floor(rnd() * 600) * MIN;
    const solved = reply + Math.floor(rnd() * 3000) * MIN;
    const breached = rnd() < 0.1;
    const steps: [number, string, Record<string, unknown>, TicketEvent["actor"]][] = [
      [
        at,
        "ticket.created",
        { status: "new", priority: "normal", category: CATEGORIES[t % CATEGORIES.length], channel, tags: [] },
        system,
      ],
      [at, "message.received", { channel }, system],
      [at, "sla.applied", { policyId: "standard" }, system],
      // One ticket in five: a bot hand-off with the question instead of the acknowledgement (still 8 events).
      t % 5 === 0
        ? [
            at + MIN,
            "bot.handoff",
            {
              trigger: "low_confidence",
              articleId: null,
              score: 0.2 + (t % 7) / 20,
              topArticleId: `a${t % 40}`,
              question: QUESTIONS[t % QUESTIONS.length]![0],
              questionKey: `${QUESTIONS[t % QUESTIONS.length]![1]}${t % 3 === 0 ? "" : ` ${t % 500}`}`,
              language: QUESTIONS[t % QUESTIONS.length]![2],
            },
            { kind: "bot", id: "knowledge-bot" },
          ]
        : [at + MIN, "ack.sent", { channel, authorKind: "system", automatic: true }, system],
      [reply, "reply.sent", { channel, authorKind: "agent", automatic: false }, agent],
      [reply, breached ? "sla.breached" : "sla.fulfilled", { metric: "first_reply" }, system],
      [solved, "status.changed", { from: "open", to: "solved" }, agent],
      [solved, "sla.fulfilled", { metric: "resolution" }, system],
    ];
    steps.forEach(([ms, type, data, actor], i) =>
      out.push({ id: `${ticketId}-${i}`, ticketId, seq: i + 1, type, at: new Date(ms), actor, data }),
    );
  }
  return out;
}

/** The baseline: one grouped count, the cheapest pass that still reads every event. */
function groupedCount(events: readonly TicketEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.type !== "ticket.created") continue;
    const c = e.data.category as string;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

function time<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const value = fn();
  return [performance.now() - t0, value];
}

/** Runs the benchmark and prints the figures. */
export async function run(): Promise<void> {
  const [genMs, events] = time(history);
  console.log(
    `generated ${events.length.toLocaleString("en")} events (${events.length / PER_TICKET} tickets) in ${genMs.toFixed(0)} ms`,
  );
  groupedCount(events); // warm-up
  computeReport(events.slice(0, 80_000), { timeZone: "Asia/Seoul" });
  const base: number[] = [];
  const full: number[] = [];
  let report: ReturnType<typeof computeReport> | null = null;
  for (let i = 0; i < 3; i++) {
    base.push(time(() => groupedCount(events))[0]);
    const [ms, r] = time(() => computeReport(events, { timeZone: "Asia/Seoul" }));
    full.push(ms);
    report = r;
  }
  const [foldMs, facts] = time(() => factsByTicket(events));
  const [gapsMs] = time(() => faqGaps(facts, { minScore: 0.55, limit: 10 }));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const b = median(base);
  const f = median(full);
  console.log(
    `baseline grouped count: ${b.toFixed(1)} ms (${(((events.length / b) * 1000) / 1e6).toFixed(1)} M events/s)`,
  );
  console.log(
    `computeReport (Asia/Seoul, calendar time): ${f.toFixed(0)} ms (${(((events.length / f) * 1000) / 1e6).toFixed(2)} M events/s)`,
  );
  console.log(`  of which grouping and folding the log (factsByTicket): ${foldMs.toFixed(0)} ms`);
  console.log(`  of which the FAQ gap section (faqGaps over the folded facts): ${gapsMs.toFixed(0)} ms`);
  console.log(`ratio computeReport / baseline: ${(f / b).toFixed(1)}x (median of 3)`);
  console.log(
    `check: ${report!.tickets} tickets, first reply median ${(report!.firstReply.medianMs! / MIN).toFixed(1)} min,` +
      ` SLA first_reply ${(report!.sla.find((s) => s.metric === "first_reply")!.rate! * 100).toFixed(1)}%,` +
      ` FAQ gaps ${report!.faqGaps.handoffs} hand-offs in ${report!.faqGaps.groups.length} listed groups` +
      ` (top: ${report!.faqGaps.groups[0]?.key} × ${report!.faqGaps.groups[0]?.handoffs})`,
  );
  if (process.env.BENCH_REPORTS_SQL !== "0") await runSql();
}

const SQL_EVENTS = Number(process.env.BENCH_REPORTS_EVENTS ?? 1_000_000);
const SQL_QUERIES: Record<string, ReportOptionsInput> = {
  "full report, UTC": {},
  "November in Seoul, daily backlog": {
    timeZone: "Asia/Seoul",
    period: { from: new Date("2026-11-01T00:00:00+09:00"), to: new Date("2026-12-01T00:00:00+09:00") },
  },
  "filtered (email + whatsapp, agents kim/lee)": {
    channels: ["email", "whatsapp"],
    agents: ["kim", "lee"],
    timeZone: "Asia/Seoul",
  },
};

/** Loads ~SQL_EVENTS generated events (core's generator: every event type the reports read) in chunks. */
async function load(db: PgLike, schema: string): Promise<number> {
  let n = 0;
  for (let chunk = 0; n < SQL_EVENTS; chunk++) {
    const events = generateReportHistory({ tickets: 5000, seed: chunk + 1, firstTicket: chunk * 5000 }).slice(
      0,
      SQL_EVENTS - n,
    );
    const rows = events.map((e) => ({
      id: e.id,
      ticket_id: e.ticketId,
      seq: e.seq,
      type: e.type,
      at: e.at.toISOString(),
      actor_kind: e.actor.kind,
      actor_id: e.actor.id,
      data: e.data,
    }));
    await db.query(
      `INSERT INTO "${schema}".ticket_events (id, ticket_id, seq, type, at, actor_kind, actor_id, data)
      SELECT id, ticket_id, seq, type, at, actor_kind, actor_id, data FROM jsonb_to_recordset($1::text::jsonb)
      AS x(id text, ticket_id text, seq int, type text, at timestamptz, actor_kind text, actor_id text, data jsonb)`,
      [JSON.stringify(rows)],
    );
    n += events.length;
  }
  await db.query(`ANALYZE "${schema}".ticket_events`);
  return n;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

/** Each report in SQL against `SELECT type, count(*) … GROUP BY type` over the same table, 3 runs interleaved, medians. */
async function sqlRun(name: string, db: PgLike, store: PostgresStore, schema: string): Promise<void> {
  const [loadMs, n] = await timed(() => load(db, schema));
  console.log(`${name}: loaded ${n.toLocaleString("en")} events in ${(loadMs / 1000).toFixed(0)} s`);
  const baseline = () => db.query(`SELECT type, count(*) FROM "${schema}".ticket_events GROUP BY type`);
  await baseline();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  for (const [label, query] of Object.entries(SQL_QUERIES)) {
    const base: number[] = [];
    const rep: number[] = [];
    let tickets = 0;
    let gaps = 0;
    for (let i = 0; i < 3; i++) {
      base.push((await timed(baseline))[0]);
      const [ms, r] = await timed(() => store.reports.computeReport(query));
      rep.push(ms);
      tickets = r.tickets;
      gaps = r.faqGaps.handoffs;
    }
    const b = median(base);
    const r = median(rep);
    console.log(
      `  ${label}: report ${r.toFixed(0)} ms, grouped COUNT(*) ${b.toFixed(0)} ms, ratio ${(r / b).toFixed(1)}x (${tickets} tickets, ${gaps} FAQ-gap hand-offs)`,
    );
  }
}

/** The SQL side: a PostgreSQL server when DATABASE_URL is set, then in-memory PGlite. */
export async function runSql(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `bench_reports_${process.pid}`;
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const store = postgresStore({ pool: pool as never }, { schema });
    await store.migrate();
    try {
      await sqlRun("PostgreSQL server", pool, store, schema);
    } finally {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await store.close();
      await pool.end();
    }
  } else {
    console.log("PostgreSQL server: skipped (set DATABASE_URL to measure it)");
  }
  if (process.env.BENCH_REPORTS_PGLITE === "0") return;
  const db = await PGlite.create();
  const store = postgresStore({ pglite: db as never }, { schema: "bench" });
  await store.migrate();
  try {
    await sqlRun("PGlite (in memory)", db, store, "bench");
  } finally {
    await store.close();
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
