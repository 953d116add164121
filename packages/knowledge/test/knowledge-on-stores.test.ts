/**
 * Articles persist on every store through keyed records: the knowledge part of the store
 * conformance suite, run on the memory store, PGlite, and a server when DATABASE_URL is set.
 */
import { StoredeskError, manualClock, type Store } from "@storedesk/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKnowledge } from "../src/index.js";
import { storeKinds } from "./stores.js";

for (const kind of storeKinds()) {
  describe.skipIf(!kind.available)(`knowledge on the ${kind.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const clock = manualClock(new Date("2026-11-30T01:00:00Z"));
    beforeEach(async () => {
      const opened = await kind.open();
      store = opened.store;
      close = () => opened.close();
    });
    afterEach(async () => {
      await close();
    });

    it("creates, updates, publishes and archives an article, keeping every version in the history", async () => {
      const kb = createKnowledge({ store, clock });
      const a = await kb.articles.create(
        {
          title: "배송 기간은 얼마나 걸리나요?",
          body: "결제 후 1–3일 안에 도착해요.",
          category: "shipping",
          tags: ["배송"],
        },
        "agent:kim",
      );
      expect(a).toMatchObject({
        version: 1,
        status: "draft",
        slug: "배송-기간은-얼마나-걸리나요",
        locale: "ko",
        groupId: a.id,
      });
      await kb.articles.update(a.id, { body: "결제 후 1–2일 안에 도착해요." }, "agent:kim");
      await kb.articles.publish(a.id, "agent:lee");
      const archived = await kb.articles.archive(a.id, "agent:lee");
      expect(archived.version).toBe(4);
      const history = await kb.articles.history(a.id);
      expect(history.map((h) => [h.version, h.action, h.by])).toEqual([
        [1, "created", "agent:kim"],
        [2, "updated", "agent:kim"],
        [3, "published", "agent:lee"],
        [4, "archived", "agent:lee"],
      ]);
      expect(history[1]!.changed).toEqual(["body"]);
      expect(history[0]!.article.body).toBe("결제 후 1–3일 안에 도착해요.");
      expect((await kb.articles.get(a.id))?.body).toBe("결제 후 1–2일 안에 도착해요.");
    });

    it("refuses invalid input with INVALID_INPUT and writes nothing", async () => {
      const kb = createKnowledge({ store, clock });
      const bad = [
        { title: "", body: "x" },
        { title: "t", body: "b", category: "Not A Category" },
        { title: "t", body: "b", status: "live" },
        { title: "t", body: "b", extra: 1 },
      ];
      for (const input of bad) {
        await expect(kb.articles.create(input as never)).rejects.toSatisfy((e) =>
          StoredeskError.is(e, "INVALID_INPUT"),
        );
      }
      expect(await kb.articles.list()).toEqual([]);
      expect(await kb.articles.version()).toBe(0);
    });

    it("keeps slugs unique per locale and links translations into one group", async () => {
      const kb = createKnowledge({ store, clock });
      const ko = await kb.articles.create({
        title: "교환 신청",
        body: "마이페이지에서 신청해요.",
        status: "published",
      });
      const ko2 = await kb.articles.create({ title: "교환 신청", body: "다른 글", status: "published" });
      expect(ko2.slug).toBe("교환-신청-2");
      await expect(kb.articles.create({ title: "x", body: "y", slug: "교환-신청" })).rejects.toSatisfy((e) =>
        StoredeskError.is(e, "CONFLICT"),
      );
      const en = await kb.articles.create({
        title: "Requesting an exchange",
        body: "From My Page.",
        locale: "en",
        translationOf: ko.id,
        status: "published",
      });
      expect(en.groupId).toBe(ko.id);
      expect((await kb.articles.translations(ko.id)).map((a) => a.locale).sort()).toEqual(["en", "ko"]);
      expect((await kb.articles.getBySlug("en", en.slug))?.id).toBe(en.id);
      // An English question on a Korean customer's desk gets the Korean translation.
      const [hit] = await kb.search("how do I request an exchange", { locale: "ko" });
      expect(hit).toMatchObject({ articleId: ko.id, locale: "ko" });
    });

    it("a stale expectedVersion is a CONFLICT and changes nothing", async () => {
      const kb = createKnowledge({ store, clock });
      const a = await kb.articles.create({ title: "포인트 적립", body: "구매 금액의 1%" });
      await kb.articles.update(a.id, { body: "구매 금액의 2%" }, "agent:kim", 1);
      await expect(kb.articles.update(a.id, { body: "3%" }, "agent:kim", 1)).rejects.toSatisfy((e) =>
        StoredeskError.is(e, "CONFLICT"),
      );
      expect((await kb.articles.get(a.id))?.body).toBe("구매 금액의 2%");
    });

    it("counts views and helpful votes without bumping the article version", async () => {
      const kb = createKnowledge({ store, clock });
      const a = await kb.articles.create({ title: "쿠폰 사용", body: "결제 단계에서 입력해요.", status: "published" });
      await Promise.all([
        kb.view(a.id),
        kb.view(a.id),
        kb.feedback(a.id, true),
        kb.feedback(a.id, false),
        kb.feedback(a.id, true),
      ]);
      expect(await kb.articles.counters(a.id)).toMatchObject({ views: 2, helpfulYes: 2, helpfulNo: 1 });
      expect((await kb.articles.get(a.id))?.version).toBe(1);
      const [eff] = await kb.effectiveness();
      expect(eff).toMatchObject({ articleId: a.id, views: 2, helpfulRate: 2 / 3 });
      await expect(kb.view("missing")).rejects.toSatisfy((e) => StoredeskError.is(e, "NOT_FOUND"));
    });

    it("a second instance over the same store sees another instance's writes at its next search", async () => {
      const one = createKnowledge({ store, clock });
      const two = createKnowledge({ store, clock });
      await two.ready();
      expect(await two.search("배송", { locale: "ko" })).toEqual([]);
      const a = await one.articles.create({
        title: "배송 조회는 어디서 하나요?",
        body: "주문 내역에서 운송장을 눌러요.",
        category: "shipping",
        status: "published",
      });
      expect((await two.search("배송조회", { locale: "ko" }))[0]?.articleId).toBe(a.id);
      await one.articles.archive(a.id);
      expect(await two.search("배송조회", { locale: "ko" })).toEqual([]);
      await one.articles.update(a.id, { status: "published", title: "운송장 조회" });
      expect((await two.search("운송장", { locale: "ko" }))[0]?.title).toBe("운송장 조회");
      await one.articles.remove(a.id);
      expect(await two.search("운송장", { locale: "ko" })).toEqual([]);
      expect((await one.articles.history(a.id)).at(-1)?.action).toBe("deleted");
    });

    it("an index whose change log expired rebuilds from the articles", async () => {
      const one = createKnowledge({ store, clock });
      const a = await one.articles.create({ title: "회원 등급 혜택", body: "VIP는 5% 할인", status: "published" });
      const two = createKnowledge({ store, clock });
      await two.ready();
      await one.articles.update(a.id, { title: "멤버십 등급 혜택" });
      for (const r of await store.listRecords("knowledge.changes"))
        await store.deleteRecord("knowledge.changes", r.key);
      expect((await two.search("멤버십", { locale: "ko" }))[0]?.title).toBe("멤버십 등급 혜택");
    });

    it("the gap report groups unanswered questions of a period and leaves answered ones out", async () => {
      const kb = createKnowledge({ store, clock });
      await kb.articles.create({
        title: "배송 기간은 얼마나 걸리나요?",
        body: "1–3일 걸려요.",
        category: "shipping",
        status: "published",
      });
      const asked = [
        "선물 포장 되나요?",
        "선물포장 가능한가요",
        "배송이 언제 되나요",
        "포장을 선물용으로 해주세요",
        "해외 배송 하나요?",
        "해외배송 되나요",
      ];
      for (const q of asked) {
        await kb.ask(q, { locale: "ko" });
        clock.advance(60_000);
      }
      const gaps = await kb.gaps({ from: new Date("2026-11-30T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
      expect(gaps[0]).toMatchObject({ count: 3, locales: ["ko"] });
      expect(gaps[0]!.examples).toContain("선물 포장 되나요?");
      expect(gaps.flatMap((g) => g.examples)).not.toContain("배송이 언제 되나요");
      expect(gaps.some((g) => g.examples.includes("해외배송 되나요") && g.count === 2)).toBe(true);
      expect(await kb.gaps({ from: new Date("2026-12-01T00:00:00Z"), to: new Date("2026-12-02T00:00:00Z") })).toEqual(
        [],
      );
    });

    it("judges the question log's retention on its own clock, not the wall clock (a clock a year back)", async () => {
      // Asked on a clock well before the wall clock, kept 30 days: expired by the wall clock, live by the kb's.
      const past = manualClock(new Date("2025-01-10T01:00:00Z"));
      const kb = createKnowledge({ store, clock: past, questionRetentionDays: 30 });
      await kb.ask("포장 선물용으로 되나요?", { locale: "ko" });
      past.advance(86_400_000);
      const period = { from: new Date("2025-01-01T00:00:00Z"), to: new Date("2025-02-01T00:00:00Z") };
      expect((await kb.questions(period)).map((q) => q.text)).toEqual(["포장 선물용으로 되나요?"]);
      past.set(new Date("2025-02-15T01:00:00Z"));
      expect(await kb.questions(period)).toEqual([]); // past its 30 days on the kb's clock
    });
  });
}
