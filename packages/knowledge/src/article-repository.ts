/**
 * Articles in the store's keyed records: CRUD with validation, a version history per article,
 * counters, and a change log that lets every instance keep its search index in step.
 */
import { randomUUID } from "node:crypto";
import { parseInput, StoredeskError, type Clock, type Store, type StoreOps } from "@storedesk/core";
import {
  ArticleInputSchema,
  ArticlePatchSchema,
  NO_COUNTS,
  NS,
  pad,
  reviveArticle,
  slugify,
  type Article,
  type ArticleCounters,
  type ArticleInput,
  type ArticlePatch,
  type ArticleRevision,
  type ArticleStatus,
} from "./article.js";

/** Options of {@link articleRepository}. */
export interface ArticleRepositoryOptions {
  clock?: Clock;
  newId?: () => string;
  /** How long the change log keeps an entry (instances further behind rebuild). Default 7 days. */
  changeLogMs?: number;
}

/** Filter of the `list` method of {@link ArticleRepository}. */
export interface ArticleQuery {
  status?: ArticleStatus[];
  locale?: string;
  category?: string;
}

/** One entry of the change log: the knowledge version after a write and the article it touched. */
export interface ArticleChange {
  seq: number;
  articleId: string;
}

/** What {@link articleRepository} returns. */
export type ArticleRepository = ReturnType<typeof articleRepository>;

const invalid = (message: string, path: string[]) => new StoredeskError({ code: "INVALID_INPUT", message, path });
const notFound = (id: string) =>
  new StoredeskError({ code: "NOT_FOUND", message: `Article ${id} not found`, path: ["id"] });

/**
 * Article storage over any {@link Store}: memory, PGlite and PostgreSQL alike. Every write runs in
 * one transaction that also appends the revision, bumps `knowledge.meta/version` and logs the change.
 *
 * @example
 * const articles = articleRepository(memoryStore());
 * const a = await articles.create({ title: "배송은 얼마나 걸리나요?", body: "1–3일", category: "shipping" }, "agent:kim");
 * await articles.update(a.id, { status: "published" }, "agent:kim");
 */
export function articleRepository(store: Store, options: ArticleRepositoryOptions = {}) {
  const now = () => options.clock?.now() ?? new Date();
  const newId = options.newId ?? randomUUID;
  const changeLogMs = options.changeLogMs ?? 7 * 24 * 3_600_000;

  /** Runs a write, again when a concurrent writer won the version race. */
  async function write<T>(fn: (tx: StoreOps, at: Date) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.transaction((tx) => fn(tx, now()));
      } catch (err) {
        // Our own refusals (taken id or slug, stale expectedVersion) are final; a lost version race is not.
        const race =
          StoredeskError.is(err, "CONFLICT") && err.details?.duplicate !== true && err.details?.final !== true;
        if (!race || attempt >= 8) throw err;
      }
    }
  }

  /** Bumps the knowledge version and logs which article changed (same transaction as the change). */
  async function logChange(tx: StoreOps, articleId: string, at: Date): Promise<number> {
    const meta = await tx.getRecord(NS.meta, "version", at);
    const seq = ((meta?.value as { seq?: number } | undefined)?.seq ?? 0) + 1;
    await tx.putRecord({ namespace: NS.meta, key: "version", value: { seq }, updatedAt: at }, meta?.version ?? null);
    await tx.putRecord({
      namespace: NS.changes,
      key: pad(seq),
      value: { articleId },
      updatedAt: at,
      expiresAt: new Date(at.getTime() + changeLogMs),
    });
    return seq;
  }

  async function revise(
    tx: StoreOps,
    article: Article,
    action: ArticleRevision["action"],
    changed: string[],
    by: string,
    at: Date,
  ) {
    const revision: ArticleRevision = {
      articleId: article.id,
      version: article.version,
      action,
      changed,
      by,
      at,
      article,
    };
    await tx.putRecord(
      { namespace: NS.history, key: `${article.id}:${pad(article.version, 6)}`, value: revision, updatedAt: at },
      null,
    );
    await logChange(tx, article.id, at);
  }

  /** Claims `slug` in `locale` for `id`, adding -2, -3… when another article holds it. */
  async function claimSlug(
    tx: StoreOps,
    locale: string,
    wanted: string,
    id: string,
    explicit: boolean,
  ): Promise<string> {
    for (let n = 1; n < 1000; n++) {
      const slug = n === 1 ? wanted : `${wanted}-${n}`;
      const held = await tx.getRecord(NS.slugs, `${locale}:${slug}`);
      if (held && (held.value as { id: string }).id !== id) {
        if (explicit)
          throw new StoredeskError({
            code: "CONFLICT",
            message: `Slug "${slug}" is taken in ${locale}`,
            path: ["slug"],
            details: { duplicate: true },
          });
        continue;
      }
      if (!held) await tx.putRecord({ namespace: NS.slugs, key: `${locale}:${slug}`, value: { id } }, null);
      return slug;
    }
    throw invalid("no free slug", ["slug"]);
  }

  async function read(tx: StoreOps, id: string): Promise<{ article: Article; version: number } | null> {
    const r = await tx.getRecord(NS.articles, id);
    return r ? { article: reviveArticle(r.value), version: r.version } : null;
  }

  const actorOf = (by: string | undefined) => {
    const who = by ?? "system";
    if (typeof who !== "string" || who.length === 0 || who.length > 200)
      throw invalid("by: who made the change (1-200 characters)", ["by"]);
    return who;
  };

  return {
    /** Creates an article (draft unless `status` says otherwise); CONFLICT when the id or an explicit slug is taken. */
    async create(input: ArticleInput, by?: string): Promise<Article> {
      const parsed = parseInput(ArticleInputSchema, input, "article");
      const who = actorOf(by);
      return write(async (tx, at) => {
        const id = parsed.id ?? newId();
        if (await tx.getRecord(NS.articles, id)) {
          throw new StoredeskError({
            code: "CONFLICT",
            message: `Article ${id} exists`,
            path: ["id"],
            details: { duplicate: true },
          });
        }
        let groupId = id;
        if (parsed.translationOf) {
          const original = await read(tx, parsed.translationOf);
          if (!original) throw invalid(`translationOf: article ${parsed.translationOf} not found`, ["translationOf"]);
          if (original.article.locale === parsed.locale)
            throw invalid("a translation needs another locale", ["locale"]);
          groupId = original.article.groupId;
        }
        const slug = await claimSlug(
          tx,
          parsed.locale,
          parsed.slug ?? slugify(parsed.title),
          id,
          parsed.slug !== undefined,
        );
        const article: Article = {
          id,
          kind: parsed.kind,
          title: parsed.title,
          body: parsed.body,
          summary: parsed.summary,
          category: parsed.category,
          tags: [...new Set(parsed.tags)],
          locale: parsed.locale,
          status: parsed.status,
          slug,
          groupId,
          version: 1,
          createdAt: at,
          updatedAt: at,
          publishedAt: parsed.status === "published" ? at : null,
          updatedBy: who,
        };
        await tx.putRecord({ namespace: NS.articles, key: id, value: article, updatedAt: at }, null);
        await revise(tx, article, "created", [], who, at);
        return article;
      });
    },

    /** Changes fields of an article; `expectedVersion` makes it a compare-and-set (CONFLICT when stale). */
    async update(id: string, patch: ArticlePatch, by?: string, expectedVersion?: number): Promise<Article> {
      const parsed = parseInput(ArticlePatchSchema, patch, "article patch");
      const who = actorOf(by);
      return write(async (tx, at) => {
        const found = await read(tx, id);
        if (!found) throw notFound(id);
        const before = found.article;
        if (expectedVersion !== undefined && before.version !== expectedVersion) {
          throw new StoredeskError({
            code: "CONFLICT",
            message: `Article ${id} is at version ${before.version}`,
            details: { final: true, version: before.version },
          });
        }
        const changed = (Object.keys(parsed) as Array<keyof typeof parsed>).filter(
          (k) => parsed[k] !== undefined && JSON.stringify(parsed[k]) !== JSON.stringify(before[k]),
        );
        if (changed.length === 0) return before;
        let slug = before.slug;
        if (parsed.slug !== undefined && parsed.slug !== before.slug) {
          slug = await claimSlug(tx, before.locale, parsed.slug, id, true);
          await tx.deleteRecord(NS.slugs, `${before.locale}:${before.slug}`);
        }
        const status = parsed.status ?? before.status;
        const article: Article = {
          ...before,
          ...Object.fromEntries(changed.map((k) => [k, parsed[k]])),
          slug,
          status,
          tags: parsed.tags ? [...new Set(parsed.tags)] : before.tags,
          version: before.version + 1,
          updatedAt: at,
          updatedBy: who,
          publishedAt:
            status === "published" ? (before.status === "published" ? before.publishedAt : at) : before.publishedAt,
        };
        await tx.putRecord({ namespace: NS.articles, key: id, value: article, updatedAt: at }, found.version);
        const action =
          parsed.status && parsed.status !== before.status && changed.length === 1
            ? parsed.status === "published"
              ? "published"
              : parsed.status === "archived"
                ? "archived"
                : "updated"
            : "updated";
        await revise(tx, article, action, changed, who, at);
        return article;
      });
    },

    /** Publishes an article (it becomes searchable). */
    publish(id: string, by?: string): Promise<Article> {
      return this.update(id, { status: "published" }, by);
    },
    /** Archives an article (it leaves search; history and counters stay). */
    archive(id: string, by?: string): Promise<Article> {
      return this.update(id, { status: "archived" }, by);
    },

    /** Deletes an article; its history stays (with a `deleted` entry). Returns false when there was none. */
    async remove(id: string, by?: string): Promise<boolean> {
      const who = actorOf(by);
      return write(async (tx, at) => {
        const found = await read(tx, id);
        if (!found) return false;
        await tx.deleteRecord(NS.articles, id);
        await tx.deleteRecord(NS.slugs, `${found.article.locale}:${found.article.slug}`);
        const gone: Article = { ...found.article, version: found.article.version + 1, updatedAt: at, updatedBy: who };
        await revise(tx, gone, "deleted", [], who, at);
        return true;
      });
    },

    /** An article by id, or null. */
    async get(id: string): Promise<Article | null> {
      return (await read(store, id))?.article ?? null;
    },

    /** An article by locale and slug, or null. */
    async getBySlug(locale: string, slug: string): Promise<Article | null> {
      const held = await store.getRecord(NS.slugs, `${locale}:${slug}`);
      return held ? this.get((held.value as { id: string }).id) : null;
    },

    /** Every article matching the filter, by id. */
    async list(query: ArticleQuery = {}): Promise<Article[]> {
      const out: Article[] = [];
      let afterKey: string | undefined;
      for (;;) {
        const page = await store.listRecords(NS.articles, { limit: 1000, ...(afterKey ? { afterKey } : {}) });
        for (const r of page) {
          const a = reviveArticle(r.value);
          if (query.status && !query.status.includes(a.status)) continue;
          if (query.locale && a.locale !== query.locale) continue;
          if (query.category && a.category !== query.category) continue;
          out.push(a);
        }
        if (page.length < 1000) return out;
        afterKey = page[page.length - 1]!.key;
      }
    },

    /** The versions of an article, oldest first. */
    async history(id: string): Promise<ArticleRevision[]> {
      // Expiry (the change log's retention) judged on the repository's clock, as it was stamped.
      const rows = await store.listRecords(NS.history, { prefix: `${id}:`, now: now() });
      return rows.map((r) => {
        const v = r.value as ArticleRevision;
        return { ...v, at: new Date(v.at), article: reviveArticle(v.article) };
      });
    },

    /** The other-locale versions of an article (its translation group), itself included. */
    async translations(id: string): Promise<Article[]> {
      const article = await this.get(id);
      if (!article) throw notFound(id);
      return (await this.list()).filter((a) => a.groupId === article.groupId);
    },

    /** How an article is used. */
    async counters(id: string): Promise<ArticleCounters> {
      const r = await store.getRecord(NS.counters, id);
      return { ...NO_COUNTS, ...(r?.value as Partial<ArticleCounters> | undefined) };
    },

    /** Adds to an article's counters (compare-and-set, retried on a race); NOT_FOUND for an unknown article. */
    async count(id: string, delta: Partial<ArticleCounters>): Promise<ArticleCounters> {
      for (const [k, v] of Object.entries(delta)) {
        if (!(k in NO_COUNTS) || !Number.isInteger(v) || v < 0) throw invalid(`counter ${k}: a whole number ≥ 0`, [k]);
      }
      for (let attempt = 1; ; attempt++) {
        if (!(await store.getRecord(NS.articles, id))) throw notFound(id);
        const r = await store.getRecord(NS.counters, id);
        const current = { ...NO_COUNTS, ...(r?.value as Partial<ArticleCounters> | undefined) };
        const next = { ...current };
        for (const [k, v] of Object.entries(delta)) next[k as keyof ArticleCounters] += v;
        try {
          await store.putRecord({ namespace: NS.counters, key: id, value: next, updatedAt: now() }, r?.version ?? null);
          return next;
        } catch (err) {
          if (!StoredeskError.is(err, "CONFLICT") || attempt >= 20) throw err;
        }
      }
    },

    /** The knowledge version: grows by one on every article write. */
    async version(): Promise<number> {
      const meta = await store.getRecord(NS.meta, "version");
      return (meta?.value as { seq?: number } | undefined)?.seq ?? 0;
    },

    /** Changes after `seq`, oldest first; `complete` is false when the log no longer reaches back that far. */
    async changesSince(seq: number): Promise<{ changes: ArticleChange[]; complete: boolean }> {
      const changes: ArticleChange[] = [];
      let afterKey = pad(seq);
      for (;;) {
        const rows = await store.listRecords(NS.changes, { afterKey, limit: 1000 });
        for (const r of rows)
          changes.push({ seq: Number(r.key), articleId: (r.value as { articleId: string }).articleId });
        if (rows.length < 1000) break;
        afterKey = rows[rows.length - 1]!.key;
      }
      return { changes, complete: changes.length === 0 || changes[0]!.seq === seq + 1 };
    },
  };
}
