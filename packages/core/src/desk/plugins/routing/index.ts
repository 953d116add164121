/** The routing plugin: agent registry, assignment on ingest and the waiting queue. */
export { routingPlugin, DRAIN_JOB, type RoutingMethods, type RoutingPluginOptions } from "./routing-plugin.js";
export type { StoredAgent } from "./routing-records.js";
