export * from "./create-desk.js";
export type * from "./types.js";
export { formatDue, extractOrderName } from "./format-due.js";
export { slaHistory } from "./sla-bridge.js";
export { MAX_JOB_ATTEMPTS, UNHANDLED_JOB_RETRY_MS, type RunDueResult } from "./jobs/run-due.js";
export { DEFAULT_WEBHOOK_MAX_EVENTS } from "./webhook-max-events.js";
