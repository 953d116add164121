/** The article and FAQ entry shapes (zod at the edge) and how they are keyed in the store. */
import { z } from "zod";

/** Ticket categories every shop has; a shop may add its own (`gift_wrapping`, `membership`…). */
export const BUILTIN_ARTICLE_CATEGORIES = [
  "product",
  "shipping",
  "refund_exchange",
  "order_change",
  "payment",
  "complaint",
  "other",
] as const;

/** Where an article is in its life: only `published` ones are searched and answered from. */
export const ArticleStatusSchema = z.enum(["draft", "published", "archived"]);
/** An article status. */
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

const Category = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,49}$/, "category: lower-case words with _ or -");
const Locale = z
  .string()
  .trim()
  .regex(/^[a-z]{2}(?:-[A-Za-z]{2,4})?$/, "locale: a BCP 47 tag such as ko or en-US");
const Slug = z
  .string()
  .trim()
  .max(120)
  .regex(/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u, "slug: letters and digits joined by -");
const Tags = z.array(z.string().trim().min(1).max(50)).max(50);

/** What a shop writes: an FAQ entry (title is the question, body the answer) or a longer help article. */
export const ArticleInputSchema = z.strictObject({
  /** Your own id (an import's file name or a CMS id); generated when absent. */
  id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^:\s]+$/, "id: no spaces or ':'")
    .optional(),
  kind: z.enum(["faq", "article"]).default("faq"),
  /** The question of an FAQ entry, the title of an article. */
  title: z.string().trim().min(1).max(300),
  /** Markdown. */
  body: z.string().trim().min(1).max(100_000),
  summary: z.string().trim().max(1000).nullable().default(null),
  category: Category.default("other"),
  tags: Tags.default([]),
  locale: Locale.default("ko"),
  status: ArticleStatusSchema.default("draft"),
  /** Made from the title when absent; unique per locale. */
  slug: Slug.optional(),
  /** The article this one translates: both share a translation group. */
  translationOf: z.string().min(1).max(200).optional(),
});
/** Input of `knowledge.articles.create`. */
export type ArticleInput = z.input<typeof ArticleInputSchema>;

/** Fields `knowledge.articles.update` may change (every field optional). */
export const ArticlePatchSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  body: z.string().trim().min(1).max(100_000).optional(),
  summary: z.string().trim().max(1000).nullable().optional(),
  category: Category.optional(),
  tags: Tags.optional(),
  status: ArticleStatusSchema.optional(),
  slug: Slug.optional(),
  kind: z.enum(["faq", "article"]).optional(),
});
/** A partial update of an article. */
export type ArticlePatch = z.input<typeof ArticlePatchSchema>;

/** An article as stored. JSON-safe apart from the dates. */
export interface Article {
  id: string;
  kind: "faq" | "article";
  title: string;
  body: string;
  summary: string | null;
  category: string;
  tags: string[];
  locale: string;
  status: ArticleStatus;
  slug: string;
  /** Articles that translate each other share this (the first article's id). */
  groupId: string;
  /** Grows by one on every change; the history keeps each one. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** Who made the last change (`agent:kim`, `import:csv`, `system`). */
  updatedBy: string;
}

/** How an article is used: kept apart from the article so counting never bumps its version. */
export interface ArticleCounters {
  views: number;
  helpfulYes: number;
  helpfulNo: number;
  /** Times the bot answered with it. */
  answered: number;
  /** Times a person was asked for after the bot answered with it. */
  handoffs: number;
}

/** One entry of an article's version history (the audit trail of the knowledge base). */
export interface ArticleRevision {
  articleId: string;
  version: number;
  action: "created" | "updated" | "published" | "archived" | "deleted";
  /** Fields that changed (for `updated`). */
  changed: string[];
  by: string;
  at: Date;
  /** The article as it was after this change. */
  article: Article;
}

/** Store namespaces the knowledge base owns. */
export const NS = {
  articles: "knowledge.articles",
  history: "knowledge.history",
  slugs: "knowledge.slugs",
  counters: "knowledge.counters",
  meta: "knowledge.meta",
  changes: "knowledge.changes",
  questions: "knowledge.questions",
  botState: "knowledge.bot-state",
} as const;

/** A slug from a title: letters (Hangul included) and digits joined by `-`, at most 80 characters. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 80).replace(/-+$/, "") || "article";
}

/** Zero-padded so keys sort as numbers do. */
export function pad(n: number, width = 10): string {
  return String(n).padStart(width, "0");
}

/** Revives the dates of an article read back from a keyed record (JSON). */
export function reviveArticle(value: unknown): Article {
  const v = value as Record<string, unknown>;
  return {
    ...(v as unknown as Article),
    createdAt: new Date(v.createdAt as string),
    updatedAt: new Date(v.updatedAt as string),
    publishedAt: v.publishedAt ? new Date(v.publishedAt as string) : null,
  };
}

/** The empty counters. */
export const NO_COUNTS: ArticleCounters = { views: 0, helpfulYes: 0, helpfulNo: 0, answered: 0, handoffs: 0 };
