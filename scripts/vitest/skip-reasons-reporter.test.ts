import { describe, expect, it, vi } from "vitest";
import type { TestModule } from "vitest/node";
import { reasonInTitle, SkipReasonsReporter, summarizeSkips } from "./skip-reasons-reporter.js";

// The reporter reads only these members of vitest's TestModule / TestSuite / TestCase.
interface FakeNode {
  type: "module" | "suite" | "test";
  name: string;
  parent?: FakeNode;
}
function fakeModule(
  file: string,
  tests: Array<{ suite?: string; name: string; state?: "skipped" | "passed"; note?: string; mode?: string }>,
): TestModule {
  const module: FakeNode & { relativeModuleId: string } = { type: "module", name: file, relativeModuleId: file };
  const cases = tests.map((t) => {
    const parent: FakeNode = t.suite ? { type: "suite", name: t.suite, parent: module } : module;
    return {
      type: "test",
      name: t.name,
      parent,
      options: { mode: t.mode ?? (t.state === "passed" ? "run" : "skip") },
      result: () => ({ state: t.state ?? "skipped", note: t.note }),
    };
  });
  return { ...module, children: { allTests: () => cases.values() } } as unknown as TestModule;
}

describe("skip reasons reporter", () => {
  it("finds the reason in a note, the test's title or a parent suite's title", () => {
    expect(reasonInTitle("PostgreSQL server (skipped: set DATABASE_URL, e.g. postgresql://x)")).toBe(
      "set DATABASE_URL, e.g. postgresql://x",
    );
    expect(reasonInTitle("needs chromium at /usr/bin/chromium")).toBe("needs chromium at /usr/bin/chromium");
    expect(reasonInTitle("stores a message")).toBeNull();
  });

  it("groups skipped tests by reason, merges one cause's wordings, and names the files", () => {
    const modules = [
      fakeModule("a.test.ts", [
        { suite: "server (skipped: set DATABASE_URL)", name: "one" },
        { suite: "server (skipped: set DATABASE_URL)", name: "two" },
        { name: "runs", state: "passed" },
      ]),
      fakeModule("b.test.ts", [{ name: "needs a PostgreSQL server: DATABASE_URL is unset" }]),
      // A skipIf suite without a reason beside its placeholder: the file's one reason applies.
      fakeModule("c.test.ts", [
        { suite: "in chromium", name: "draws" },
        { name: "needs chromium (apt-get install chromium)" },
      ]),
      fakeModule("d.test.ts", [
        { name: "later", note: "the API is down today" },
        { name: "silent" },
        { name: "planned", mode: "todo" },
      ]),
    ];
    expect(summarizeSkips(modules, [{ match: /DATABASE_URL/, reason: "DATABASE_URL not set" }])).toEqual([
      { reason: "DATABASE_URL not set", tests: 3, files: ["a.test.ts", "b.test.ts"] },
      { reason: "needs chromium (apt-get install chromium)", tests: 2, files: ["c.test.ts"] },
      { reason: expect.stringMatching(/^no reason given/), tests: 1, files: ["d.test.ts"] },
      { reason: "the API is down today", tests: 1, files: ["d.test.ts"] },
    ]);
  });

  it("prints one line per reason at the end of the run, and nothing when no test was skipped", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const reporter = new SkipReasonsReporter({ groups: [{ match: /DATABASE_URL/, reason: "DATABASE_URL not set" }] });
      reporter.onTestRunEnd([fakeModule("a.test.ts", [{ name: "x", state: "passed" }])]);
      expect(write).not.toHaveBeenCalled();
      reporter.onTestRunEnd([
        fakeModule("a.test.ts", [
          { suite: "s (skipped: DATABASE_URL unset)", name: "x" },
          { suite: "s (skipped: DATABASE_URL unset)", name: "y" },
        ]),
      ]);
      expect(String(write.mock.calls[0]![0])).toContain(
        "Skipped 2 tests, by reason:\n      2 skipped: DATABASE_URL not set  (a.test.ts)",
      );
    } finally {
      write.mockRestore();
    }
  });
});
