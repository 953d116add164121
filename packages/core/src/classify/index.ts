export * from "./lexicons.js";
export * from "./classify-text.js";
export * from "./classify-with-lexicons.js";
export * from "./classifier-model.js";
export * from "./classifier-from-model.js";
export * from "./train-model.js";
// Named, not *: both modules also export helpers the classifier shares internally (one fold of
// a text for the detector and the features), which are not part of the package's API.
export { complaintPriority, detectComplaint, type ComplaintCues, type ComplaintIntensity } from "./detect-complaint.js";
export {
  featureHashes,
  foldText,
  hashFeature,
  MAX_CLASSIFIED_CHARS,
  normalizeText,
  tokenizeText,
} from "./tokenize-text.js";
export * from "./strip-korean-ending.js";
