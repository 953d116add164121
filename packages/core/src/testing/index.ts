/**
 * `@storedesk/core/testing`: the conformance suites every store and channel
 * adapter runs in its own tests, sample records (`sampleTicket`, `sampleCustomer`,
 * `sampleMessage`) for tests, and in-process doubles for examples.
 *
 * @packageDocumentation
 */
export * from "./memory-channel.js";
export * from "./store-conformance.js";
export * from "./outbox-conformance.js";
export * from "./channel-conformance.js";
export * from "./plugin-kit.js";
export * from "./channel-test-desk.js";
export * from "./webhook-batch-conformance.js";
export * from "./commerce-conformance.js";
// Named, so these win over store-conformance's older helpers of the same names (same call forms).
export { SAMPLE_TIME, sampleCustomer, sampleMessage, sampleTicket } from "./fixtures.js";
export * from "./hostile-input.js";
