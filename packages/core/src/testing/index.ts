/**
 * `@storedesk/core/testing`: the conformance suites every store and channel
 * adapter runs in its own tests, and in-process doubles for examples.
 *
 * @packageDocumentation
 */
export * from "./memory-channel.js";
export * from "./store-conformance.js";
export * from "./outbox-conformance.js";
export * from "./channel-conformance.js";
export * from "./plugin-kit.js";
