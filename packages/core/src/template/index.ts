export * from "./render-template.js";
export * from "./default-templates.js";
