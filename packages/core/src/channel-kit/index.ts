export * from "./verify-signature.js";
export * from "./http-responses.js";
export * from "./provider-errors.js";
export * from "./with-retry.js";
export { parseInput } from "../validate.js";
export * from "./graph-client.js";
export * from "./event-time.js";
