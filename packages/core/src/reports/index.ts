/** Reports over the audit log, CSAT score math and template A/B tests: pure functions. */
export { computeReport, filterFacts, backlogInstants } from "./compute-report.js";
export {
  nextReplyTime,
  backlog,
  localDayEnds,
  csatReport,
  botReport,
  complaintsByProduct,
} from "./report-metrics-more.js";
export type { BacklogPoint, CsatReport, BotReport } from "./report-metrics-more.js";
export { firstReplyStart } from "./report-metrics.js";
export type { Report } from "./compute-report.js";
export { ReportOptionsSchema } from "./report-options.js";
export type { ReportOptions, ReportOptionsInput } from "./report-options.js";
export { ticketFacts, factsByTicket } from "./ticket-facts.js";
export type { TicketFacts, SlaOutcome, HandoffFact } from "./ticket-facts.js";
export { faqGaps, compareCodePoints } from "./faq-gaps.js";
export type { FaqGap, FaqGapsReport, FaqGapsOptions } from "./faq-gaps.js";
export {
  firstReplyTime,
  resolutionTime,
  slaAttainment,
  volume,
  reopenRate,
  oneTouchResolution,
  complaintsByRootCause,
} from "./report-metrics.js";
export type { DurationOptions, Rate, SlaAttainment, Volume } from "./report-metrics.js";
export { durationStats, quantileSorted, DEFAULT_DURATION_BUCKETS_MS } from "./duration-stats.js";
export type { DurationStats, DurationBucket } from "./duration-stats.js";
export { localHourWeekday } from "./local-hour-weekday.js";
export { reportToCsv, reportToJson } from "./report-export.js";
export { SurveyResponseSchema, csatScore, csatBy } from "./csat.js";
export type { SurveyResponse, SurveyResponseInput, CsatScore } from "./csat.js";
export { TemplateExperimentSchema, defineTemplateExperiment, assignVariant } from "./template-experiment.js";
export type { TemplateExperiment, TemplateExperimentInput } from "./template-experiment.js";
export { wilsonInterval, twoProportionZTest, experimentResults } from "./experiment-results.js";
export type {
  ExperimentObservation,
  ExperimentResults,
  Interval,
  ProportionTest,
  StopRule,
  VariantResult,
} from "./experiment-results.js";
export { normalCdf, normalQuantile } from "./normal-distribution.js";
export { generateReportHistory } from "./generate-history.js";
export type { HistoryOptions } from "./generate-history.js";
export { reportsPlugin, storeReports } from "./reports-plugin.js";
export type { ReportSource, ReportsMethods, ReportsPluginOptions, ExperimentMethods } from "./reports-plugin.js";
export { experimentOutcome, experimentReport, experimentReportFromFacts } from "./experiment-report.js";
export type { ExperimentReport } from "./experiment-report.js";
export { complaintTrend, rootCauseWeeks } from "./complaint-trend.js";
export type { RootCauseWeek, RootCauseWeekCount } from "./complaint-trend.js";
