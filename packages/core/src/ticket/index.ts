export * from "./transitions.js";
export * from "./apply-ticket-action.js";
