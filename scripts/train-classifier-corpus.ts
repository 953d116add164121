/**
 * The classifier corpus (packages/core/data/classifier/{ko,en}.jsonl and long-form/{ko,en}.jsonl)
 * and its deterministic 80/20 split, shared by `pnpm train:classifier` and `pnpm bench classify`;
 * and the challenge set (packages/core/data/classifier/challenge/), which is only ever measured
 * on, never trained on. Where each file comes from: packages/core/data/classifier/SOURCES.md.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CategorySchema } from "../packages/core/src/domain/enums.js";
import { hashString, type TrainingExample } from "../packages/core/src/classify/train-model.js";

/** One corpus line, with the language and the kind of file it came from. */
export interface CorpusExample extends TrainingExample {
  language: "ko" | "en";
  /** `phrases`: {ko,en}.jsonl, mostly one phrase or sentence; `long-form`: whole inquiries. */
  source: "phrases" | "long-form" | "challenge";
}

export const CORPUS_DIR = fileURLToPath(new URL("../packages/core/data/classifier/", import.meta.url));
export const LONG_FORM_DIR = fileURLToPath(new URL("../packages/core/data/classifier/long-form/", import.meta.url));
export const CHALLENGE_DIR = fileURLToPath(new URL("../packages/core/data/classifier/challenge/", import.meta.url));
export const MODEL_PATH = fileURLToPath(
  new URL("../packages/core/src/classify/model/default-model.json", import.meta.url),
);

const key = (text: string): string => text.trim().toLowerCase();

/**
 * Reads and checks one language's file of a directory; a bad line stops with its file and line
 * number. `seen` (text → label) is shared across files so a duplicate anywhere is caught.
 */
function readExamples(
  dir: string,
  language: "ko" | "en",
  source: CorpusExample["source"],
  seen: Map<string, string>,
): CorpusExample[] {
  const out: CorpusExample[] = [];
  const lines = readFileSync(`${dir}${language}.jsonl`, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${dir}${language}.jsonl:${i + 1}`;
    let row: { text?: unknown; label?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new Error(`${where}: not JSON`);
    }
    if (typeof row.text !== "string" || row.text.trim() === "") throw new Error(`${where}: no text`);
    const label = CategorySchema.safeParse(row.label);
    if (!label.success) throw new Error(`${where}: unknown label ${String(row.label)}`);
    const before = seen.get(key(row.text));
    if (before !== undefined) {
      // A duplicate would sit on both sides of the split and flatter the held-out figures.
      if (before !== label.data)
        throw new Error(`${where}: "${row.text}" is labelled both ${before} and ${label.data}`);
      return;
    }
    seen.set(key(row.text), label.data);
    out.push({ text: row.text, label: label.data, language, source });
  });
  return out;
}

/** Reads and checks the corpus files; a bad line stops with its file and line number. */
export function loadCorpus(): CorpusExample[] {
  const seen = new Map<string, string>();
  return (["ko", "en"] as const).flatMap((language) => [
    ...readExamples(CORPUS_DIR, language, "phrases", seen),
    ...readExamples(LONG_FORM_DIR, language, "long-form", seen),
  ]);
}

/**
 * The challenge set: longer, noisier inquiries written apart from the corpus (see SOURCES.md).
 * A challenge text that is also a corpus text is refused: the set must stay unseen by training.
 */
export function loadChallengeSet(corpus: CorpusExample[] = loadCorpus()): CorpusExample[] {
  const trained = new Set(corpus.map((e) => key(e.text)));
  const seen = new Map<string, string>();
  const examples = (["ko", "en"] as const).flatMap((language) =>
    readExamples(CHALLENGE_DIR, language, "challenge", seen),
  );
  for (const e of examples) {
    if (trained.has(key(e.text))) throw new Error(`challenge text is also in the corpus: "${e.text}"`);
  }
  return examples;
}

/** Held out when the text's hash falls in the last fifth: stable when lines are added or moved. */
export function isHeldOut(example: TrainingExample): boolean {
  return hashString(`split:${example.text.trim().toLowerCase()}`) % 5 === 0;
}
