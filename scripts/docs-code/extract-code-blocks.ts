/**
 * Finds the fenced code blocks of a Markdown file, with the excerpt marker that may precede them.
 *
 * Written by hand rather than with a Markdown parser: our docs use only plain backtick fences at
 * the start of a line, and a parser would be a new root dependency for ~40 lines. An unclosed
 * fence throws, so a malformed guide fails the docs-code test instead of hiding blocks.
 */

/** The comment that marks the next code block as an excerpt on purpose (not compiled). */
export const EXCERPT_MARKER = "<!-- excerpt -->";

/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The fence's info string's first word (`ts`, `sh`, …); empty when the fence has none. */
  lang: string;
  /** The code between the fences. */
  code: string;
  /** 1-based line of the opening fence, for error messages that point into the guide. */
  line: number;
  /** True when the last non-blank line before the fence is {@link EXCERPT_MARKER}. */
  excerpt: boolean;
}

/**
 * Splits Markdown into its fenced code blocks.
 *
 * @example
 * extractCodeBlocks("<!-- excerpt -->\n```ts\nfoo()\n```\n") // [{ lang: "ts", code: "foo()\n", line: 2, excerpt: true }]
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith(fence); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`unclosed code fence opened on line ${start + 1}`);
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    blocks.push({
      lang: open[2] ?? "",
      code: body.length ? body.join("\n") + "\n" : "",
      line: start + 1,
      excerpt: before >= 0 && lines[before]!.trim() === EXCERPT_MARKER,
    });
  }
  return blocks;
}
