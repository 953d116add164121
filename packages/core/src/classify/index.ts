export * from "./lexicons.js";
export * from "./classify-text.js";
