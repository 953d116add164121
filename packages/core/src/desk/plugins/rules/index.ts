/** The rules plugin: stored triggers, time-based automations and macros wired into the desk. */
export {
  rulesPlugin,
  type ActionOutcome,
  type ApprovalRequest,
  type RulesMethods,
  type RulesPluginOptions,
} from "./rules-plugin.js";
export { nextServiceTimeFor } from "./service-hours-notice.js";
export type { AutomationState } from "./run-automations.js";
export { signNotification, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./notify-webhook.js";
export { RULE_TEMPLATES } from "./rule-templates.js";
