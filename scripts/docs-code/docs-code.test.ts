import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compileDocBlocks } from "./compile-doc-blocks.js";
import { EXCERPT_MARKER, extractCodeBlocks } from "./extract-code-blocks.js";
import { ambientModules, docPreludes, preludeFor } from "./preludes.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const docPaths = [
  "README.md",
  ...readdirSync(join(root, "docs/guides"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/guides/${f}`),
];
const read = (path: string) => readFileSync(join(root, path), "utf8");

describe("extractCodeBlocks", () => {
  it("finds fenced blocks with their language, line and excerpt marker", () => {
    const md = ["# t", "", "```ts", "a()", "```", EXCERPT_MARKER, "", "```ts", "b()", "```", "```sh", "ls", "```"].join(
      "\n",
    );
    expect(extractCodeBlocks(md)).toEqual([
      { lang: "ts", code: "a()\n", line: 3, excerpt: false },
      { lang: "ts", code: "b()\n", line: 8, excerpt: true },
      { lang: "sh", code: "ls\n", line: 11, excerpt: false },
    ]);
  });

  it("throws on an unclosed fence instead of dropping the rest of the guide", () => {
    expect(() => extractCodeBlocks("```ts\nfoo()\n")).toThrow(/unclosed code fence opened on line 1/);
  });
});

describe("the docs' TypeScript", () => {
  // One program for every block of every guide: a few seconds, where one per block would be minutes.
  const report = compileDocBlocks({
    root,
    outDir: join(root, ".docs-code"),
    ambient: ambientModules,
    docs: docPaths.map((path) => ({ path, markdown: read(path), prelude: preludeFor(path) })),
  });
  const compiled = Object.values(report.compiled).reduce((a, b) => a + b, 0);
  // The generated files stay only when a block failed (to open them); otherwise `eslint .` would see them.
  afterAll(() => {
    if (report.errors.length === 0) rmSync(join(root, ".docs-code"), { recursive: true, force: true });
  });
  console.log(
    `docs code: ${compiled} TypeScript blocks compiled, ${report.excerpts.length} marked as excerpts (${report.excerpts.join(", ")})`,
  );

  it("every ```ts block in README.md and docs/guides compiles, or is marked <!-- excerpt -->", () => {
    expect(report.errors.map((e) => `${e.at}: ${e.message}`)).toEqual([]);
    expect(compiled).toBeGreaterThan(40);
  });

  it("excerpts stay the exception, and every marker sits right before a code block", () => {
    expect(report.excerpts.length).toBeLessThan(compiled / 4);
    for (const path of docPaths) {
      const markers = read(path)
        .split("\n")
        .filter((l) => l.trim() === EXCERPT_MARKER).length;
      expect(markers, `${path}: a ${EXCERPT_MARKER} not followed by a fence`).toBe(
        extractCodeBlocks(read(path)).filter((b) => b.excerpt).length,
      );
    }
  });

  it("each prelude belongs to a doc that exists", () => {
    for (const path of Object.keys(docPreludes)) expect(docPaths, path).toContain(path);
  });

  it("a block that does not compile fails, pointed at the guide's line", () => {
    const broken = compileDocBlocks({
      root,
      outDir: join(root, ".docs-code", "self-test"),
      docs: [
        {
          path: "docs/guides/broken.md",
          prelude: "declare const n: number;",
          markdown: "# b\n\n```ts\nconst ok = n + 1;\nconst s: string = n;\n```\n",
        },
      ],
    });
    expect(broken.compiled).toEqual({ "docs/guides/broken.md": 1 });
    expect(broken.errors).toEqual([
      { at: "docs/guides/broken.md:5", message: "Type 'number' is not assignable to type 'string'." },
    ]);
  });
});
