/**
 * A trained model as a desk classifier: the model's prediction plus language, sentiment and a
 * priority from the complaint intensity, with the model's own category names mapped onto the
 * desk's.
 */
import { CategorySchema, type Category, type Priority } from "../domain/enums.js";
import { StoredeskError } from "../errors.js";
import type { Classification, ClassifierInput } from "./classification.js";
import {
  ClassifierModelSchema,
  predictWithModel,
  type ClassifierModel,
  type ModelPrediction,
} from "./classifier-model.js";
import { complaintPriority } from "./detect-complaint.js";
import { detectLanguage } from "./detect-language.js";
import { trainModel, type TrainingExample, type TrainModelOptions } from "./train-model.js";

/** Options of {@link classifierFromModel}. */
export interface ClassifierFromModelOptions {
  /**
   * The desk category of each of the model's own labels; a label missing here keeps its name when
   * it is a desk category and becomes `other` when not.
   */
  categoryMap?: Record<string, Category>;
}

/**
 * A classifier made from a model: call it like any `Classifier` (`createDesk({ classifier })`);
 * `model` is the JSON to store, `predict` the raw prediction under the model's own names.
 */
export interface TrainedClassifier {
  (input: ClassifierInput): Classification;
  readonly model: ClassifierModel;
  predict(text: string): ModelPrediction;
}

const POSITIVE = /(감사|고맙|좋아요|최고예요|최고에요|만족|thank|thanks|great|love it|awesome|perfect)/i;
const URGENT = /(긴급|급해|급합니다|당장|오늘까지|내일까지|\burgent\b|\basap\b|\bemergency\b|right now|immediately)/i;

/**
 * Wraps a trained model (for example one loaded from JSON) as a desk classifier. Validates the
 * model's shape first: a malformed model is an `INVALID_INPUT` error, never a wrong answer later.
 *
 * @example
 * const classifier = classifierFromModel(JSON.parse(await readFile("my-model.json", "utf8")));
 * createDesk({ store, classifier });
 */
export function classifierFromModel(
  model: ClassifierModel,
  options: ClassifierFromModelOptions = {},
): TrainedClassifier {
  const parsed = ClassifierModelSchema.safeParse(model);
  if (!parsed.success) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `not a classifier model: ${parsed.error.message}`,
      path: ["model"],
      cause: parsed.error,
    });
  }
  const width = model.categories.length + 1;
  for (const [feature, row] of Object.entries(model.weights)) {
    if (row.length !== width) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `weights of "${feature}" have ${row.length} columns, not ${width}`,
        path: ["model", "weights", feature],
      });
    }
  }
  // Whether a label is a desk category, per label: a schema parse per classification was a cost.
  const isDesk = new Map<string, boolean>();
  const deskCategory = (label: string): boolean => {
    let yes = isDesk.get(label);
    if (yes === undefined) isDesk.set(label, (yes = CategorySchema.safeParse(label).success));
    return yes;
  };
  const toDesk = (label: string): Category =>
    options.categoryMap?.[label] ?? (deskCategory(label) ? (label as Category) : "other");

  const classify = (input: ClassifierInput): Classification => {
    const text = input.subject ? `${input.subject}\n${input.text}` : input.text;
    const p = predictWithModel(model, text);
    const urgent = URGENT.test(text);
    let priority: Priority = complaintPriority(p.complaint.intensity, p.complaint.signal);
    if (urgent && priority !== "urgent") priority = p.complaint.signal ? "urgent" : "high";
    const angry = p.complaint.signal || p.complaint.intensity >= 2;
    return {
      category: p.complaint.signal ? "complaint" : toDesk(p.label),
      topic: toDesk(p.topic),
      language: detectLanguage(text, input.localeHint),
      complaint: {
        signal: p.complaint.signal,
        score: p.complaint.probability,
        intensity: p.complaint.intensity,
        cues: p.complaint.cues,
      },
      sentiment: angry ? "negative" : POSITIVE.test(text) ? "positive" : "neutral",
      suggestedPriority: priority,
      confidence: p.confidence,
      matched: p.complaint.cues.concat(p.matched),
      modelId: model.id,
      scores: p.scores,
      labels: p.labels,
      label: p.label,
    };
  };
  return Object.assign(classify, { model, predict: (text: string) => predictWithModel(model, text) });
}

/** Options of {@link trainClassifier}: training options plus the category map. */
export interface TrainClassifierOptions extends TrainModelOptions, ClassifierFromModelOptions {}

/**
 * Trains a classifier on a shop's own labelled tickets (its own category names too) and returns
 * it ready for `createDesk({ classifier })`; `classifier.model` is the JSON to save and reload
 * with {@link classifierFromModel}.
 *
 * @example
 * const classifier = trainClassifier(
 *   tickets.map((t) => ({ text: t.firstMessage, label: t.category })),
 *   { id: "my-shop-2026-12", categoryMap: { wholesale: "product" } },
 * );
 * const desk = createDesk({ store, classifier });
 */
export function trainClassifier(examples: TrainingExample[], options: TrainClassifierOptions = {}): TrainedClassifier {
  return classifierFromModel(trainModel(examples, options), options);
}
