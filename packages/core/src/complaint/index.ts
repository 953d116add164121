export * from "./advance-complaint.js";
