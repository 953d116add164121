/**
 * A trained linear model as plain JSON data, and scoring a text with it. The model has two heads
 * over the same features: a softmax over the topic categories, and a separate complaint head (a
 * complaint is about something: "late AND furious" is shipping and complaint at once).
 */
import { z } from "zod";
import { complaintCuesOf, detectComplaint, type ComplaintCues } from "./detect-complaint.js";
import { boundedText, hashFeature, tokenizeText, walkedFeatures, walkFeatureHashes } from "./tokenize-text.js";

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
  /**
   * Open-addressing table, linear probing, two entries per slot: the feature hash (as int32) and
   * its row offset + 1 (0 = empty slot). Typed arrays rather than a Map keyed by numbers above the
   * small-integer range (which V8 boxes), and one cache line per probe: scoring is mostly waiting
   * for memory, a few random rows of the model per feature.
   */
  table: Int32Array;
  mask: number;
  /**
   * Weights, one row per feature (one weight per category, then the complaint weight), rows
   * `stride` apart: padded to 8 doubles, a row is one 64-byte line rather than straddling two.
   */
  data: Float64Array;
  stride: number;
  /** Feature name per row offset / stride, for explaining a decision. */
  names: string[];
  /** 1 where the row's feature may explain a decision (not a `~` or `^` n-gram), by row offset. */
  explains: Uint8Array;
}
const compiled = new WeakMap<ClassifierModel, CompiledModel>();

function compile(model: ClassifierModel): CompiledModel {
  let c = compiled.get(model);
  if (!c) {
    const width = model.categories.length + 1;
    const stride = (width + 7) & ~7;
    const entries = Object.entries(model.weights);
    // One flat array instead of an array per feature: fewer objects, rows next to each other.
    const data = new Float64Array(entries.length * stride);
    const index = new Map<number, number>();
    const names: string[] = [];
    entries.forEach(([feature, row], i) => {
      const h = hashFeature(feature);
      // Two features of one model sharing a 32-bit hash would be rare; they then share one row.
      const off = index.get(h) ?? i * stride;
      index.set(h, off);
      names[off / stride] ??= feature;
      for (let j = 0; j < width; j++) data[off + j]! += (row[j] ?? 0) / model.scale;
    });
    let size = 16;
    while (size < index.size * 2) size *= 2;
    const table = new Int32Array(size * 2);
    const mask = size - 1;
    for (const [h, off] of index) {
      let slot = h & mask;
      while (table[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      table[slot * 2] = h;
      table[slot * 2 + 1] = off + 1;
    }
    const explains = new Uint8Array(data.length);
    names.forEach((name, r) => {
      // Words and stems explain a decision; character and consonant n-grams do not read as reasons.
      explains[r * stride] = name.startsWith("~") || name.startsWith("^") ? 0 : 1;
    });
    c = { table, mask, data, stride, names, explains };
    compiled.set(model, c);
  }
  return c;
}

/** The row offset of a feature hash in a compiled model, or -1. */
function rowOf(c: CompiledModel, hash: number): number {
  const h = hash | 0;
  const { table, mask } = c;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const r = table[slot * 2 + 1]!;
    if (r === 0) return -1;
    if (table[slot * 2] === h) return r - 1;
  }
}

/**
 * The detector level the model reads. A lone "!!" (no phrase, no shouting) is left to the `!punct`
 * feature, whose weight the model learns, instead of counting as a level: two exclamation marks
 * are as often cheer ("Thanks!!", "감사합니다!!") as anger, unlike "!!!", "???" or capitals.
 */
function levelOf(cues: ComplaintCues): number {
  return cues.intensity === 1 && cues.cues.length === 1 && cues.cues[0] === "!!" ? 0 : cues.intensity;
}

/**
 * Cue features the model reads beside the words: the detector's level and typography.
 *
 * @example
 * cueFeatures(detectComplaint("WHERE IS MY ORDER???")) // ["!level2", "!level2", "!level2", "!caps", "!punct"]
 */
export function cueFeatures(cues: ComplaintCues): string[] {
  const out: string[] = [];
  const level = levelOf(cues);
  // Repeated so that the level weighs like a few words, not one feature among a hundred n-grams.
  if (level > 0) out.push(`!level${level}`, `!level${level}`, `!level${level}`);
  for (const cue of cues.cues) {
    if (cue === "ALL CAPS") out.push("!caps");
    else if (isPunctCue(cue)) out.push("!punct");
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

/** Offsets of the rows a text's features hit, in feature order; reused by every call. */
let hitBuffer = new Int32Array(1024);
/** Logits and probabilities per topic, reused (a call never outlives the next one). */
let logitBuffer = new Float64Array(8);
let probBuffer = new Float64Array(8);
const topRows = new Int32Array(6);
const topWeights = new Float64Array(6);

/**
 * The six features with the largest positive weight in one column, words before n-grams; ties
 * keep the earlier hit. Rows stand for names (one name per row), so no name is compared.
 */
function topFeatures(c: CompiledModel, hits: Int32Array, count: number, column: number): string[] {
  const { data, explains } = c;
  let size = 0;
  for (let h = 0; h < count; h++) {
    const off = hits[h]!;
    const w = data[off + column]!;
    // Below the sixth best, nothing changes (the check for a repeat can wait until it would).
    if (w <= 0 || (size === 6 && topWeights[5]! >= w) || explains[off] === 0) continue;
    let i = size;
    while (i > 0 && topWeights[i - 1]! < w) i--;
    let seen = false;
    for (let t = 0; t < size && !seen; t++) seen = topRows[t] === off;
    if (seen) continue;
    for (let t = Math.min(size, 5); t > i; t--) {
      topRows[t] = topRows[t - 1]!;
      topWeights[t] = topWeights[t - 1]!;
    }
    topRows[i] = off;
    topWeights[i] = w;
    if (size < 6) size++;
  }
  const out: string[] = [];
  for (let t = 0; t < size; t++) out.push(c.names[topRows[t]! / c.stride]!);
  return out;
}

const LEVEL_HASHES = [0, hashFeature("!level1"), hashFeature("!level2"), hashFeature("!level3")];
const CAPS_HASH = hashFeature("!caps");
const PUNCT_HASH = hashFeature("!punct");

/** Whether a cue is all `!` and `?` (the `!punct` cue feature), as /^[!?]+$/. */
function isPunctCue(cue: string): boolean {
  if (cue.length === 0) return false;
  for (let i = 0; i < cue.length; i++) {
    const ch = cue.charCodeAt(i);
    if (ch !== 0x21 && ch !== 0x3f) return false;
  }
  return true;
}

/**
 * Scores a text with a trained model: topic probabilities, the complaint head, multi-label output
 * and the features that decided. Compiles the model once (cached per model object).
 *
 * @example
 * const p = predictWithModel(defaultModel, "배송이 2주째 안 와요. 진짜 최악");
 * p.labels // ["complaint", "shipping"]
 */
export function predictWithModel(model: ClassifierModel, input: string): ModelPrediction {
  const c = compile(model);
  const { data } = c;
  // One fold of the text for both the complaint detector and the features.
  const { text, lower } = boundedText(input);
  const cues = complaintCuesOf(text, lower);
  const walked = walkFeatureHashes(lower, null);
  const features = walkedFeatures();
  // The cue features (see cueFeatures) follow the text's: the level three times, then !caps/!punct.
  const level = levelOf(cues);
  const levelHash = LEVEL_HASHES[level]!;
  let extra = level > 0 ? 3 : 0;
  for (const cue of cues.cues) if (cue === "ALL CAPS" || isPunctCue(cue)) extra++;
  const total = walked + extra;
  if (hitBuffer.length < total) hitBuffer = new Int32Array(total * 2);
  const hits = hitBuffer;
  let hitCount = 0;
  for (let f = 0; f < walked; f++) {
    const off = rowOf(c, features[f]!);
    if (off !== -1) hits[hitCount++] = off;
  }
  if (extra > 0) {
    const levelRow = level > 0 ? rowOf(c, levelHash) : -1;
    if (levelRow !== -1) for (let r = 0; r < 3; r++) hits[hitCount++] = levelRow;
    for (const cue of cues.cues) {
      const h = cue === "ALL CAPS" ? CAPS_HASH : isPunctCue(cue) ? PUNCT_HASH : -1;
      const off = h === -1 ? -1 : rowOf(c, h);
      if (off !== -1) hits[hitCount++] = off;
    }
  }
  const k = model.categories.length;
  if (logitBuffer.length < k) {
    logitBuffer = new Float64Array(k);
    probBuffer = new Float64Array(k);
  }
  const logits = logitBuffer;
  for (let i = 0; i < k; i++) logits[i] = model.bias[i] ?? 0;
  let complaintLogit = model.complaintBias;
  // Counts scaled by 1/sqrt(n): a long message does not shout louder than a short one.
  const norm = total > 0 ? 1 / Math.sqrt(total) : 0;
  // Column by column with the sum in a local: each column adds the same terms in the same
  // (feature) order as row by row did, so the sums are bit for bit the same.
  for (let i = 0; i < k; i++) {
    let sum = logits[i]!;
    for (let h = 0; h < hitCount; h++) sum += data[hits[h]! + i]! * norm;
    logits[i] = sum;
  }
  for (let h = 0; h < hitCount; h++) complaintLogit += data[hits[h]! + k]! * norm;
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, logits[i]!);
  let sum = 0;
  const probs = probBuffer;
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
  const matched = topFeatures(c, hits, hitCount, signal ? k : best);
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
    // Spelled out, not spread: the same keys in the same order, without the generic copy.
    complaint: {
      signal,
      probability: round(complaintProbability),
      intensity: cues.intensity,
      score: cues.score,
      cues: cues.cues,
    },
    matched,
  };
}
