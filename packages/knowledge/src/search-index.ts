/**
 * The in-process search index: MiniSearch over terms we analyze ourselves (see analyze.ts), with
 * field boosts, synonym expansion, choseong and jamo-typo matching, locale preference with
 * fallback across translations, and a confidence in [0, 1] the bot can threshold.
 */
import MiniSearch, { type Query, type SearchResult } from "minisearch";
import { analyze, isQuestionWord } from "./analyze.js";
import type { Article } from "./article.js";
import { compileSynonyms, DEFAULT_SYNONYMS, type SynonymGroup } from "./synonyms.js";

/** Options of {@link createSearchIndex}. */
export interface SearchIndexOptions {
  /** Synonym groups (default {@link DEFAULT_SYNONYMS}); pass `[]` for none. */
  synonyms?: SynonymGroup[];
  /** Field weights (default title 3, tags 2, body 1). */
  boosts?: { title?: number; tags?: number; body?: number };
  /** Score factor of an article in another locale than the one asked for, when no translation exists (default 0.7). */
  otherLocaleFactor?: number;
  /** The article's public URL for links in answers. */
  articleUrl?: (article: Article) => string | null;
}

/** A search hit: the core `KnowledgeHit` plus what the bot and reports need. */
export interface SearchHit {
  articleId: string;
  title: string;
  snippet: string;
  /** Confidence in [0, 1]: the weighted share of the question's words the article covers. */
  score: number;
  url: string | null;
  locale: string;
  category: string;
  article: Article;
  /** MiniSearch's BM25 score (for diagnostics; not comparable across queries). */
  rawScore: number;
}

/** Options of one search. */
export interface SearchOptions {
  locale: string;
  limit?: number;
  /** Only these categories. */
  categories?: string[];
}

interface IndexedDoc {
  id: string;
  title: string;
  tags: string;
  body: string;
  cho: string;
  jamo: string;
}

/** One word of a query and the index terms that stand for it. */
interface QueryWord {
  weight: number;
  /** term → share of the word it covers when matched (1 for the whole word or a synonym). */
  terms: Map<string, number>;
  /** Syllable bigrams of a long word: their shares add up (교환 + 신청 cover 교환신청). */
  grams: Set<string>;
}

const HANGUL = /[\uac00-\ud7a3]/;

/** Markdown to plain text, well enough for indexing and snippets. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, " ")
    .replace(/^[#>\-*+\s]+|[*_`|]|~~/gm, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The index behind `knowledge.search`. Not shared across processes: each instance keeps its own. */
export type SearchIndex = ReturnType<typeof createSearchIndex>;

/**
 * Creates an empty index. `set` adds or replaces an article (only published ones are kept),
 * `remove` drops one, `search` ranks them.
 *
 * @example
 * const index = createSearchIndex({ synonyms: [["택배", "배송"]] });
 * index.set(article);
 * index.search("택배 언제 와요", { locale: "ko" })[0]?.score; // 0..1
 */
export function createSearchIndex(options: SearchIndexOptions = {}) {
  const synonyms = compileSynonyms(options.synonyms ?? DEFAULT_SYNONYMS);
  const boost = { title: 3, tags: 2, body: 1, ...options.boosts };
  const otherLocale = options.otherLocaleFactor ?? 0.7;
  const split = (text: string) => (text.length === 0 ? [] : text.split(" "));
  const mini = new MiniSearch<IndexedDoc>({
    fields: ["title", "tags", "body", "cho", "jamo"],
    tokenize: split,
    processTerm: (t) => t,
    searchOptions: { tokenize: split, processTerm: (t) => t },
  });
  const docs = new Map<string, Article>();
  /** Document frequency of every content term, for word weights and to find unknown words. */
  const df = new Map<string, number>();
  const docTerms = new Map<string, string[]>();
  /** Translation group → its published articles. */
  const groups = new Map<string, Map<string, Article>>();

  function unindex(id: string): void {
    analysed.clear();
    const old = docs.get(id);
    if (!old) return;
    mini.discard(id);
    for (const t of docTerms.get(id) ?? []) {
      const n = (df.get(t) ?? 1) - 1;
      if (n <= 0) df.delete(t);
      else df.set(t, n);
    }
    docTerms.delete(id);
    docs.delete(id);
    const g = groups.get(old.groupId);
    g?.delete(old.locale);
    if (g?.size === 0) groups.delete(old.groupId);
  }

  /** From how many articles a term is common (its body postings skipped): 3% of a big help center, never under 150. */
  const commonAt = () => Math.max(150, docs.size * 0.03);
  const idf = (term: string) => Math.log(1 + (docs.size + 1) / ((df.get(term) ?? 0) + 0.5));
  /** As heavy as a word found in one article. */
  const unknownWeight = () => Math.max(1, Math.log(1 + (docs.size + 1) / 1.5));

  /**
   * Analysed queries by text: customers ask the same few questions over and over. A query's
   * words depend on the index's term counts, so every write empties it.
   */
  const analysed = new Map<string, QueryWord[]>();
  const ANALYSED_MAX = 2_000;

  function words(query: string): QueryWord[] {
    const cached = analysed.get(query);
    if (cached) return cached;
    const result = analyseQuery(query);
    if (analysed.size >= ANALYSED_MAX) analysed.delete(analysed.keys().next().value!);
    analysed.set(query, result);
    return result;
  }

  function analyseQuery(query: string): QueryWord[] {
    const out: QueryWord[] = [];
    const text = query.normalize("NFC").toLowerCase();
    // Analyze word by word, so every index term is traced back to the word it came from.
    for (const raw of text.split(/[\s,.!?~·/()[\]{}"“”]+/)) {
      if (!raw) continue;
      const a = analyze(raw);
      if (a.choseongQuery.length > 0) {
        for (const c of a.choseongQuery) out.push({ weight: 1, terms: new Map([[`c:${c}`, 0.8]]), grams: new Set() });
      }
      if (a.terms.length === 0) continue;
      const head = a.terms[0]!;
      const terms = new Map<string, number>();
      const grams = a.terms.length > 1 ? a.terms.slice(1) : [head];
      // Each bigram covers two syllables of the word.
      for (const t of a.terms) terms.set(t, t === head ? 1 : Math.min(1, 2 / head.length));
      for (const t of [head, ...grams]) {
        // A synonym of a bigram covers what the bigram covers, no more.
        const origin = terms.get(t) ?? 1;
        for (const s of synonyms.get(t) ?? []) {
          // Only synonyms in the word's own script: a Korean word need not look through English articles.
          if (HANGUL.test(s.term) !== HANGUL.test(t)) continue;
          const share = s.weight * origin;
          if ((terms.get(s.term) ?? 0) < share) terms.set(s.term, share);
        }
      }
      // A Hangul word the index does not know: look for it one or two jamo away (a typo).
      if (a.jamo.length > 0 && ![...terms.keys()].some((t) => df.has(t))) {
        for (const j of a.jamo) terms.set(`j:${j}`, 0.7);
      }
      const known = [...terms.keys()].filter((t) => df.has(t));
      // A word the help center never uses weighs as the rarest word: it is what the question is about
      // and no article covers it, so it keeps the confidence down.
      const weight =
        (isQuestionWord(head) ? 0.3 : 1) * (known.length > 0 ? Math.max(1, ...known.map(idf)) : unknownWeight());
      out.push({ weight, terms, grams: new Set(a.terms.length > 1 ? grams : []) });
    }
    // Words in a large share of a big help center ("colour" in every product page) cost the most
    // to look up and tell the least: when the question has rarer words, search those only.
    const common = (w: QueryWord) =>
      [...w.terms.keys()].every((t) => (df.get(t) ?? 0) > Math.max(100, docs.size * 0.08));
    const rare = out.filter((w) => !common(w));
    return rare.length > 0 ? rare : out;
  }

  return {
    /** Adds or replaces an article; one not published is removed instead. */
    set(article: Article): void {
      analysed.clear();
      unindex(article.id);
      if (article.status !== "published") return;
      const title = analyze(`${article.title} ${article.summary ?? ""}`);
      const tags = analyze(article.tags.join(" "));
      const body = analyze(plainText(article.body));
      mini.add({
        id: article.id,
        title: title.terms.join(" "),
        tags: tags.terms.join(" "),
        body: body.terms.join(" "),
        cho: [...title.choseong, ...tags.choseong].map((c) => `c:${c}`).join(" "),
        // Typos are looked up in the question and tags only: a body's vocabulary would make fuzzy search slow.
        jamo: [...title.jamo, ...tags.jamo].map((j) => `j:${j}`).join(" "),
      });
      const unique = [...new Set([...title.terms, ...tags.terms, ...body.terms])];
      for (const t of unique) df.set(t, (df.get(t) ?? 0) + 1);
      docTerms.set(article.id, unique);
      docs.set(article.id, article);
      const g = groups.get(article.groupId) ?? new Map<string, Article>();
      g.set(article.locale, article);
      groups.set(article.groupId, g);
    },

    /** Removes an article (no-op when absent). */
    remove(id: string): void {
      unindex(id);
    },

    /** Drops everything. */
    clear(): void {
      analysed.clear();
      mini.removeAll();
      docs.clear();
      df.clear();
      docTerms.clear();
      groups.clear();
    },

    /** Number of searchable articles. */
    get size(): number {
      return docs.size;
    },

    /** The analyzed terms a query becomes (for explaining a result). */
    explain(query: string): Array<{ weight: number; terms: string[] }> {
      return words(query).map((w) => ({ weight: w.weight, terms: [...w.terms.keys()] }));
    },

    /**
     * Ranks published articles for a question. Each translation group appears once, in the asked
     * locale when it has that translation; an article only in another locale is kept at a lower score.
     */
    search(query: string, opts: SearchOptions): SearchHit[] {
      const limit = opts.limit ?? 5;
      const qwords = words(query);
      if (qwords.length === 0 || docs.size === 0) return [];
      const content = new Map<string, number>();
      const jamo: string[] = [];
      const cho: string[] = [];
      for (const w of qwords) {
        for (const [t, share] of w.terms) {
          if (t.startsWith("j:")) jamo.push(t);
          else if (t.startsWith("c:")) cho.push(t);
          else content.set(t, Math.max(content.get(t) ?? 0, share * (isQuestionWord(t) ? 0.3 : 1)));
        }
      }
      const queries: Query[] = [];
      if (content.size > 0) {
        // A term in a large share of the articles ("사이즈" in every product page) has a posting
        // list as long as the help center: it is looked up where it tells most, the titles and
        // tags, and its body postings are skipped. Scoring those dominated the query time.
        const bodyToo: string[] = [];
        const headOnly: string[] = [];
        for (const t of content.keys()) ((df.get(t) ?? 0) > commonAt() ? headOnly : bodyToo).push(t);
        const boostTerm = (t: string) => content.get(t) ?? 1;
        if (bodyToo.length > 0) queries.push({ queries: bodyToo, fields: ["title", "tags", "body"], boost, boostTerm });
        if (headOnly.length > 0) queries.push({ queries: headOnly, fields: ["title", "tags"], boost, boostTerm });
      }
      if (jamo.length > 0) {
        queries.push({
          queries: jamo,
          fields: ["jamo"],
          fuzzy: (t) => (t.length >= 5 && t.length <= 16 ? 1 : false),
          weights: { fuzzy: 0.6, prefix: 0.5 },
          boost: { jamo: 0.8 },
        });
      }
      if (cho.length > 0) queries.push({ queries: cho, fields: ["cho"], prefix: true, boost: { cho: 1.5 } });
      const results = mini.search(
        { combineWith: "OR", queries },
        opts.categories ? { filter: (r) => opts.categories!.includes(docs.get(r.id)!.category) } : {},
      );

      const total = qwords.reduce((s, w) => s + w.weight, 0);
      // Rank by BM25 weighted by how much of the question an article covers; one hit per translation group.
      const best = new Map<string, { article: Article; raw: number; rank: number; cover: number }>();
      for (const r of results.slice(0, Math.max(50, limit * 5))) {
        const article = docs.get(r.id as string)!;
        let cover = coverage(r, qwords, total);
        let shown = article;
        if (article.locale !== opts.locale) {
          const translated = groups.get(article.groupId)?.get(opts.locale);
          if (translated) shown = translated;
          else cover *= otherLocale;
        }
        const rank = r.score * (0.05 + cover * cover);
        const prev = best.get(article.groupId);
        if (!prev || prev.rank < rank) best.set(article.groupId, { article: shown, raw: r.score, rank, cover });
      }
      const ranked = [...best.values()].sort((a, b) => b.rank - a.rank).slice(0, limit);
      // Confidence: coverage, lowered when the runner-up ranks nearly as high (an ambiguous question).
      return ranked.map((x, i) => {
        const next = ranked[i + 1]?.rank ?? 0;
        const separation = x.rank > 0 ? 1 - next / x.rank : 0;
        const score = x.cover * (0.6 + 0.4 * Math.min(1, separation * 4));
        return hitOf(x.article, score, x.raw);
      });
    },
  };

  function coverage(r: SearchResult, qwords: QueryWord[], total: number): number {
    // Fuzzy (jamo) and prefix (choseong) matches are reported under the query's own term.
    const matched = new Set([...r.terms, ...r.queryTerms]);
    const inTitle = r.terms.some((t) => (r.match[t] ?? []).some((f) => f === "title" || f === "tags" || f === "cho"));
    let covered = 0;
    for (const w of qwords) {
      let share = 0;
      let gramShare = 0;
      for (const [t, s] of w.terms) {
        if (!matched.has(t)) continue;
        if (w.grams.has(t)) gramShare += s;
        else share = Math.max(share, s);
      }
      covered += w.weight * Math.min(1, Math.max(share, gramShare));
    }
    // A match only in the body is weaker evidence than one in the question or tags.
    const c = (covered / total) * (inTitle ? 1 : 0.8);
    return Math.round(Math.min(1, c) * 1000) / 1000;
  }

  function hitOf(article: Article, score: number, rawScore: number): SearchHit {
    const snippet = article.summary ?? plainText(article.body).slice(0, 200);
    return {
      articleId: article.id,
      title: article.title,
      snippet,
      score: Math.round(score * 1000) / 1000,
      url: options.articleUrl?.(article) ?? null,
      locale: article.locale,
      category: article.category,
      article,
      rawScore,
    };
  }
}
