/**
 * The classifier corpus (packages/core/data/classifier/{ko,en}.jsonl) and its deterministic
 * 80/20 split, shared by `pnpm train:classifier` and `pnpm bench classify`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CategorySchema } from "../packages/core/src/domain/enums.js";
import { hashString, type TrainingExample } from "../packages/core/src/classify/train-model.js";

/** One corpus line, with the file (language) it came from. */
export interface CorpusExample extends TrainingExample {
  language: "ko" | "en";
}

export const CORPUS_DIR = fileURLToPath(new URL("../packages/core/data/classifier/", import.meta.url));
export const MODEL_PATH = fileURLToPath(
  new URL("../packages/core/src/classify/model/default-model.json", import.meta.url),
);

/** Reads and checks both files; a bad line stops with its file and line number. */
export function loadCorpus(): CorpusExample[] {
  const out: CorpusExample[] = [];
  const seen = new Map<string, string>();
  for (const language of ["ko", "en"] as const) {
    const lines = readFileSync(`${CORPUS_DIR}${language}.jsonl`, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      const where = `${language}.jsonl:${i + 1}`;
      let row: { text?: unknown; label?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch {
        throw new Error(`${where}: not JSON`);
      }
      if (typeof row.text !== "string" || row.text.trim() === "") throw new Error(`${where}: no text`);
      const label = CategorySchema.safeParse(row.label);
      if (!label.success) throw new Error(`${where}: unknown label ${String(row.label)}`);
      const key = row.text.trim().toLowerCase();
      const before = seen.get(key);
      if (before !== undefined) {
        // A duplicate would sit on both sides of the split and flatter the held-out figures.
        if (before !== label.data)
          throw new Error(`${where}: "${row.text}" is labelled both ${before} and ${label.data}`);
        return;
      }
      seen.set(key, label.data);
      out.push({ text: row.text, label: label.data, language });
    });
  }
  return out;
}

/** Held out when the text's hash falls in the last fifth: stable when lines are added or moved. */
export function isHeldOut(example: TrainingExample): boolean {
  return hashString(`split:${example.text.trim().toLowerCase()}`) % 5 === 0;
}
