/**
 * A vitest reporter that ends the run with why tests were skipped, grouped by reason
 * ("70 skipped: DATABASE_URL not set"), so a skip is never silent.
 *
 * A skipped test's reason is, first found: the note of `ctx.skip(note)`; "(skipped: …)" or
 * "skipped: …" in its title or a parent suite's title; a title starting with "needs …" (the
 * placeholder `it.skip("needs chromium …")` beside a `describe.skipIf`). A skipped test with no
 * reason of its own takes its file's reason when the file's titles state exactly one. `groups` merge
 * reasons worded differently for one cause. Written here because no published reporter groups
 * skips by reason; it uses only vitest's public reporter API (vitest 4: `onTestRunEnd`).
 */
import type { Reporter, TestCase, TestModule, TestSuite } from "vitest/node";

/** Reasons that name one cause in different words, shown under one label. */
export interface SkipReasonGroup {
  match: RegExp;
  reason: string;
}

/** Where skips come from, for the summary: reason → the tests and files it skipped. */
export interface SkipSummaryLine {
  reason: string;
  tests: number;
  files: string[];
}

const NO_REASON = 'no reason given (name it in the title: "… (skipped: why)")';

/**
 * Groups skipped tests by reason. Exported for the reporter's own test.
 *
 * @example
 * summarizeSkips(testModules, [{ match: /DATABASE_URL/, reason: "DATABASE_URL not set" }])
 */
export function summarizeSkips(modules: ReadonlyArray<TestModule>, groups: SkipReasonGroup[] = []): SkipSummaryLine[] {
  const byReason = new Map<string, { tests: number; files: Set<string> }>();
  for (const module of modules) {
    const skipped = [...module.children.allTests()].filter(
      (t) => t.result().state === "skipped" && t.options.mode !== "todo",
    );
    const found = skipped.map((t) => ({ reason: reasonOf(t), titled: reasonInTitles(t) !== null }));
    // Only reasons stated in titles carry over to the file's other tests; a ctx.skip note is the test's own.
    const stated = new Set(found.flatMap((f) => (f.reason && f.titled ? [f.reason] : [])));
    const fileReason = stated.size === 1 ? [...stated][0]! : null;
    for (const { reason } of found) {
      const raw = reason ?? fileReason;
      const label = raw === null ? NO_REASON : (groups.find((g) => g.match.test(raw))?.reason ?? raw);
      const entry = byReason.get(label) ?? { tests: 0, files: new Set<string>() };
      entry.tests += 1;
      entry.files.add(module.relativeModuleId);
      byReason.set(label, entry);
    }
  }
  return [...byReason]
    .map(([reason, { tests, files }]) => ({ reason, tests, files: [...files].sort() }))
    .sort((a, b) => b.tests - a.tests || a.reason.localeCompare(b.reason));
}

function reasonOf(test: TestCase): string | null {
  const result = test.result();
  if (result.state === "skipped" && result.note) return result.note;
  return reasonInTitles(test);
}

function reasonInTitles(test: TestCase): string | null {
  let node: TestCase | TestSuite | TestModule = test;
  while (node.type !== "module") {
    const reason = reasonInTitle(node.name);
    if (reason) return reason;
    node = node.parent;
  }
  return null;
}

/** The reason a title states, if any. */
export function reasonInTitle(title: string): string | null {
  const stated = /\(skipped: (.+)\)\s*$/.exec(title) ?? /\bskipped: (.+)$/.exec(title);
  if (stated) return stated[1]!.trim();
  return /^needs\b/i.test(title) ? title : null;
}

/** The reporter: add it after "default" in `test.reporters`. */
export class SkipReasonsReporter implements Reporter {
  constructor(private readonly options: { groups?: SkipReasonGroup[] } = {}) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines = summarizeSkips(testModules, this.options.groups);
    if (lines.length === 0) return;
    const total = lines.reduce((n, l) => n + l.tests, 0);
    const out = [`\n Skipped ${total} test${total === 1 ? "" : "s"}, by reason:`];
    for (const line of lines) {
      const where =
        line.files.length <= 3
          ? line.files.join(", ")
          : `${line.files.slice(0, 3).join(", ")} and ${line.files.length - 3} more files`;
      out.push(`   ${String(line.tests).padStart(4)} skipped: ${line.reason}  (${where})`);
    }
    process.stdout.write(`${out.join("\n")}\n`);
  }
}
