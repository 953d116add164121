/**
 * Offline training of the linear model: multinomial logistic regression by seeded SGD with L2
 * (the default), or complement naive Bayes. Deterministic: the same examples and options give
 * the same model, byte for byte.
 */
import { StoredeskError } from "../errors.js";
import type { ClassifierModel } from "./classifier-model.js";
import { featuresOf } from "./classifier-model.js";

/** One labelled text. */
export interface TrainingExample {
  text: string;
  /** Any category name; the shop's own names are fine. */
  label: string;
}

/** Options of {@link trainModel}; every one has a default. */
export interface TrainModelOptions {
  /** The model's id, carried by every classification (default: `custom-<hash of the data and the other options>`). */
  id?: string;
  /** `logistic-regression` (default) or `complement-naive-bayes`. */
  algorithm?: ClassifierModel["algorithm"];
  /** Seed of the example order (default 1). */
  seed?: number;
  /** SGD passes over the data (default 30). */
  epochs?: number;
  /** L2 strength per example (default 1e-5). */
  l2?: number;
  /** Initial SGD step (default 0.5). */
  learningRate?: number;
  /** The label with its own complaint head (default `complaint` when present; null for none). */
  complaintCategory?: string | null;
  /** The label for low confidence (default `other` when present; null to always pick the best). */
  otherCategory?: string | null;
  /** Below this topic probability the `other` category is given (default 0.35). */
  minConfidence?: number;
  /** Weight of a complaint example in the complaint head (default 3). */
  complaintWeight?: number;
  /** Complaint probability that flags a complaint (default 0.5). */
  complaintThreshold?: number;
  /** A feature must occur in this many examples to be learnt (default 2, or 1 under 500 examples). */
  minFeatureCount?: number;
  /** Weights smaller than this in every column are dropped from the model (default 0.01). */
  pruneBelow?: number;
}

const SCALE = 1000;

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * FNV-1a over a string, for stable model ids and corpus splits.
 *
 * @example
 * hashString("refund") % 5 === 0 // whether "refund" falls in a fifth, the same on every run
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

interface Doc {
  features: Int32Array;
  norm: number;
  topic: number;
  complaint: boolean;
}

/** Trains one softmax layer by SGD; returns weights [feature][class] and biases. */
function trainSoftmax(
  docs: Doc[],
  nFeatures: number,
  nClasses: number,
  label: (d: Doc) => number,
  o: Required<Pick<TrainModelOptions, "seed" | "epochs" | "l2" | "learningRate">>,
  weight: (d: Doc) => number = () => 1,
): { w: Float64Array; b: Float64Array } {
  const w = new Float64Array(nFeatures * nClasses);
  const b = new Float64Array(nClasses);
  const rnd = prng(o.seed);
  const order = docs.map((_, i) => i);
  const z = new Float64Array(nClasses);
  // L2 by the scaling trick: w = scale · v, so shrinking every weight costs one multiplication.
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const di of order) {
      const d = docs[di]!;
      const eta = o.learningRate / (1 + o.learningRate * o.l2 * t++);
      z.set(b);
      for (const f of d.features) for (let c = 0; c < nClasses; c++) z[c]! += w[f * nClasses + c]! * scale * d.norm;
      let max = -Infinity;
      for (let c = 0; c < nClasses; c++) max = Math.max(max, z[c]!);
      let sum = 0;
      for (let c = 0; c < nClasses; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      const y = label(d);
      const dw = weight(d);
      scale *= 1 - eta * o.l2;
      for (let c = 0; c < nClasses; c++) {
        const g = (z[c]! / sum - (c === y ? 1 : 0)) * dw;
        if (g === 0) continue;
        b[c]! -= eta * g;
        const step = (eta * g * d.norm) / scale;
        for (const f of d.features) w[f * nClasses + c]! -= step;
      }
      if (scale < 1e-6) {
        for (let i = 0; i < w.length; i++) w[i]! *= scale;
        scale = 1;
      }
    }
  }
  for (let i = 0; i < w.length; i++) w[i]! *= scale;
  return { w, b };
}

/** Complement naive Bayes (Rennie et al. 2003) with weight normalization, as linear weights. */
function trainComplementNb(
  docs: Doc[],
  nFeatures: number,
  nClasses: number,
  label: (d: Doc) => number,
): { w: Float64Array; b: Float64Array } {
  const counts = new Float64Array(nFeatures * nClasses);
  const totals = new Float64Array(nClasses);
  for (const d of docs) {
    const y = label(d);
    for (const f of d.features) {
      counts[f * nClasses + y]! += d.norm;
      totals[y]! += d.norm;
    }
  }
  const all = totals.reduce((a, x) => a + x, 0);
  const featureTotals = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) for (let c = 0; c < nClasses; c++) featureTotals[f]! += counts[f * nClasses + c]!;
  const alpha = 0.3;
  const w = new Float64Array(nFeatures * nClasses);
  for (let c = 0; c < nClasses; c++) {
    const complement = all - totals[c]! + alpha * nFeatures;
    let l1 = 0;
    for (let f = 0; f < nFeatures; f++) {
      const v = Math.log((featureTotals[f]! - counts[f * nClasses + c]! + alpha) / complement);
      w[f * nClasses + c] = v;
      l1 += Math.abs(v);
    }
    // Normalized complement weights: a class is what its complement is not, so the sign flips.
    for (let f = 0; f < nFeatures; f++) w[f * nClasses + c] = (-w[f * nClasses + c]! / l1) * nFeatures;
  }
  return { w, b: new Float64Array(nClasses) };
}

/** A softmax temperature for naive Bayes scores, chosen by training log-likelihood on a grid. */
function fitTemperature(docs: Doc[], w: Float64Array, nClasses: number, label: (d: Doc) => number): number {
  const logits = docs.map((d) => {
    const z = new Float64Array(nClasses);
    for (const f of d.features) for (let c = 0; c < nClasses; c++) z[c]! += w[f * nClasses + c]! * d.norm;
    return z;
  });
  let best = 1;
  let bestLl = -Infinity;
  for (const temp of [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5]) {
    let ll = 0;
    docs.forEach((d, i) => {
      const z = logits[i]!;
      const max = Math.max(...z);
      let sum = 0;
      for (let c = 0; c < nClasses; c++) sum += Math.exp((z[c]! - max) / temp);
      ll += (z[label(d)]! - max) / temp - Math.log(sum);
    });
    if (ll > bestLl) {
      bestLl = ll;
      best = temp;
    }
  }
  return best;
}

/**
 * Trains a model from labelled examples (any category names). Examples of the complaint category
 * train the complaint head against all others; the rest train the topic head.
 *
 * @example
 * const model = trainModel([
 *   { text: "Where is my parcel?", label: "shipping" },
 *   { text: "I want my money back", label: "refund_exchange" },
 * ], { id: "my-shop-1" });
 */
export function trainModel(examples: TrainingExample[], options: TrainModelOptions = {}): ClassifierModel {
  const labelsSeen = [...new Set(examples.map((e) => e.label))].sort();
  const complaintCategory =
    options.complaintCategory === undefined
      ? labelsSeen.includes("complaint")
        ? "complaint"
        : null
      : options.complaintCategory;
  const otherCategory =
    options.otherCategory === undefined ? (labelsSeen.includes("other") ? "other" : null) : options.otherCategory;
  const categories = labelsSeen.filter((l) => l !== complaintCategory);
  if (categories.length < 2) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "trainModel needs examples of at least two categories besides complaints",
      path: ["examples"],
    });
  }
  if (otherCategory !== null && !categories.includes(otherCategory)) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `otherCategory "${otherCategory}" has no examples`,
      path: ["options", "otherCategory"],
    });
  }
  for (const [i, e] of examples.entries()) {
    if (typeof e.text !== "string" || e.text.trim() === "" || typeof e.label !== "string" || e.label === "") {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "every example needs a non-empty text and label",
        path: ["examples", i],
      });
    }
  }
  const o = {
    seed: options.seed ?? 1,
    epochs: options.epochs ?? 30,
    l2: options.l2 ?? 1e-5,
    learningRate: options.learningRate ?? 0.5,
  };
  // Complaints are one label in seven: weighting them up buys recall, which matters more here
  // (a missed complaint waits in the normal queue; a false one only gets looked at sooner).
  const complaintWeight = options.complaintWeight ?? 3;
  const minCount = options.minFeatureCount ?? (examples.length < 500 ? 1 : 2);

  const featureLists = examples.map((e) => featuresOf(e.text));
  const df = new Map<string, number>();
  for (const fs of featureLists) for (const f of new Set(fs)) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= minCount)
    .map(([f]) => f)
    .sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const docs: Doc[] = examples.map((e, i) => {
    const fs = featureLists[i]!;
    const ids = fs.map((f) => index.get(f)).filter((x): x is number => x !== undefined);
    return {
      features: Int32Array.from(ids),
      norm: fs.length > 0 ? 1 / Math.sqrt(fs.length) : 0,
      topic: categories.indexOf(e.label),
      complaint: e.label === complaintCategory,
    };
  });
  const topicDocs = docs.filter((d) => !d.complaint);
  const k = categories.length;
  const nb = options.algorithm === "complement-naive-bayes";
  const trainTopic = (ds: Doc[]): { w: Float64Array; b: Float64Array } =>
    nb ? trainComplementNb(ds, vocab.length, k, (d) => d.topic) : trainSoftmax(ds, vocab.length, k, (d) => d.topic, o);
  let topic = trainTopic(topicDocs);
  const complaintDocs = docs.filter((d) => d.complaint);
  if (complaintDocs.length > 0) {
    // Complaints carry no topic label. Left out, their words ("worst", "nobody answers") would
    // only ever be seen in topic examples of "other" and pull an angry shipping message there.
    // So give each complaint the topic a first pass predicts when it is sure (unsure ones stay out:
    // as "other" they would teach the very pull we remove), and train again: anger words then
    // spread over the topics and stop deciding one.
    const pseudo: Doc[] = [];
    for (const d of complaintDocs) {
      const z = Array.from(topic.b);
      for (const f of d.features) for (let c = 0; c < k; c++) z[c]! += topic.w[f * k + c]! * d.norm;
      const best = z.indexOf(Math.max(...z));
      const max = z[best]!;
      const p = 1 / z.reduce((a, x) => a + Math.exp(x - max), 0);
      if (p >= 0.6 && categories[best] !== otherCategory) pseudo.push({ ...d, topic: best });
    }
    topic = trainTopic([...topicDocs, ...pseudo]);
  }
  const temperature = nb ? fitTemperature(topicDocs, topic.w, k, (d) => d.topic) : 1;
  // The complaint head is always logistic: naive Bayes is poorly calibrated for a threshold.
  const complaint =
    complaintCategory && docs.some((d) => d.complaint)
      ? trainSoftmax(
          docs,
          vocab.length,
          2,
          (d) => (d.complaint ? 1 : 0),
          { ...o, seed: o.seed + 1 },
          (d) => (d.complaint ? complaintWeight : 1),
        )
      : null;

  const prune = options.pruneBelow ?? 0.01;
  const weights: Record<string, number[]> = {};
  vocab.forEach((f, i) => {
    const row: number[] = [];
    for (let c = 0; c < k; c++) row.push(topic.w[i * k + c]! / temperature);
    row.push(complaint ? complaint.w[i * 2 + 1]! - complaint.w[i * 2]! : 0);
    if (row.some((x) => Math.abs(x) >= prune)) weights[f] = row.map((x) => Math.round(x * SCALE));
  });
  const perCategory: Record<string, number> = {};
  for (const e of examples) perCategory[e.label] = (perCategory[e.label] ?? 0) + 1;
  // The options are part of the id: the same data trained another way is another model.
  const { id: givenId, ...trainedWith } = options;
  const id =
    givenId ??
    `custom-${hashString(JSON.stringify([examples.map((e) => [e.text, e.label]), sortedKeys(trainedWith)])).toString(36)}`;
  return {
    format: "storedesk-linear/1",
    id,
    algorithm: nb ? "complement-naive-bayes" : "logistic-regression",
    categories,
    complaintCategory: complaint ? complaintCategory : null,
    otherCategory,
    minConfidence: options.minConfidence ?? 0.35,
    complaintThreshold: options.complaintThreshold ?? 0.5,
    scale: SCALE,
    // Temperature is folded into the stored weights and biases, so inference uses 1.
    temperature: 1,
    bias: Array.from(topic.b, (x) => Math.round((x / temperature) * SCALE) / SCALE),
    complaintBias: complaint ? Math.round((complaint.b[1]! - complaint.b[0]!) * SCALE) / SCALE : 0,
    weights,
    trainedOn: { examples: examples.length, perCategory },
  };
}

/** The options with their keys in code point order, so the id does not depend on how they were written. */
function sortedKeys(options: Omit<TrainModelOptions, "id">): Array<[string, unknown]> {
  return Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
