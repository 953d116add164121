/**
 * A trained linear model as plain JSON data, and scoring a text with it. The model has two heads
 * over the same features: a softmax over the topic categories, and a separate complaint head (a
 * complaint is about something: "late AND furious" is shipping and complaint at once).
 */
import { z } from "zod";
import { detectComplaint, type ComplaintCues } from "./detect-complaint.js";
import { tokenizeText } from "./tokenize-text.js";

/** The JSON shape of a trained model; `format` changes when the shape does. */
export const ClassifierModelSchema = z.object({
  format: z.literal("storedesk-linear/1"),
  /** Names the model in every classification it makes (`desk.classify` events, tickets). */
  id: z.string().min(1),
  algorithm: z.enum(["logistic-regression", "complement-naive-bayes"]),
  /** The topic head's categories (the complaint category, when there is one, is not among them). */
  categories: z.array(z.string().min(1)).min(2),
  /** The label of the complaint head, or null for a model trained without complaints. */
  complaintCategory: z.string().nullable(),
  /** The category given when the best topic's probability is below `minConfidence`. */
  otherCategory: z.string().nullable(),
  minConfidence: z.number().min(0).max(1),
  /** Complaint probability at or above which a message is a complaint. */
  complaintThreshold: z.number().min(0).max(1),
  /** Weights are stored as integers: the real weight is the integer divided by `scale`. */
  scale: z.number().positive(),
  /** Softmax temperature applied to the topic scores (1 for logistic regression). */
  temperature: z.number().positive(),
  bias: z.array(z.number()),
  complaintBias: z.number(),
  /** feature → one weight per topic category, then the complaint head's weight. */
  weights: z.record(z.string(), z.array(z.number())),
  trainedOn: z.object({ examples: z.number().int(), perCategory: z.record(z.string(), z.number().int()) }),
});
/** A trained model, JSON-serializable: `JSON.parse(JSON.stringify(model))` is the same model. */
export type ClassifierModel = z.infer<typeof ClassifierModelSchema>;

/** What a model makes of one text. */
export interface ModelPrediction {
  /** The model's own label: the complaint category, the best topic, or the `other` category. */
  label: string;
  /** The best topic whatever the complaint head says. */
  topic: string;
  /** Every label that applies: topics with probability ≥ 0.35 and the complaint category if flagged. */
  labels: string[];
  /** Probability per topic category (summing to 1) and, under the complaint category, the complaint head's. */
  scores: Record<string, number>;
  /** The probability behind `label`. */
  confidence: number;
  complaint: { signal: boolean; probability: number } & ComplaintCues;
  /** The features that pushed hardest towards `label`, for explaining it. */
  matched: string[];
}

interface CompiledModel {
  weights: Map<string, Float64Array>;
  bias: Float64Array;
}
const compiled = new WeakMap<ClassifierModel, CompiledModel>();

function compile(model: ClassifierModel): CompiledModel {
  let c = compiled.get(model);
  if (!c) {
    const weights = new Map<string, Float64Array>();
    for (const [feature, row] of Object.entries(model.weights)) {
      weights.set(feature, Float64Array.from(row, (w) => w / model.scale));
    }
    c = { weights, bias: Float64Array.from(model.bias) };
    compiled.set(model, c);
  }
  return c;
}

/** Cue features the model reads beside the words: the detector's findings by kind. */
export function cueFeatures(cues: ComplaintCues): string[] {
  const out: string[] = [];
  if (cues.intensity > 0) out.push(`!level${cues.intensity}`);
  for (const cue of cues.cues) {
    if (cue === "ALL CAPS") out.push("!caps");
    else if (/^[!?]+$/.test(cue)) out.push("!punct");
  }
  return out;
}

/** The unique features of a text as the model sees them (words, n-grams and complaint cues). */
export function featuresOf(text: string, cues: ComplaintCues = detectComplaint(text)): string[] {
  return [...new Set([...tokenizeText(text), ...cueFeatures(cues)])];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Scores a text with a trained model: topic probabilities, the complaint head, multi-label output
 * and the features that decided. Compiles the model once (cached per model object).
 *
 * @example
 * const p = predictWithModel(defaultModel, "배송이 2주째 안 와요. 진짜 최악");
 * p.labels // ["complaint", "shipping"]
 */
export function predictWithModel(model: ClassifierModel, text: string): ModelPrediction {
  const { weights, bias } = compile(model);
  const cues = detectComplaint(text);
  const features = featuresOf(text, cues);
  const k = model.categories.length;
  const logits = Float64Array.from(bias);
  let complaintLogit = model.complaintBias;
  const rows: Array<[string, Float64Array]> = [];
  for (const f of features) {
    const row = weights.get(f);
    if (row) rows.push([f, row]);
  }
  // Presence features scaled by 1/sqrt(n): a long message does not shout louder than a short one.
  const norm = rows.length > 0 ? 1 / Math.sqrt(features.length) : 0;
  for (const [, row] of rows) {
    for (let i = 0; i < k; i++) logits[i]! += row[i]! * norm;
    complaintLogit += row[k]! * norm;
  }
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, logits[i]!);
  let sum = 0;
  const probs = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    probs[i] = Math.exp((logits[i]! - max) / model.temperature);
    sum += probs[i]!;
  }
  let best = 0;
  for (let i = 0; i < k; i++) {
    probs[i]! /= sum;
    if (probs[i]! > probs[best]!) best = i;
  }
  const complaintProbability = model.complaintCategory ? 1 / (1 + Math.exp(-complaintLogit)) : 0;
  const signal = model.complaintCategory !== null
    && (complaintProbability >= model.complaintThreshold || cues.intensity >= 3);

  const scores: Record<string, number> = {};
  const labels: string[] = [];
  if (signal) labels.push(model.complaintCategory!);
  for (let i = 0; i < k; i++) {
    scores[model.categories[i]!] = round(probs[i]!);
    if (probs[i]! >= 0.35 && model.categories[i] !== model.otherCategory) labels.push(model.categories[i]!);
  }
  if (model.complaintCategory) scores[model.complaintCategory] = round(complaintProbability);

  const topic = model.categories[best]!;
  const unsure = probs[best]! < model.minConfidence && model.otherCategory !== null;
  const label = signal ? model.complaintCategory! : unsure ? model.otherCategory! : topic;
  if (labels.length === 0) labels.push(label);
  const column = signal ? k : best;
  const matched = rows
    .map(([f, row]) => [f, row[column]!] as const)
    // Words and stems explain a decision; character and consonant n-grams do not read as reasons.
    .filter(([f, w]) => w > 0 && !f.startsWith("~") && !f.startsWith("^"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([f]) => f);
  return {
    label,
    topic,
    labels,
    scores,
    confidence: round(signal ? Math.max(complaintProbability, 0.5) : unsure ? 1 - probs[best]! : probs[best]!),
    complaint: { signal, probability: round(complaintProbability), ...cues },
    matched,
  };
}
