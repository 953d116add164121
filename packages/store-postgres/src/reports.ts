/**
 * The report capability of the PostgreSQL store (`store.reports.computeReport`): core's report,
 * aggregated in SQL where the events are instead of loading them. `createDesk`'s
 * `reportsPlugin()` uses it when present; figures equal core's `computeReport` over the same
 * events (checked in `test/reports.test.ts`).
 */
import {
  DEFAULT_DURATION_BUCKETS_MS,
  ReportOptionsSchema,
  backlogInstants,
  businessTimeBetween,
  durationStats,
  parseInput,
  type CsatReport,
  type CsatScore,
  type DurationStats,
  type FaqGapsReport,
  type Report,
  type ReportOptionsInput,
  type ReportSource,
  type ExperimentObservation,
  type ExperimentReport,
  type TemplateExperiment,
  experimentResults,
  rootCauseWeeks,
  type RootCauseWeekCount,
} from "@storedesk/core";
import type { Connection } from "./connection.js";
import {
  BACKLOG_SQL,
  COUNTS_SQL,
  GROUPS_SQL,
  csatSql,
  durationPairsSql,
  experimentCountsSql,
  durationStatsSql,
  factsTableSql,
  faqGapsSql,
  slaSql,
} from "./reports-sql.js";
import type { SqlClient } from "./sql-client.js";

type Row = Record<string, unknown>;

function rate(count: number, total: number) {
  return { count, total, rate: total > 0 ? count / total : null };
}

function score(d: [number, number, number, number, number], sent?: number): CsatScore {
  const n = d.reduce((a, b) => a + b, 0);
  const satisfied = d[3] + d[4];
  return {
    responses: n,
    satisfied,
    score: n ? satisfied / n : null,
    responseRate: sent ? Math.min(1, n / sent) : null,
    distribution: d,
  };
}

/** Duration stats of every metric from the SQL aggregate rows. */
function statsFromRows(rows: Row[], bounds: readonly number[]): Record<string, DurationStats> {
  const out: Record<string, DurationStats> = {};
  for (const metric of ["first_reply", "resolution", "next_reply"]) out[metric] = durationStats([], bounds);
  for (const r of rows) {
    const st = out[String(r.metric)]!;
    if (r.bucket === null) {
      Object.assign(st, {
        count: Number(r.n),
        medianMs: Number(r.median),
        p90Ms: Number(r.p90),
        meanMs: Number(r.mean),
      });
    } else {
      st.buckets[Number(r.bucket)]!.count = Number(r.n);
    }
  }
  return out;
}

async function computeIn(tx: SqlClient, s: string, input: ReportOptionsInput): Promise<Report> {
  const o = parseInput(ReportOptionsSchema, input, "report options");
  const bounds = [...(o.bucketsMs ?? DEFAULT_DURATION_BUCKETS_MS)].sort((a, b) => a - b);
  await tx.query(factsTableSql(s), [
    o.period?.from ?? null,
    o.period?.to ?? null,
    o.channels ?? null,
    o.categories ?? null,
    o.teams ?? null,
    o.priorities ?? null,
    o.agents ?? null,
    o.tags ?? null,
  ]);
  // A key on the facts: the per-metric joins back to the events then never scan the log per ticket.
  await tx.query(`CREATE UNIQUE INDEX ON sd_report_facts (ticket_id)`);
  await tx.query(`ANALYZE sd_report_facts`);

  let durations: Record<string, DurationStats>;
  if (o.calendar) {
    // Business time needs the calendar's hours: the pairs come from SQL, the open time is measured here.
    const { rows } = await tx.query<{ metric: string; a: Date; b: Date }>(durationPairsSql(s));
    const by: Record<string, number[]> = { first_reply: [], resolution: [], next_reply: [] };
    for (const r of rows) by[r.metric]!.push(businessTimeBetween(new Date(r.a), new Date(r.b), o.calendar));
    durations = Object.fromEntries(Object.entries(by).map(([k, v]) => [k, durationStats(v, bounds)]));
  } else {
    durations = statsFromRows((await tx.query<Row>(durationStatsSql(s), [bounds])).rows, bounds);
  }

  const c = (await tx.query<Record<string, number>>(COUNTS_SQL)).rows[0]!;
  const volume = {
    total: c.tickets!,
    byCategory: {} as Record<string, number>,
    byChannel: {} as Record<string, number>,
    byHour: new Array<number>(24).fill(0),
    byWeekday: new Array<number>(7).fill(0),
  };
  const rootCauses: Record<string, number> = {};
  const products: Record<string, number> = {};
  const rootWeeks: RootCauseWeekCount[] = [];
  for (const g of (await tx.query<{ dim: string; k: string; n: number }>(GROUPS_SQL, [o.timeZone])).rows) {
    if (g.dim === "category") volume.byCategory[g.k] = g.n;
    else if (g.dim === "channel") volume.byChannel[g.k] = g.n;
    else if (g.dim === "hour") volume.byHour[Number(g.k)] = g.n;
    else if (g.dim === "weekday") volume.byWeekday[Number(g.k)] = g.n;
    else if (g.dim === "root_cause") rootCauses[g.k] = g.n;
    else if (g.dim === "root_week") {
      const [weekStart, rootCause] = JSON.parse(g.k) as [string, string];
      rootWeeks.push({ weekStart, rootCause, count: g.n });
    } else products[g.k] = g.n;
  }
  const sla = (
    await tx.query<{ policy_id: string | null; metric: string; attained: number; breached: number }>(slaSql(s))
  ).rows
    .map((r) => ({
      policyId: r.policy_id,
      metric: r.metric,
      attained: r.attained,
      breached: r.breached,
      rate: r.attained / (r.attained + r.breached),
    }))
    .sort((a, b) => (a.policyId ?? "").localeCompare(b.policyId ?? "") || a.metric.localeCompare(b.metric));

  const csat: CsatReport = {
    ...score([0, 0, 0, 0, 0], c.surveys_sent),
    sent: c.surveys_sent!,
    byAgent: {},
    byCategory: {},
    byChannel: {},
  };
  const groups = (
    await tx.query<{ dim: string; k: string; r1: number; r2: number; r3: number; r4: number; r5: number }>(csatSql(s))
  ).rows.sort((a, b) => a.k.localeCompare(b.k));
  for (const g of groups) {
    const d: [number, number, number, number, number] = [g.r1, g.r2, g.r3, g.r4, g.r5];
    if (g.dim === "all") Object.assign(csat, score(d, c.surveys_sent));
    else (g.dim === "agent" ? csat.byAgent : g.dim === "category" ? csat.byCategory : csat.byChannel)[g.k] = score(d);
  }

  const instants = backlogInstants(o);
  const backlog =
    instants.length === 0
      ? []
      : (
          await tx.query<{ at: Date; open: number }>(BACKLOG_SQL, [instants.map((t) => new Date(t).toISOString())])
        ).rows.map((r) => ({ at: new Date(r.at).toISOString(), open: r.open }));

  const bot = {
    tickets: c.bot_tickets!,
    answered: c.bot_answered!,
    handedOff: c.bot_handed_off!,
    deflected: c.bot_deflected!,
    deflectionRate: c.bot_tickets ? c.bot_deflected! / c.bot_tickets : null,
    handoffRate: c.bot_tickets ? c.bot_handed_off! / c.bot_tickets : null,
  };
  const faqGaps = await faqGapsIn(tx, s, o.faqGaps);
  return {
    period: { from: o.period?.from?.toISOString() ?? null, to: o.period?.to?.toISOString() ?? null },
    timeZone: o.timeZone,
    time: o.calendar ? "business" : "calendar",
    tickets: c.tickets!,
    firstReply: durations.first_reply!,
    resolution: durations.resolution!,
    sla,
    volume,
    reopen: rate(c.reopened!, c.solved!),
    oneTouch: rate(c.one_touch!, c.resolved!),
    complaintsByRootCause: rootCauses,
    nextReply: durations.next_reply!,
    backlog,
    csat,
    bot,
    complaintsByProduct: products,
    complaintTrend: rootCauseWeeks(rootWeeks),
    faqGaps,
  };
}

interface FaqGapRow {
  rank: string | number;
  k: string | null;
  handoffs: number;
  tickets: number;
  resolved: number;
  example: string | null;
  language: string | null;
  best_article_id: string | null;
  best_score: number | null;
}

/** FAQ gaps, grouped and ranked in SQL: a totals row, then the groups in report order. */
async function faqGapsIn(tx: SqlClient, s: string, o: { minScore: number; limit: number }): Promise<FaqGapsReport> {
  const rows = (await tx.query<FaqGapRow>(faqGapsSql(s), [o.minScore, o.limit])).rows;
  const total = rows.find((r) => Number(r.rank) === 0)!;
  return {
    handoffs: total.handoffs,
    tickets: total.tickets,
    withoutQuestion: total.resolved,
    groups: rows
      .filter((r) => Number(r.rank) > 0)
      .map((r) => ({
        key: r.k!,
        handoffs: r.handoffs,
        tickets: r.tickets,
        resolvedByHuman: r.resolved,
        example: r.example,
        language: r.language,
        bestArticleId: r.best_article_id,
        bestScore: r.best_score === null ? null : Number(r.best_score),
      })),
  };
}

/** The observations the counts stand for (the statistics only read counts). */
function* observationsOf(counts: Map<string, { n: number; successes: number }>): Generator<ExperimentObservation> {
  for (const [variant, c] of counts) {
    for (let i = 0; i < c.n; i++) yield { variant, success: i < c.successes };
  }
}

async function experimentIn(tx: SqlClient, s: string, e: TemplateExperiment, now: Date): Promise<ExperimentReport> {
  const { rows } = await tx.query<{ variant: string; assigned: number; n: number; successes: number }>(
    experimentCountsSql(s),
    [e.id, e.outcome, e.targetHours * 3_600_000, now],
  );
  const assigned: Record<string, number> = Object.fromEntries(e.variants.map((v) => [v.name, 0]));
  const counts = new Map<string, { n: number; successes: number }>();
  for (const r of rows) {
    if (r.variant in assigned) assigned[r.variant] = r.assigned;
    counts.set(r.variant, { n: r.n, successes: r.successes });
  }
  const results = experimentResults(
    e.variants.map((v) => v.name),
    observationsOf(counts),
    e.stopRule,
  );
  return { experimentId: e.id, outcome: e.outcome, assigned, ...results };
}

/**
 * The report capability over a connection: every report in one read-only transaction (one
 * consistent snapshot), the per-ticket facts in a temporary table dropped at commit.
 *
 * @example
 * const report = await store.reports.computeReport({ timeZone: "Asia/Seoul" });
 */
export function postgresReports(conn: Connection): ReportSource {
  return {
    async experimentReport(experiment, now) {
      await conn.ready();
      return conn.client.transaction((tx) => experimentIn(tx, conn.s, experiment, now));
    },
    async computeReport(options = {}) {
      await conn.ready();
      return conn.client.transaction(async (tx) => {
        await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        return computeIn(tx, conn.s, options);
      });
    },
  };
}
