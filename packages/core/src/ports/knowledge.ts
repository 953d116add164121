/** A search hit from the knowledge base. */
export interface KnowledgeHit {
  articleId: string;
  title: string;
  /** A short passage answering the query. */
  snippet: string;
  /** Relevance; higher is better. Comparable within one knowledge base only. */
  score: number;
  url: string | null;
  locale: string;
}

/** FAQ and help articles the answer bot searches. */
export interface KnowledgeBase {
  readonly specVersion: 1;
  search(query: string, options: { locale: string; limit?: number }): Promise<KnowledgeHit[]>;
}
