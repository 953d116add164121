/** SLA policies and the pure SLA engine. */
export { CategorySchema, PrioritySchema, SLA_METRICS, SlaMetricSchema, TicketStatusSchema } from "./types.js";
export type { Category, Priority, SlaHistoryEvent, SlaMetric, SlaTicketFacts, TicketStatus } from "./types.js";
export {
  DEFAULT_SLA_PAUSES,
  SlaEscalationSchema,
  SlaMetricTargetsSchema,
  SlaPolicySchema,
  SlaTargetSchema,
  defineSlaPolicy,
} from "./sla-policy.js";
export type { SlaEscalation, SlaMetricTargets, SlaPolicy, SlaTarget } from "./sla-policy.js";
export { policyMatches, selectPolicy } from "./select-policy.js";
export { defaultSlaPolicies } from "./default-sla-policies.js";
export type { DefaultSlaPoliciesOptions } from "./default-sla-policies.js";
export { evaluateSla, evaluateSlaFold } from "./evaluate-sla.js";
export { cloneSlaFold, foldSlaEvent, forgetSlaBefore, slaFoldOf, startSlaFold } from "./sla-fold.js";
export type { SlaFold } from "./sla-fold.js";
export type { SlaEvaluation, SlaEvent, SlaEventType, SlaMetricState, SlaMetricStatus } from "./evaluate-sla.js";
