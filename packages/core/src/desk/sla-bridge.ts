/** Moved to `sla/ticket-sla.ts` (pure; the SLA plugin uses it); re-exported for the desk and its tests. */
export * from "../sla/ticket-sla.js";
