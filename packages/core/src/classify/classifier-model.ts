/**
 * A trained linear model as plain JSON data, and scoring a text with it. The model has two heads
 * over the same features: a softmax over the topic categories, and a separate complaint head (a
 * complaint is about something: "late AND furious" is shipping and complaint at once).
 */
import { z } from "zod";
import { detectComplaint, type ComplaintCues } from "./detect-complaint.js";
import { featureHashes, hashFeature, tokenizeText } from "./tokenize-text.js";

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
  /** Probability per topic category (summing to 1); the complaint head's under the complaint category. */
  scores: Record<string, number>;
  /** The probability behind `label`. */
  confidence: number;
  complaint: { signal: boolean; probability: number } & ComplaintCues;
  /** The features that pushed hardest towards `label`, for explaining it. */
  matched: string[];
}

interface CompiledModel {
  /** Hash of a feature → offset of its row in `data` (one weight per category, then the complaint weight). */
  index: Map<number, number>;
  data: Float64Array;
  /** Feature name per row offset / width, for explaining a decision. */
  names: string[];
}
const compiled = new WeakMap<ClassifierModel, CompiledModel>();

function compile(model: ClassifierModel): CompiledModel {
  let c = compiled.get(model);
  if (!c) {
    const width = model.categories.length + 1;
    const entries = Object.entries(model.weights);
    // One flat array instead of an array per feature: fewer objects, rows next to each other.
    const data = new Float64Array(entries.length * width);
    const index = new Map<number, number>();
    const names: string[] = [];
    entries.forEach(([feature, row], i) => {
      const h = hashFeature(feature);
      // Two features of one model sharing a 32-bit hash would be rare; they then share one row.
      const off = index.get(h) ?? i * width;
      index.set(h, off);
      names[off / width] ??= feature;
      for (let j = 0; j < width; j++) data[off + j]! += (row[j] ?? 0) / model.scale;
    });
    c = { index, data, names };
    compiled.set(model, c);
  }
  return c;
}

/**
 * Cue features the model reads beside the words: the detector's level and typography.
 *
 * @example
 * cueFeatures(detectComplaint("WHERE IS MY ORDER???")) // ["!level2", "!caps", "!punct"]
 */
export function cueFeatures(cues: ComplaintCues): string[] {
  const out: string[] = [];
  // Repeated so that the level weighs like a few words, not one feature among a hundred n-grams.
  if (cues.intensity > 0) out.push(`!level${cues.intensity}`, `!level${cues.intensity}`, `!level${cues.intensity}`);
  for (const cue of cues.cues) {
    if (cue === "ALL CAPS") out.push("!caps");
    else if (/^[!?]+$/.test(cue)) out.push("!punct");
  }
  return out;
}

/**
 * The features of a text as the model sees them (words, n-grams and complaint cues). Repeats are
 * kept: the model counts a feature as often as it occurs, so scoring needs no de-duplication.
 *
 * @example
 * featuresOf("cancel my order") // ["cancel", "my", "cancel_my", …]
 */
export function featuresOf(text: string, cues: ComplaintCues = detectComplaint(text)): string[] {
  const features = tokenizeText(text);
  for (const f of cueFeatures(cues)) features.push(f);
  return features;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The six features with the largest positive weight in one column, words before n-grams. */
function topFeatures(hits: number[], names: string[], width: number, data: Float64Array, column: number): string[] {
  const top: Array<[string, number]> = [];
  for (let h = 0; h < hits.length; h++) {
    const name = names[hits[h]! / width]!;
    const w = data[hits[h]! + column]!;
    // Words and stems explain a decision; character and consonant n-grams do not read as reasons.
    if (w <= 0 || name.startsWith("~") || name.startsWith("^")) continue;
    if (top.some(([n]) => n === name)) continue;
    let i = top.length;
    while (i > 0 && top[i - 1]![1] < w) i--;
    if (i < 6) {
      top.splice(i, 0, [name, w]);
      if (top.length > 6) top.pop();
    }
  }
  return top.map(([n]) => n);
}

/**
 * Scores a text with a trained model: topic probabilities, the complaint head, multi-label output
 * and the features that decided. Compiles the model once (cached per model object).
 *
 * @example
 * const p = predictWithModel(defaultModel, "배송이 2주째 안 와요. 진짜 최악");
 * p.labels // ["complaint", "shipping"]
 */
export function predictWithModel(model: ClassifierModel, text: string): ModelPrediction {
  const { index, data, names } = compile(model);
  const cues = detectComplaint(text);
  const features = featureHashes(text);
  for (const f of cueFeatures(cues)) features.push(hashFeature(f));
  const k = model.categories.length;
  const width = k + 1;
  const logits = new Float64Array(k);
  for (let i = 0; i < k; i++) logits[i] = model.bias[i] ?? 0;
  let complaintLogit = model.complaintBias;
  // Counts scaled by 1/sqrt(n): a long message does not shout louder than a short one.
  const norm = features.length > 0 ? 1 / Math.sqrt(features.length) : 0;
  const hits: number[] = [];
  for (const f of features) {
    const off = index.get(f);
    if (off === undefined) continue;
    hits.push(off);
    for (let i = 0; i < k; i++) logits[i]! += data[off + i]! * norm;
    complaintLogit += data[off + k]! * norm;
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
  const signal =
    model.complaintCategory !== null && (complaintProbability >= model.complaintThreshold || cues.intensity >= 3);

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
  const matched = topFeatures(hits, names, width, data, signal ? k : best);
  return {
    label,
    topic,
    labels,
    scores,
    confidence: round(
      signal
        ? complaintProbability
        : unsure
          ? (probs[model.categories.indexOf(model.otherCategory!)] ?? 0)
          : probs[best]!,
    ),
    complaint: { signal, probability: round(complaintProbability), ...cues },
    matched,
  };
}
