export * from "./advance-complaint.js";
export * from "./root-causes.js";
