/**
 * @storedesk/core: the domain of storedesk as zod schemas and pure functions,
 * the ports plugins implement, `createDesk()` that applies decisions, and the
 * in-memory store. Conformance suites live in `@storedesk/core/testing`.
 *
 * @packageDocumentation
 */
export * from "./errors.js";
export * from "./validate.js";
export * from "./domain/index.js";
export * from "./ports/index.js";
export * from "./channel-kit/index.js";
