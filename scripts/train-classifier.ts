/**
 * `pnpm train:classifier`: trains the default model on the whole corpus (phrases and long-form
 * inquiries, never the challenge set) and writes packages/core/src/classify/model/default-model.json.
 * Deterministic (seeded): the same corpus gives the same file. `pnpm bench classify` measures the
 * same training on 80% of the corpus.
 */
import { writeFileSync } from "node:fs";
import { hashString, trainModel } from "../packages/core/src/classify/train-model.js";
import { loadCorpus, MODEL_PATH } from "./train-classifier-corpus.js";

const corpus = loadCorpus();
const started = performance.now();
const model = trainModel(corpus, {
  id: `storedesk-ko-en-${hashString(JSON.stringify(corpus.map((e) => [e.text, e.label]))).toString(36)}`,
});
const json = `${JSON.stringify(model)}\n`;
writeFileSync(MODEL_PATH, json);

const table: Record<string, { ko: number; en: number; "long-form": number }> = {};
for (const e of corpus) {
  const row = (table[e.label] ??= { ko: 0, en: 0, "long-form": 0 });
  row[e.language] += 1;
  if (e.source === "long-form") row["long-form"] += 1;
}
console.log(`trained ${model.id} on ${corpus.length} examples in ${Math.round(performance.now() - started)} ms`);
console.table(table);
console.log(
  `${Object.keys(model.weights).length} features, ` +
    `${(Buffer.byteLength(json) / 1024).toFixed(0)} KiB → ${MODEL_PATH}`,
);
