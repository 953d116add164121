/** Imports: a folder of markdown files with front matter, and a CSV of question, answer, category. */
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { parse } from "csv-parse/sync";
import matter from "gray-matter";
import { parseInput, StoredeskError } from "@storedesk/core";
import { ArticleInputSchema, type ArticleInput } from "./article.js";

/**
 * One markdown file as an article: front matter (`title`, `category`, `tags`, `locale`, `status`,
 * `slug`, `summary`, `id`, `translationOf`, `kind`) and the markdown body. Without a `title`, the
 * first `# heading` is the title. The id defaults to the file name without `.md`.
 *
 * @example
 * parseMarkdownArticle("---\ncategory: shipping\n---\n# 배송 기간\n1–3일 걸립니다.", "shipping-time.md");
 */
export function parseMarkdownArticle(text: string, fileName = "article.md"): ArticleInput {
  let parsed: { data: Record<string, unknown>; content: string };
  try {
    parsed = matter(text);
  } catch (cause) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `${fileName}: front matter is not valid YAML`,
      path: [fileName],
      cause,
    });
  }
  let body = parsed.content.trim();
  let title = typeof parsed.data.title === "string" ? parsed.data.title : undefined;
  const heading = /^#\s+(.+)\s*(?:\r?\n|$)/.exec(body);
  if (!title && heading) {
    title = heading[1]!.trim();
    body = body.slice(heading[0].length).trim();
  }
  const id = basename(fileName, extname(fileName)).replace(/[:\s]+/g, "-");
  const input = { id, ...parsed.data, title, body };
  // Validate now, naming the file: an import stops before writing anything on a bad file.
  parseInput(ArticleInputSchema, normalizeDates(input), `article ${fileName}`);
  return normalizeDates(input) as ArticleInput;
}

/** YAML turns `2026-01-02` into a Date and numbers into numbers: articles keep strings. */
function normalizeDates(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v instanceof Date || typeof v === "number") out[k] = v instanceof Date ? v.toISOString() : String(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => String(x));
    else out[k] = v;
  }
  return out;
}

/**
 * Every `.md` file of a folder (sub-folders included, sorted by path) as articles. Throws
 * INVALID_INPUT naming the first bad file before returning anything.
 *
 * @example
 * const inputs = await readMarkdownFolder("./help-center");
 * await knowledge.articles.importMany(inputs, "import:markdown");
 */
export async function readMarkdownFolder(dir: string): Promise<ArticleInput[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".md") && e.name.toLowerCase() !== "readme.md")
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const out: ArticleInput[] = [];
  for (const file of files) out.push(parseMarkdownArticle(await readFile(file, "utf8"), basename(file)));
  return out;
}

/** Column names (lower-case, Korean too) that a CSV import understands. */
const COLUMNS: Record<string, keyof ArticleInput> = {
  question: "title",
  title: "title",
  질문: "title",
  제목: "title",
  answer: "body",
  body: "body",
  답변: "body",
  내용: "body",
  category: "category",
  카테고리: "category",
  분류: "category",
  tags: "tags",
  태그: "tags",
  locale: "locale",
  언어: "locale",
  id: "id",
  status: "status",
  상태: "status",
};

/**
 * FAQ entries from CSV with a header row: `question`, `answer`, `category` (also `tags` split on
 * `,` or `|`, `locale`, `id`, `status`; Korean headers 질문/답변/카테고리 work too). A BOM is
 * ignored. Throws INVALID_INPUT naming the first bad row.
 *
 * @example
 * parseFaqCsv("question,answer,category\n배송은 얼마나 걸리나요?,1–3일 걸립니다.,shipping\n");
 */
export function parseFaqCsv(text: string, defaults: Partial<ArticleInput> = {}): ArticleInput[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (cause) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `CSV could not be read: ${(cause as Error).message}`,
      cause,
    });
  }
  return rows.map((row, i) => {
    const input: Record<string, unknown> = { ...defaults };
    for (const [column, value] of Object.entries(row)) {
      const field = COLUMNS[column];
      if (!field || value === "") continue;
      input[field] =
        field === "tags"
          ? value
              .split(/[,|]/)
              .map((t) => t.trim())
              .filter(Boolean)
          : value;
    }
    parseInput(ArticleInputSchema, input, `CSV row ${i + 2}`);
    return input as ArticleInput;
  });
}
