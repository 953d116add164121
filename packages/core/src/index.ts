/**
 * @storedesk/core: the domain of storedesk as zod schemas and pure functions,
 * the ports plugins implement, `createDesk()` that applies decisions, and the
 * in-memory store. Conformance suites live in `@storedesk/core/testing`.
 *
 * @packageDocumentation
 */
export * from "./errors.js";
export * from "./validate.js";
export * from "./domain/index.js";
export * from "./ports/index.js";
export * from "./channel-kit/index.js";
export * from "./decision.js";
export * from "./ticket/index.js";
export * from "./complaint/index.js";
export * from "./classify/index.js";
export * from "./template/index.js";
export * from "./calendar/index.js";
export {
  SLA_METRICS,
  SlaMetricSchema,
  DEFAULT_SLA_PAUSES,
  SlaEscalationSchema,
  SlaMetricTargetsSchema,
  SlaPolicySchema,
  SlaTargetSchema,
  defineSlaPolicy,
  policyMatches,
  selectPolicy,
  defaultSlaPolicies,
  evaluateSla,
  evaluateSlaFold,
  cloneSlaFold,
  foldSlaEvent,
  forgetSlaBefore,
  slaFoldOf,
  startSlaFold,
} from "./sla/index.js";
export type {
  SlaHistoryEvent,
  SlaMetric,
  SlaTicketFacts,
  SlaEscalation,
  SlaMetricTargets,
  SlaPolicy,
  SlaTarget,
  DefaultSlaPoliciesOptions,
  SlaEvaluation,
  SlaEvent,
  SlaEventType,
  SlaMetricState,
  SlaMetricStatus,
  SlaFold,
} from "./sla/index.js";
export * from "./rules/index.js";
export * from "./routing/index.js";
export * from "./store-memory/index.js";
export * from "./desk/index.js";
export * from "./reports/index.js";
export * from "./desk/plugins/rules/index.js";
export * from "./desk/plugins/routing/index.js";
export * from "./desk/plugins/csat/index.js";
export * from "./desk/plugins/incidents/index.js";
