export * from "./verify-signature.js";
export * from "./http-responses.js";
export * from "./provider-errors.js";
export * from "./with-retry.js";
export { parseInput } from "../validate.js";
export * from "./hub-webhook.js";
export * from "./graph-api-error.js";
export * from "./redact-secrets.js";
export * from "./event-time.js";
