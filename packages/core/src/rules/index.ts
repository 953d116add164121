/** Rules: triggers, time-based automations and macros as data, decided by pure functions. */
export * from "./match-text.js";
export * from "./rule-condition.js";
export * from "./rule-facts.js";
export * from "./rule-action.js";
export * from "./evaluate-condition.js";
export * from "./apply-rule-action.js";
export * from "./trigger.js";
export * from "./evaluate-triggers.js";
export * from "./explain-rule.js";
export * from "./automation.js";
export * from "./macro.js";
export * from "./search-macros.js";
export * from "./decision-authority.js";
