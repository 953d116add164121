export type * from "./store.js";
export type * from "./scheduler.js";
export type * from "./channel.js";
export type * from "./commerce.js";
export type * from "./knowledge.js";
export * from "./clock.js";
export * from "./desk-plugin.js";
