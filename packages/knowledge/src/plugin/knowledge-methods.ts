/**
 * What the knowledge plugin puts under `desk.knowledge`: article CRUD (validated by the article
 * schemas, each change in the article's version history and emitted as
 * `plugin.knowledge.article_changed`), imports, search, the gap and effectiveness reports, the bot.
 */
import type { Article, ArticleInput, ArticlePatch } from "../article.js";
import type { BotConfig, BotState } from "../bot/bot-config.js";
import type { BotRunner } from "../bot/bot-runner.js";
import type { Knowledge, Period } from "../create-knowledge.js";
import type { GroupGapsOptions } from "../gaps.js";
import { parseFaqCsv, readMarkdownFolder } from "../import-articles.js";
import type { SearchOptions } from "../search-index.js";

/**
 * Builds the plugin's methods over a knowledge base.
 *
 * @example
 * const methods = knowledgeMethods({ knowledge, runner, config, emit: desk.emit });
 * await methods.articles.create({ title: "배송 기간", body: "1–3일", category: "shipping", status: "published" }, "agent:kim");
 */
export function knowledgeMethods(args: {
  knowledge: Knowledge;
  runner: BotRunner | null;
  config: BotConfig | null;
  emit: (type: `plugin.${string}`, data: Record<string, unknown>) => void;
}) {
  const { knowledge, runner, emit } = args;
  const changed = (
    action: string,
    article: Pick<Article, "id" | "version" | "status" | "locale">,
    by: string | undefined,
  ) =>
    emit("plugin.knowledge.article_changed", {
      action,
      articleId: article.id,
      version: article.version,
      status: article.status,
      locale: article.locale,
      by: by ?? "system",
    });
  const a = knowledge.articles;

  const articles = {
    /** Creates an article (draft unless `status` says so); INVALID_INPUT on a bad field, CONFLICT on a taken id or slug. */
    async create(input: ArticleInput, by?: string): Promise<Article> {
      const article = await a.create(input, by);
      changed("created", article, by);
      return article;
    },
    /** Changes fields; `expectedVersion` makes it a compare-and-set (CONFLICT when stale). */
    async update(id: string, patch: ArticlePatch, by?: string, expectedVersion?: number): Promise<Article> {
      const article = await a.update(id, patch, by, expectedVersion);
      changed("updated", article, by);
      return article;
    },
    /** Publishes an article: it becomes searchable and the bot answers from it. */
    async publish(id: string, by?: string): Promise<Article> {
      const article = await a.publish(id, by);
      changed("published", article, by);
      return article;
    },
    /** Archives an article: it leaves search; history and counters stay. */
    async archive(id: string, by?: string): Promise<Article> {
      const article = await a.archive(id, by);
      changed("archived", article, by);
      return article;
    },
    /** Deletes an article (its history keeps a `deleted` entry); false when there was none. */
    async remove(id: string, by?: string): Promise<boolean> {
      const gone = await a.remove(id, by);
      if (gone) emit("plugin.knowledge.article_changed", { action: "deleted", articleId: id, by: by ?? "system" });
      return gone;
    },
    /** An article by id, or null. */
    get: (id: string) => a.get(id),
    /** An article by locale and slug, or null. */
    getBySlug: (locale: string, slug: string) => a.getBySlug(locale, slug),
    /** Articles matching a filter (status, locale, category). */
    list: (query?: Parameters<Knowledge["articles"]["list"]>[0]) => a.list(query),
    /** An article's versions, oldest first (the audit trail of the help center). */
    history: (id: string) => a.history(id),
    /** The article's translations (its group), itself included. */
    translations: (id: string) => a.translations(id),
    /** Views, helpful votes, bot answers and hand-offs of an article. */
    counters: (id: string) => a.counters(id),
  };

  async function importMany(inputs: ArticleInput[], by: string) {
    const result = await a.importMany(inputs, by);
    emit("plugin.knowledge.article_changed", {
      action: "imported",
      created: result.created,
      updated: result.updated,
      by,
    });
    return result;
  }

  return {
    /** The knowledge base itself (search index, question log), for what the methods below do not cover. */
    base: knowledge,
    articles,
    /**
     * Imports a folder of markdown files (front matter + body; sub-folders too). The whole folder
     * is validated first: a bad file stops the import before anything is written.
     */
    importMarkdown: async (dir: string, by = "import:markdown") => importMany(await readMarkdownFolder(dir), by),
    /** Imports FAQ entries from CSV (`question,answer,category`; Korean headers too), validated first. */
    importCsv: (text: string, defaults: Partial<ArticleInput> = {}, by = "import:csv") =>
      importMany(parseFaqCsv(text, defaults), by),
    /** Ranked hits, best first, each with a calibrated `score` in [0, 1]. */
    search: (query: string, opts: SearchOptions) => knowledge.search(query, opts),
    /** Searches and logs the question for the gap report. */
    ask: (text: string, opts: SearchOptions & { ticketId?: string | null }) => knowledge.ask(text, opts),
    /** Questions in `period` without a confident article, grouped by similarity, biggest group first. */
    gaps: (period: Period, opts?: GroupGapsOptions) => knowledge.gaps(period, opts),
    /** Views, helpful rate, bot answers and hand-offs after them, per article. */
    effectiveness: () => knowledge.effectiveness(),
    /** Counts a "was this helpful?" vote from a help-center page. */
    feedback: (articleId: string, helpful: boolean) => knowledge.feedback(articleId, helpful),
    /** Counts a view of an article. */
    view: (articleId: string) => knowledge.view(articleId),
    /** The answer bot (null when the plugin was made with `bot: false`). */
    bot: runner
      ? {
          config: args.config!,
          /** Resolves when every bot turn started so far is done (tests, graceful shutdown). */
          idle: (): Promise<void> => runner.idle(),
          /** What the bot remembers about a ticket. */
          state: (ticketId: string): Promise<BotState> => runner.state(ticketId),
        }
      : null,
  };
}

/** What `desk.knowledge` holds. */
export type KnowledgeMethods = ReturnType<typeof knowledgeMethods>;
