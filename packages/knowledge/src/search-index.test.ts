import { describe, expect, it } from "vitest";
import { reviveArticle, type Article } from "./article.js";
import { createSearchIndex } from "./search-index.js";

const at = new Date("2026-12-01T00:00:00Z");
const article = (id: string, title: string, body: string): Article =>
  reviveArticle({
    id,
    kind: "faq",
    title,
    body,
    summary: null,
    category: "product",
    tags: [],
    locale: "ko",
    status: "published",
    slug: id,
    groupId: id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    updatedBy: "test",
  });

describe("search index on a big help center", () => {
  it("finds a common word where it tells most: the article with it in its title, not the pages that mention it in passing", () => {
    const index = createSearchIndex();
    for (let i = 0; i < 400; i++)
      index.set(article(`p${i}`, `린넨 셔츠 ${i}번 상세`, "모델은 L 사이즈를 착용했습니다."));
    index.set(article("size-guide", "사이즈 표는 어디서 보나요?", "상품 상세 페이지 아래에 있어요."));
    expect(index.search("사이즈표 어디 있어요", { locale: "ko" })[0]?.articleId).toBe("size-guide");
  });

  it("answers a repeated question from its analysis cache, and a write is seen at once", () => {
    const index = createSearchIndex();
    index.set(article("a", "배송 기간", "1–3일 걸립니다."));
    expect(index.search("선물 포장 되나요", { locale: "ko" })).toEqual([]);
    index.set(article("b", "선물 포장이 되나요?", "무료로 해 드려요."));
    expect(index.search("선물 포장 되나요", { locale: "ko" })[0]?.articleId).toBe("b");
  });
});
