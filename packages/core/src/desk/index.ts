export * from "./create-desk.js";
export type * from "./types.js";
export { formatDue, extractOrderName } from "./format-due.js";
export { slaHistory } from "./sla-bridge.js";
export { MAX_JOB_ATTEMPTS } from "./jobs/run-due.js";
