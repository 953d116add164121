/**
 * The SQL of the PostgreSQL reports: one aggregation of the audit log per ticket into a temporary
 * table of facts (the same reading of the log as core's `ticketFacts`), then one small grouped
 * query per metric over it.
 *
 * @internal
 */

/** A human reply, as core's `ticketFacts` reads one (not automatic, by an agent, not a bot). */
const HUMAN = `(e.type = 'reply.sent' AND (e.data->'automatic') IS DISTINCT FROM 'true'::jsonb
  AND coalesce(e.data->>'authorKind', 'agent') = 'agent' AND e.actor_kind <> 'bot')`;
const CREATION = `e.type IN ('ticket.created', 'ticket.follow_up_created')`;
const str = (expr: string) =>
  `CASE WHEN jsonb_typeof(${expr}) = 'string' THEN ${expr.replace(/->'([^']+)'$/, "->>'$1'")} END`;
const last = (value: string, where: string) => `(array_agg(${value} ORDER BY e.seq DESC) FILTER (WHERE ${where}))[1]`;

/** The name of the per-report temporary table of facts. */
export const FACTS = "sd_report_facts";

/**
 * `CREATE TEMP TABLE … AS` the facts of every ticket matching the filters.
 * Parameters: $1 from, $2 to, $3 channels, $4 categories, $5 teams, $6 priorities, $7 agents, $8 tags.
 */
export function factsTableSql(s: string): string {
  return `CREATE TEMP TABLE ${FACTS} ON COMMIT DROP AS
WITH agg AS (
  SELECT e.ticket_id,
    (array_agg(e.at ORDER BY e.seq) FILTER (WHERE ${CREATION}))[1] AS created_at,
    (array_agg(e.data ORDER BY e.seq) FILTER (WHERE ${CREATION}))[1] AS cdata,
    ${last("e.data->>'to'", "e.type = 'category.changed' AND jsonb_typeof(e.data->'to') = 'string'")} AS category_to,
    ${last("e.data->>'to'", "e.type = 'priority.changed' AND jsonb_typeof(e.data->'to') = 'string'")} AS priority_to,
    ${last("e.data->'to'", "e.type = 'tags.changed' AND jsonb_typeof(e.data->'to') = 'array'")} AS tags_to,
    ${last(str("e.data->'to'"), "e.type = 'assigned'")} AS assignee_id,
    ${last(str("e.data->'toTeam'"), "e.type = 'assigned' AND e.data ? 'toTeam'")} AS team,
    min(e.at) FILTER (WHERE ${HUMAN}) AS first_reply_at,
    max(e.at) FILTER (WHERE ${HUMAN}) AS last_reply_at,
    count(*) FILTER (WHERE ${HUMAN})::int AS human_replies,
    array_agg(DISTINCT e.actor_id) FILTER (WHERE ${HUMAN} AND e.actor_kind = 'agent' AND e.actor_id IS NOT NULL) AS replied_by,
    min(e.at) FILTER (WHERE e.type = 'bot.handoff') AS handoff_at,
    coalesce(bool_or(e.type = 'bot.answered'), false) AS bot_answered,
    coalesce(bool_or(e.type = 'bot.handoff'), false) AS bot_handed_off,
    ${last(str("e.data->'policyId'"), "e.type = 'sla.applied'")} AS policy_id,
    ${last("e.data->>'rootCause'", "e.type = 'complaint.advanced' AND e.data->>'to' = 'closed' AND jsonb_typeof(e.data->'rootCause') = 'string'")} AS root_cause,
    ${last("e.at", "e.type = 'complaint.advanced' AND e.data->>'to' = 'closed' AND jsonb_typeof(e.data->'rootCause') = 'string'")} AS root_closed_at,
    ${last("e.data->>'productId'", "e.type = 'product.linked' AND jsonb_typeof(e.data->'productId') = 'string'")} AS product_id,
    count(*) FILTER (WHERE e.type = 'csat.sent')::int AS surveys_sent
  FROM ${s}.ticket_events e
  GROUP BY e.ticket_id
),
st AS (
  -- A reopen followed by a survey answer's status change back (reason csat_answer) is not a reopen.
  SELECT e.ticket_id, e.seq, e.at, e.data->>'from' AS fr, e.data->>'to' AS t, e.data->>'reason' AS reason,
    lead(e.data->>'reason') OVER (PARTITION BY e.ticket_id ORDER BY e.seq) AS next_reason
  FROM ${s}.ticket_events e WHERE e.type = 'status.changed'
),
sa AS (
  SELECT ticket_id,
    count(*) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND t = 'solved')::int AS solved_count,
    max(seq) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND (t = 'solved' OR (t = 'closed' AND fr IS DISTINCT FROM 'solved'))) AS resolve_seq,
    (array_agg(at ORDER BY seq DESC) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND (t = 'solved' OR (t = 'closed' AND fr IS DISTINCT FROM 'solved'))))[1] AS resolve_at,
    max(seq) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND fr = 'solved' AND t IN ('new', 'open', 'pending', 'on_hold')
      AND next_reason IS DISTINCT FROM 'csat_answer') AS reopen_seq
  FROM st GROUP BY ticket_id
),
f AS (
  SELECT agg.ticket_id, agg.created_at,
    coalesce(${str("agg.cdata->'channel'")}, 'unknown') AS channel,
    coalesce(agg.category_to, ${str("agg.cdata->'category'")}, 'other') AS category,
    coalesce(agg.priority_to, ${str("agg.cdata->'priority'")}, 'normal') AS priority,
    coalesce(agg.tags_to, CASE WHEN jsonb_typeof(agg.cdata->'tags') = 'array' THEN agg.cdata->'tags' END, '[]'::jsonb) AS tags,
    agg.team, agg.assignee_id, ${str("agg.cdata->'origin'")} AS origin, agg.first_reply_at, agg.last_reply_at, agg.human_replies, coalesce(agg.replied_by, '{}') AS replied_by,
    CASE WHEN sa.resolve_seq > coalesce(sa.reopen_seq, 0) THEN sa.resolve_at END AS resolved_at,
    coalesce(sa.solved_count, 0) AS solved_count, sa.reopen_seq IS NOT NULL AS reopened,
    agg.policy_id, agg.root_cause, agg.root_closed_at, agg.product_id, agg.handoff_at, agg.bot_answered, agg.bot_handed_off, agg.surveys_sent
  FROM agg LEFT JOIN sa ON sa.ticket_id = agg.ticket_id
  WHERE agg.created_at IS NOT NULL
)
SELECT * FROM f
WHERE ($1::timestamptz IS NULL OR created_at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR created_at < $2::timestamptz)
  AND ($3::text[] IS NULL OR channel = ANY($3::text[])) AND ($4::text[] IS NULL OR category = ANY($4::text[]))
  AND ($5::text[] IS NULL OR team = ANY($5::text[])) AND ($6::text[] IS NULL OR priority = ANY($6::text[]))
  AND ($7::text[] IS NULL OR assignee_id = ANY($7::text[]) OR replied_by && $7::text[])
  AND ($8::text[] IS NULL OR tags ?| $8::text[])`;
}

/** Durations in ms as float8 (exact for whole milliseconds). */
const ms = (from: string, to: string) => `(extract(epoch FROM (${to}) - (${from})) * 1000)::float8`;

/** Where the first reply time starts: the bot's hand-off when it came before the first human reply. */
export const FIRST_REPLY_START = `CASE WHEN handoff_at IS NOT NULL AND handoff_at <= first_reply_at THEN handoff_at ELSE created_at END`;

/** The customer messages and human replies of the facts' tickets, each with the count of human replies so far. */
function conversationSql(s: string): string {
  return `SELECT e.ticket_id, e.at, e.type = 'message.received' AS is_message, ${HUMAN} AS human,
    count(*) FILTER (WHERE ${HUMAN}) OVER (PARTITION BY e.ticket_id ORDER BY e.seq) AS k
  FROM ${s}.ticket_events e JOIN ${FACTS} f ON f.ticket_id = e.ticket_id
  WHERE e.type IN ('message.received', 'reply.sent')`;
}

/**
 * The pairs (start, end) of every duration metric, as `WITH` parts ending in `p(metric, a, b)`:
 * first reply (of customers' tickets: none with an `origin`, as in core), resolution, and next reply (the first customer message after the k-th human
 * reply, to the (k+1)-th).
 */
export function durationPairsWith(s: string): string {
  return `cv AS (${conversationSql(s)}),
w AS (SELECT ticket_id, k, min(at) AS a FROM cv WHERE is_message AND k >= 1 GROUP BY ticket_id, k),
p AS (
  SELECT 'first_reply' AS metric, ${FIRST_REPLY_START} AS a, first_reply_at AS b FROM ${FACTS} WHERE first_reply_at IS NOT NULL AND origin IS NULL
  UNION ALL SELECT 'resolution', created_at, resolved_at FROM ${FACTS} WHERE resolved_at IS NOT NULL
  UNION ALL SELECT 'next_reply', w.a, r.at FROM w JOIN cv r ON r.ticket_id = w.ticket_id AND r.human AND r.k = w.k + 1
)`;
}

/**
 * Count, median, p90, mean and bucket counts of every duration metric, all in SQL.
 * Parameters: $1 bucket bounds (float8[], ascending).
 */
export function durationStatsSql(s: string): string {
  return `WITH ${durationPairsWith(s)}, d AS (SELECT metric, ${ms("a", "b")} AS v FROM p)
SELECT metric, NULL::int AS bucket, count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY v) AS p90, avg(v) AS mean FROM d GROUP BY metric
UNION ALL
SELECT metric, width_bucket(v, $1::float8[]), count(*)::int, NULL, NULL, NULL FROM d GROUP BY metric, 2`;
}

/** The duration pairs themselves (for business time, measured in JS with the calendar). */
export function durationPairsSql(s: string): string {
  return `WITH ${durationPairsWith(s)} SELECT metric, a, b FROM p`;
}

/** Plain counts over the facts: rates, bot figures. */
export const COUNTS_SQL = `SELECT count(*)::int AS tickets,
  count(*) FILTER (WHERE solved_count > 0)::int AS solved, count(*) FILTER (WHERE solved_count > 0 AND reopened)::int AS reopened,
  count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved,
  count(*) FILTER (WHERE resolved_at IS NOT NULL AND human_replies = 1 AND NOT reopened)::int AS one_touch,
  count(*) FILTER (WHERE bot_answered OR bot_handed_off)::int AS bot_tickets, count(*) FILTER (WHERE bot_answered)::int AS bot_answered,
  count(*) FILTER (WHERE bot_handed_off)::int AS bot_handed_off,
  count(*) FILTER (WHERE bot_answered AND NOT bot_handed_off AND human_replies = 0)::int AS bot_deflected,
  coalesce(sum(surveys_sent), 0)::int AS surveys_sent
FROM ${FACTS}`;

/**
 * Volume by category, channel, local hour and weekday; root causes, products and closed complaints per
 * local ISO week and cause (`root_week`, keyed `[week, cause]` as JSON). Parameter $1: time zone.
 */
export const GROUPS_SQL = `SELECT 'category' AS dim, category AS k, count(*)::int AS n FROM ${FACTS} GROUP BY category
UNION ALL SELECT 'channel', channel, count(*)::int FROM ${FACTS} GROUP BY channel
UNION ALL SELECT 'hour', extract(hour FROM created_at AT TIME ZONE $1::text)::int::text, count(*)::int FROM ${FACTS} GROUP BY 2
UNION ALL SELECT 'weekday', (extract(isodow FROM created_at AT TIME ZONE $1::text)::int - 1)::text, count(*)::int FROM ${FACTS} GROUP BY 2
UNION ALL SELECT 'root_cause', root_cause, count(*)::int FROM ${FACTS} WHERE root_cause IS NOT NULL GROUP BY root_cause
UNION ALL SELECT 'product', coalesce(product_id, 'unknown'), count(*)::int FROM ${FACTS} WHERE root_cause IS NOT NULL GROUP BY 2
UNION ALL SELECT 'root_week', jsonb_build_array((date_trunc('week', root_closed_at AT TIME ZONE $1::text))::date::text, root_cause)::text,
  count(*)::int FROM ${FACTS} WHERE root_cause IS NOT NULL AND root_closed_at IS NOT NULL GROUP BY 2`;

/** SLA outcomes per policy and metric (a breach wins over a fulfilment). */
export function slaSql(s: string): string {
  return `SELECT f.policy_id, x.metric, count(*) FILTER (WHERE NOT x.breached)::int AS attained, count(*) FILTER (WHERE x.breached)::int AS breached
FROM (
  SELECT e.ticket_id, coalesce(${str("e.data->'metric'")}, 'unknown') AS metric, bool_or(e.type = 'sla.breached') AS breached
  FROM ${s}.ticket_events e WHERE e.type IN ('sla.breached', 'sla.fulfilled') GROUP BY 1, 2
) x JOIN ${FACTS} f ON f.ticket_id = x.ticket_id
GROUP BY f.policy_id, x.metric`;
}

/**
 * A survey answer's rating 1–5 from an event's `data`, or NULL. The outer CASE keeps the numeric cast
 * from running on non-numbers (AND does not fix an order); numeric equality reads 5 and 5.0 alike, as JSON.parse does in
 * the pure report (which counts integers 1–5).
 */
const RATING = (data: string): string =>
  `(CASE WHEN jsonb_typeof(${data}->'rating') = 'number' THEN CASE WHEN (${data}->>'rating')::numeric IN (1, 2, 3, 4, 5) THEN (${data}->>'rating')::numeric::int END END)`;

/** CSAT rating counts of the latest answer per surveyed ticket: overall and by agent, category, channel. */
export function csatSql(s: string): string {
  return `WITH r AS (
  SELECT DISTINCT ON (sid) sid, rating, agent_id, category, channel FROM (
    SELECT coalesce(${str("e.data->'ticketId'")}, e.ticket_id) AS sid, ${RATING("e.data")} AS rating,
      ${str("e.data->'agentId'")} AS agent_id, ${str("e.data->'category'")} AS category,
      coalesce(${str("e.data->'channel'")}, f.channel) AS channel, e.at, e.seq
    FROM ${s}.ticket_events e JOIN ${FACTS} f ON f.ticket_id = e.ticket_id
    WHERE e.type = 'csat.received' AND ${RATING("e.data")} IS NOT NULL
  ) x ORDER BY sid, at DESC, seq DESC
)
SELECT CASE WHEN GROUPING(coalesce(agent_id, '')) = 0 THEN 'agent' WHEN GROUPING(coalesce(category, '')) = 0 THEN 'category'
    WHEN GROUPING(channel) = 0 THEN 'channel' ELSE 'all' END AS dim,
  coalesce(CASE WHEN GROUPING(coalesce(agent_id, '')) = 0 THEN coalesce(agent_id, '') WHEN GROUPING(coalesce(category, '')) = 0
    THEN coalesce(category, '') WHEN GROUPING(channel) = 0 THEN channel END, '') AS k,
  count(*) FILTER (WHERE rating = 1)::int AS r1, count(*) FILTER (WHERE rating = 2)::int AS r2, count(*) FILTER (WHERE rating = 3)::int AS r3,
  count(*) FILTER (WHERE rating = 4)::int AS r4, count(*) FILTER (WHERE rating = 5)::int AS r5
FROM r GROUP BY GROUPING SETS ((), (coalesce(agent_id, '')), (coalesce(category, '')), (channel))`;
}

/**
 * FAQ gaps (core's `faqGaps`): the gap hand-offs of the facts' tickets grouped by `questionKey`,
 * a totals row (rank 0) and the first `$2` groups (rank 1…), ties broken in code point order
 * (`COLLATE "C"`) as the pure report does. Parameters: $1 the minimum score, $2 the limit.
 */
export function faqGapsSql(s: string): string {
  const latest = `ORDER BY at DESC, ticket_id COLLATE "C", seq DESC`;
  const best = `ORDER BY score DESC NULLS LAST, article_id COLLATE "C"`;
  return `WITH h AS (
  SELECT e.ticket_id, e.seq, e.at, nullif(${str("e.data->'questionKey'")}, '') AS k, ${str("e.data->'question'")} AS question,
    ${str("e.data->'language'")} AS language, coalesce(${str("e.data->'articleId'")}, ${str("e.data->'topArticleId'")}) AS article_id,
    CASE WHEN jsonb_typeof(e.data->'score') = 'number' THEN (e.data->>'score')::float8 END AS score,
    f.resolved_at, f.last_reply_at
  FROM ${s}.ticket_events e JOIN ${FACTS} f ON f.ticket_id = e.ticket_id
  WHERE e.type = 'bot.handoff'
),
g AS (SELECT * FROM h WHERE article_id IS NULL OR score IS NULL OR score < $1::float8),
t AS (
  SELECT k, ticket_id, min(resolved_at) IS NOT NULL AND min(last_reply_at) >= min(at) AS by_human
  FROM g WHERE k IS NOT NULL GROUP BY k, ticket_id
),
r AS (SELECT k, count(*)::int AS tickets, count(*) FILTER (WHERE by_human)::int AS resolved FROM t GROUP BY k),
a AS (
  SELECT k, count(*)::int AS handoffs,
    (array_agg(question ${latest}) FILTER (WHERE question IS NOT NULL))[1] AS example,
    (array_agg(language ${latest}) FILTER (WHERE question IS NOT NULL))[1] AS language,
    (array_agg(article_id ${best}) FILTER (WHERE article_id IS NOT NULL))[1] AS best_article_id,
    (array_agg(score ${best}) FILTER (WHERE article_id IS NOT NULL))[1] AS best_score
  FROM g WHERE k IS NOT NULL GROUP BY k
)
SELECT * FROM (
  SELECT 0::bigint AS rank, NULL::text AS k, count(*) FILTER (WHERE k IS NOT NULL)::int AS handoffs,
    count(DISTINCT ticket_id) FILTER (WHERE k IS NOT NULL)::int AS tickets, count(*) FILTER (WHERE k IS NULL)::int AS resolved,
    NULL::text AS example, NULL::text AS language, NULL::text AS best_article_id, NULL::float8 AS best_score
  FROM g
  UNION ALL
  SELECT row_number() OVER (ORDER BY a.handoffs DESC, r.tickets DESC, a.k COLLATE "C"), a.k, a.handoffs, r.tickets, r.resolved,
    a.example, a.language, a.best_article_id, a.best_score
  FROM a JOIN r ON r.k = a.k
) x WHERE rank <= $2 ORDER BY rank`;
}

/** Open tickets at each instant. Parameter $1: the instants (timestamptz[]). */
export const BACKLOG_SQL = `SELECT b AS at, count(f.ticket_id) FILTER (WHERE f.created_at < b AND (f.resolved_at IS NULL OR f.resolved_at >= b))::int AS open
FROM unnest($1::timestamptz[]) AS b LEFT JOIN ${FACTS} f ON true GROUP BY b ORDER BY b`;

/**
 * A template experiment's counts per variant: tickets assigned (first `experiment.assigned` of
 * the experiment), observed and successful, with core's `experimentOutcome` in SQL.
 * Parameters: $1 experiment id, $2 outcome, $3 target (ms), $4 now.
 */
export function experimentCountsSql(s: string): string {
  return `WITH a AS (
  SELECT e.ticket_id, (array_agg(e.data->>'variant' ORDER BY e.seq))[1] AS variant
  FROM ${s}.ticket_events e
  WHERE e.type = 'experiment.assigned' AND e.data->>'experimentId' = $1 AND jsonb_typeof(e.data->'variant') = 'string'
  GROUP BY e.ticket_id
),
ev AS (SELECT e.* FROM ${s}.ticket_events e JOIN a ON a.ticket_id = e.ticket_id),
st AS (
  SELECT ticket_id, seq, at, data->>'from' AS fr, data->>'to' AS t, data->>'reason' AS reason,
    lead(data->>'reason') OVER (PARTITION BY ticket_id ORDER BY seq) AS next_reason
  FROM ev WHERE type = 'status.changed'
),
sa AS (
  SELECT ticket_id,
    min(at) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND t = 'solved') AS first_solved_at,
    min(at) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND fr = 'solved' AND t IN ('new', 'open', 'pending', 'on_hold')
      AND next_reason IS DISTINCT FROM 'csat_answer') AS first_reopen_at,
    max(seq) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND (t = 'solved' OR (t = 'closed' AND fr IS DISTINCT FROM 'solved'))) AS resolve_seq,
    (array_agg(at ORDER BY seq DESC) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND (t = 'solved' OR (t = 'closed' AND fr IS DISTINCT FROM 'solved'))))[1] AS resolve_at,
    max(seq) FILTER (WHERE reason IS DISTINCT FROM 'csat_answer' AND fr = 'solved' AND t IN ('new', 'open', 'pending', 'on_hold')
      AND next_reason IS DISTINCT FROM 'csat_answer') AS reopen_seq
  FROM st GROUP BY ticket_id
),
g AS (
  SELECT ticket_id,
    (array_agg(at ORDER BY seq) FILTER (WHERE ${CREATION.replace(/e\./g, "")}))[1] AS created_at,
    (array_agg(${RATING("data")} ORDER BY seq DESC) FILTER (WHERE type = 'csat.received' AND ${RATING("data")} IS NOT NULL))[1] AS rating
  FROM ev GROUP BY ticket_id
),
o AS (
  SELECT a.variant, CASE $2::text
    WHEN 'csat' THEN CASE WHEN g.rating IS NULL THEN NULL ELSE g.rating >= 4 END
    WHEN 'no_reopen_7d' THEN CASE
      WHEN sa.first_solved_at IS NULL THEN NULL
      WHEN sa.first_reopen_at IS NOT NULL AND sa.first_reopen_at - sa.first_solved_at <= interval '7 days' THEN false
      WHEN $4::timestamptz - sa.first_solved_at >= interval '7 days' THEN true END
    ELSE CASE WHEN sa.resolve_seq > coalesce(sa.reopen_seq, 0)
      THEN ${ms("g.created_at", "sa.resolve_at")} <= $3::float8 END
  END AS success
  FROM a JOIN g ON g.ticket_id = a.ticket_id LEFT JOIN sa ON sa.ticket_id = a.ticket_id
  WHERE g.created_at IS NOT NULL
)
SELECT variant, count(*)::int AS assigned, count(success)::int AS n, count(*) FILTER (WHERE success)::int AS successes
FROM o GROUP BY variant`;
}
