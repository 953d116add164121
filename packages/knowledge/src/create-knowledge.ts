/**
 * The knowledge base: articles in the store, a search index in every process kept in step
 * through the store's `knowledge.meta/version` record, the question log and the reports.
 */
import { randomUUID } from "node:crypto";
import { parseInput, type Clock, type KnowledgeBase, type Store } from "@storedesk/core";
import { z } from "zod";
import { NS, reviveArticle, type Article, type ArticleCounters, type ArticleInput } from "./article.js";
import { articleRepository } from "./article-repository.js";
import { groupGaps, type AskedQuestion, type GroupGapsOptions, type KnowledgeGap } from "./gaps.js";
import { createSearchIndex, type SearchHit, type SearchIndexOptions, type SearchOptions } from "./search-index.js";
import { handoffQuestion, type HandoffQuestion } from "./question-key.js";
import { canonicalTerms, DEFAULT_SYNONYMS } from "./synonyms.js";

/** Options of {@link createKnowledge}. */
export interface KnowledgeOptions extends SearchIndexOptions {
  store: Store;
  clock?: Clock;
  newId?: () => string;
  /** Confidence from which a hit counts as an answer (in the question log and for the bot). Default 0.55. */
  confidentAt?: number;
  /** How long asked questions are kept for the gap report. Default 180 days. */
  questionRetentionDays?: number;
}

/** How one article performs. */
export interface ArticleEffectiveness extends ArticleCounters {
  articleId: string;
  title: string;
  locale: string;
  /** helpfulYes / (helpfulYes + helpfulNo), null before any vote. */
  helpfulRate: number | null;
  /** handoffs / answered, null before the bot used it. */
  handoffRate: number | null;
}

/** A period: `from` inclusive, `to` exclusive. */
export interface Period {
  from: Date;
  to: Date;
}

const PeriodSchema = z
  .object({ from: z.date(), to: z.date() })
  .refine((p) => p.from < p.to, { message: "from must be before to", path: ["to"] });
const QuestionSchema = z.object({
  text: z.string().trim().min(1).max(5000),
  locale: z.string().min(2).max(35),
  ticketId: z.string().min(1).max(200).nullable().optional(),
  hits: z.array(z.object({ articleId: z.string(), score: z.number() })).optional(),
});

// Built once: making a zod schema costs far more than using one (this is the search hot path).
const QuerySchema = z.string().max(5000);
const SearchOptionsSchema = z
  .object({ locale: z.string().min(2).max(35), limit: z.number().int().positive().max(100).optional() })
  .loose();

/** What {@link createKnowledge} returns. */
export type Knowledge = ReturnType<typeof createKnowledge>;

/**
 * Creates a knowledge base over a store. It implements core's `KnowledgeBase` port (`search`),
 * with the articles (`articles.*`), the question log and the gap and effectiveness reports.
 * Several instances over one store stay in step: every write bumps `knowledge.meta/version`, and
 * each search first compares it (one keyed-record read) and replays the change log when it moved.
 *
 * @example
 * const knowledge = createKnowledge({ store, synonyms: [["택배", "배송"]] });
 * await knowledge.articles.create({ title: "배송 기간", body: "1–3일", category: "shipping", status: "published" });
 * const [hit] = await knowledge.search("배송이 언제 되나요", { locale: "ko" });
 */
export function createKnowledge(options: KnowledgeOptions) {
  const { store } = options;
  const now = () => options.clock?.now() ?? new Date();
  const newId = options.newId ?? randomUUID;
  const confidentAt = options.confidentAt ?? 0.55;
  const retentionMs = (options.questionRetentionDays ?? 180) * 86_400_000;
  const repo = articleRepository(store, { ...(options.clock ? { clock: options.clock } : {}), newId });
  const index = createSearchIndex(options);
  const canonical = canonicalTerms(options.synonyms ?? DEFAULT_SYNONYMS);
  let indexedAt = -1;
  let syncing: Promise<void> | null = null;

  async function rebuild(version: number): Promise<void> {
    index.clear();
    for (const a of await repo.list({ status: ["published"] })) index.set(a);
    indexedAt = version;
  }

  /** Brings the index up to the store's version: the change log when it reaches back, else a rebuild. */
  async function catchUp(): Promise<void> {
    const version = await repo.version();
    if (version === indexedAt) return;
    if (indexedAt < 0 || version < indexedAt) return rebuild(version);
    const { changes, complete } = await repo.changesSince(indexedAt);
    if (!complete || changes.length === 0) return rebuild(version);
    const touched = [...new Set(changes.map((c) => c.articleId))];
    for (const id of touched) {
      const r = await store.getRecord(NS.articles, id);
      if (r) index.set(reviveArticle(r.value));
      else index.remove(id);
    }
    indexedAt = changes.length > 0 ? changes[changes.length - 1]!.seq : version;
  }

  function sync(): Promise<void> {
    // One catch-up at a time; callers arriving meanwhile wait for it, then check again.
    const run = (syncing ?? Promise.resolve()).then(catchUp);
    const tail = run.catch(() => undefined);
    syncing = tail;
    void tail.then(() => {
      if (syncing === tail) syncing = null;
    });
    return run;
  }

  /** Applies a local write to the index now, so this instance never serves a stale result. */
  async function after<T>(result: T): Promise<T> {
    await sync();
    return result;
  }

  const articles = {
    ...repo,
    create: async (input: ArticleInput, by?: string) => after(await repo.create(input, by)),
    update: async (...args: Parameters<typeof repo.update>) => after(await repo.update(...args)),
    publish: async (id: string, by?: string) => after(await repo.update(id, { status: "published" }, by)),
    archive: async (id: string, by?: string) => after(await repo.update(id, { status: "archived" }, by)),
    remove: async (id: string, by?: string) => after(await repo.remove(id, by)),
    /**
     * Creates or updates many articles (an import): an input whose `id` exists updates that
     * article, others are created. Each article is its own transaction; validate first (the
     * import readers do) so a bad file stops the import before anything is written.
     */
    async importMany(
      inputs: ArticleInput[],
      by = "import",
    ): Promise<{ created: number; updated: number; articles: Article[] }> {
      let created = 0;
      let updated = 0;
      const out: Article[] = [];
      for (const input of inputs) {
        const existing = input.id ? await repo.get(input.id) : null;
        if (existing) {
          const { id: _id, translationOf: _t, locale: _l, ...patch } = input;
          out.push(await repo.update(existing.id, patch, by));
          updated++;
        } else {
          out.push(await repo.create(input, by));
          created++;
        }
      }
      await sync();
      return { created, updated, articles: out };
    },
  };

  async function logQuestion(q: AskedQuestion): Promise<void> {
    await store.putRecord({
      namespace: NS.questions,
      key: `${q.at.toISOString()}:${q.id}`,
      updatedAt: q.at,
      value: { ...q, at: q.at.toISOString() },
      expiresAt: new Date(q.at.getTime() + retentionMs),
    });
  }

  async function questionsIn(period: Period): Promise<AskedQuestion[]> {
    const out: AskedQuestion[] = [];
    const fromKey = period.from.toISOString();
    const toKey = period.to.toISOString();
    // Keys start with the ISO instant, so key order is time order: page from just before `from`.
    let afterKey = `${fromKey.slice(0, -1)}`;
    for (;;) {
      // Expiry judged on the knowledge base's clock, as the questions were stamped.
      const page = await store.listRecords(NS.questions, { afterKey, limit: 1000, now: now() });
      for (const r of page) {
        if (r.key >= toKey) return out;
        if (r.key < fromKey) continue;
        const v = r.value as AskedQuestion & { at: string };
        out.push({ ...v, at: new Date(v.at) });
      }
      if (page.length < 1000) return out;
      afterKey = page[page.length - 1]!.key;
    }
  }

  const kb = {
    specVersion: 1 as const,
    /** The store the articles live in. */
    store,
    /** The article store with history and counters; writes update the index. */
    articles,
    /** Confidence from which a hit counts as answered. */
    confidentAt,

    /** Builds the index from the store (call once at start; `search` also does it lazily). */
    ready: (): Promise<void> => sync(),

    /**
     * Ranked hits for a question, best first, each with `score` in [0, 1] (see README: calibration).
     * INVALID_INPUT on an empty or over-long query.
     */
    async search(query: string, opts: SearchOptions): Promise<SearchHit[]> {
      parseInput(QuerySchema, query, "query");
      parseInput(SearchOptionsSchema, opts, "search options");
      await sync();
      return index.search(query, opts);
    },

    /** The index itself (for benchmarks and diagnostics). */
    index,

    /**
     * The question fields of a hand-off ({@link handoffQuestion}), keyed with this knowledge base's
     * synonyms, so the gap report groups "택배 언제 와요" with "배송 언제 와요".
     */
    handoffQuestion: (text: string, language: string, asked: boolean): HandoffQuestion =>
      handoffQuestion(text, language, asked, canonical),

    /**
     * Searches and logs the question for the gap report: a question whose best hit is under
     * `confidentAt` is a gap candidate.
     */
    async ask(
      text: string,
      opts: SearchOptions & { ticketId?: string | null },
    ): Promise<{ hits: SearchHit[]; confident: boolean }> {
      const hits = await kb.search(text, opts);
      const top = hits[0] ?? null;
      const confident = top !== null && top.score >= confidentAt;
      await logQuestion({
        id: newId(),
        text: text.slice(0, 2000),
        locale: opts.locale,
        at: now(),
        confident,
        topArticleId: top?.articleId ?? null,
        score: top?.score ?? 0,
        ticketId: opts.ticketId ?? null,
      });
      return { hits, confident };
    },

    /** Logs a question asked elsewhere (another search front end), with the hits it got. */
    async recordQuestion(input: z.input<typeof QuestionSchema>): Promise<void> {
      const q = parseInput(QuestionSchema, input, "question");
      const top = [...(q.hits ?? [])].sort((a, b) => b.score - a.score)[0] ?? null;
      await logQuestion({
        id: newId(),
        text: q.text,
        locale: q.locale,
        at: now(),
        confident: top !== null && top.score >= confidentAt,
        topArticleId: top?.articleId ?? null,
        score: top?.score ?? 0,
        ticketId: q.ticketId ?? null,
      });
    },

    /** Counts a view of an article (help-center page, bot answer shown). */
    view: (articleId: string) => repo.count(articleId, { views: 1 }),
    /** Counts a "was this helpful?" vote. */
    feedback: (articleId: string, helpful: boolean) =>
      repo.count(articleId, helpful ? { helpfulYes: 1 } : { helpfulNo: 1 }),

    /**
     * Questions in `period` that found no confident article, grouped by similarity, biggest
     * group first: what the FAQ is missing.
     *
     * @example
     * const gaps = await knowledge.gaps({ from: new Date("2026-11-01"), to: new Date("2026-12-01") });
     */
    async gaps(period: Period, opts: GroupGapsOptions = {}): Promise<KnowledgeGap[]> {
      const p = parseInput(PeriodSchema, period, "period");
      return groupGaps(
        (await questionsIn(p)).filter((q) => !q.confident),
        opts,
      );
    },

    /** Every question logged in `period` (oldest first). */
    questions: (period: Period) => questionsIn(parseInput(PeriodSchema, period, "period")),

    /** Views, helpful rate, bot answers and hand-offs after them, per article (most viewed first). */
    async effectiveness(): Promise<ArticleEffectiveness[]> {
      const all = await repo.list();
      const counters = new Map(
        (await store.listRecords(NS.counters, { limit: 100_000 })).map((r) => [r.key, r.value as ArticleCounters]),
      );
      return all
        .map((a) => {
          const c = { views: 0, helpfulYes: 0, helpfulNo: 0, answered: 0, handoffs: 0, ...counters.get(a.id) };
          const votes = c.helpfulYes + c.helpfulNo;
          return {
            articleId: a.id,
            title: a.title,
            locale: a.locale,
            ...c,
            helpfulRate: votes > 0 ? c.helpfulYes / votes : null,
            handoffRate: c.answered > 0 ? c.handoffs / c.answered : null,
          };
        })
        .sort((a, b) => b.views - a.views || b.answered - a.answered);
    },
  } satisfies KnowledgeBase & Record<string, unknown>;
  return kb;
}
