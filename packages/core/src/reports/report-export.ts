/** A report as CSV (one long table: section, key, value) or as JSON. */
import type { Report } from "./compute-report.js";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function cell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  // RFC 4180 quoting; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The report as CSV rows `section,key,value` (header first, CRLF line ends as RFC 4180 says),
 * one table a spreadsheet can pivot. Durations are in ms, rates 0–1, empty when undefined.
 *
 * @example
 * reportToCsv(report).split("\r\n")[1]; // "summary,tickets,120"
 */
export function reportToCsv(report: Report): string {
  const rows: [string, string, string | number | null][] = [["summary", "tickets", report.tickets]];
  rows.push(["summary", "time", report.time], ["summary", "time_zone", report.timeZone]);
  rows.push(["summary", "from", report.period.from], ["summary", "to", report.period.to]);
  for (const [name, s] of [
    ["first_reply", report.firstReply],
    ["next_reply", report.nextReply],
    ["resolution", report.resolution],
  ] as const) {
    rows.push(
      [name, "count", s.count],
      [name, "median_ms", s.medianMs],
      [name, "p90_ms", s.p90Ms],
      [name, "mean_ms", s.meanMs],
    );
    for (const b of s.buckets) rows.push([`${name}_bucket`, b.label, b.count]);
  }
  for (const r of report.sla) {
    const key = `${r.policyId ?? ""}/${r.metric}`;
    rows.push(["sla_attained", key, r.attained], ["sla_breached", key, r.breached], ["sla_rate", key, r.rate]);
  }
  for (const [k, n] of Object.entries(report.volume.byCategory)) rows.push(["volume_category", k, n]);
  for (const [k, n] of Object.entries(report.volume.byChannel)) rows.push(["volume_channel", k, n]);
  report.volume.byHour.forEach((n, h) => rows.push(["volume_hour", String(h).padStart(2, "0"), n]));
  report.volume.byWeekday.forEach((n, d) => rows.push(["volume_weekday", WEEKDAYS[d]!, n]));
  for (const [name, r] of [
    ["reopen", report.reopen],
    ["one_touch", report.oneTouch],
  ] as const) {
    rows.push([name, "count", r.count], [name, "total", r.total], [name, "rate", r.rate]);
  }
  for (const [k, n] of Object.entries(report.complaintsByRootCause)) rows.push(["complaint_root_cause", k, n]);
  for (const [k, n] of Object.entries(report.complaintsByProduct)) rows.push(["complaint_product", k, n]);
  for (const p of report.backlog) rows.push(["backlog", p.at, p.open]);
  for (const w of report.complaintTrend) {
    rows.push(["complaint_week", w.weekStart, w.total]);
    for (const [cause, n] of Object.entries(w.byRootCause))
      rows.push(["complaint_week_cause", `${w.weekStart} ${cause}`, n]);
  }
  const c = report.csat;
  rows.push(
    ["csat", "sent", c.sent],
    ["csat", "responses", c.responses],
    ["csat", "score", c.score],
    ["csat", "response_rate", c.responseRate],
  );
  for (const [section, groups] of [
    ["csat_agent", c.byAgent],
    ["csat_category", c.byCategory],
    ["csat_channel", c.byChannel],
  ] as const) {
    for (const [k, g] of Object.entries(groups)) rows.push([section, k, g.score]);
  }
  const b = report.bot;
  rows.push(["bot", "tickets", b.tickets], ["bot", "deflected", b.deflected], ["bot", "handed_off", b.handedOff]);
  rows.push(["bot", "deflection_rate", b.deflectionRate], ["bot", "handoff_rate", b.handoffRate]);
  const g = report.faqGaps;
  rows.push(["faq_gaps", "handoffs", g.handoffs], ["faq_gaps", "tickets", g.tickets]);
  rows.push(["faq_gaps", "without_question", g.withoutQuestion]);
  // One row per figure and group, keyed by the group's question key, so the table stays section,key,value.
  for (const q of g.groups) {
    rows.push(
      ["faq_gap_handoffs", q.key, q.handoffs],
      ["faq_gap_tickets", q.key, q.tickets],
      ["faq_gap_resolved_by_human", q.key, q.resolvedByHuman],
      ["faq_gap_example", q.key, q.example],
      ["faq_gap_language", q.key, q.language],
      ["faq_gap_best_article", q.key, q.bestArticleId],
      ["faq_gap_best_score", q.key, q.bestScore],
    );
  }
  return [["section", "key", "value"], ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/**
 * The report as pretty-printed JSON (the report is already JSON-safe: no Dates, no Maps).
 *
 * @example
 * JSON.parse(reportToJson(report)).firstReply.medianMs;
 */
export function reportToJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}
