/**
 * The default classifier: the model trained on the corpus in `packages/core/data/classifier/`
 * (Korean and English), shipped as JSON and loaded once.
 */
import type { Classification, ClassifierInput } from "./classification.js";
import { classifierFromModel, type TrainedClassifier } from "./classifier-from-model.js";
import type { ClassifierModel } from "./classifier-model.js";
import defaultModelJson from "./model/default-model.json";

export { ClassificationSchema, type Classification, type Classifier, type ClassifierInput } from "./classification.js";
export { detectLanguage } from "./detect-language.js";

/**
 * The model shipped with @storedesk/core (`pnpm train:classifier` rebuilds it from the corpus).
 *
 * @example
 * defaultModel.id // "storedesk-ko-en-…"
 * classifierFromModel(defaultModel, { categoryMap: {} }) // the default, as a TrainedClassifier
 */
export const defaultModel: ClassifierModel = defaultModelJson as ClassifierModel;

let defaultClassifier: TrainedClassifier | undefined;

/**
 * The default classifier: category (multi-label, with a score per category), language, the
 * complaint signal with its intensity, sentiment and a suggested priority, from the shipped model.
 * Pure and fast (no I/O); replace it with `createDesk({ classifier })`, for example by a
 * classifier trained on the shop's own tickets ({@link trainClassifier}).
 *
 * @example
 * const c = classifyText({ text: "배송이 2주째 안 와요. 진짜 최악이네요" });
 * c.category // "complaint"
 * c.topic // "shipping"
 * c.scores.shipping // e.g. 0.9
 */
export function classifyText(input: ClassifierInput): Classification {
  // Built on first use, so importing @storedesk/core costs nothing until a text is classified.
  defaultClassifier ??= classifierFromModel(defaultModel);
  return defaultClassifier(input);
}
