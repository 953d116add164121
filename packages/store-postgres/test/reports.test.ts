/**
 * Reports conformance: the report aggregated in SQL (PostgreSQL server and PGlite) equals core's
 * pure `computeReport` over the same generated history, for the plain report, filters, a time
 * zone with a period (backlog), and business time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  computeReport,
  createDesk,
  defineCalendar,
  generateReportHistory,
  reportsPlugin,
  type ReportOptionsInput,
} from "@storedesk/core";
import { backends, type Opened } from "./helpers.js";

const history = generateReportHistory({ tickets: 600, seed: 7 });
const queries: Record<string, ReportOptionsInput> = {
  "the whole history in UTC": {},
  "a period in Seoul (with a daily backlog)": {
    timeZone: "Asia/Seoul",
    period: { from: new Date("2026-11-03T00:00:00+09:00"), to: new Date("2026-11-20T00:00:00+09:00") },
  },
  "filters by channel, priority and tag": {
    channels: ["email", "whatsapp"],
    priorities: ["high", "urgent", "normal"],
    tags: ["vip", "escalated"],
  },
  "filters by agent and team": { agents: ["kim", "lee"], teams: ["cs"] },
  "FAQ gaps with a stricter score and more groups": { faqGaps: { minScore: 0.6, limit: 50 } },
  "FAQ gaps of one channel, the first three groups": { channels: ["webchat"], faqGaps: { minScore: 0.4, limit: 3 } },
  "other buckets in New York": { timeZone: "America/New_York", bucketsMs: [60_000, 3_600_000, 86_400_000] },
  "business time": {
    timeZone: "Asia/Seoul",
    calendar: defineCalendar({
      id: "seoul-office",
      timeZone: "Asia/Seoul",
      weekly: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]]),
      ),
    }),
  },
};

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`reports in SQL on ${backend.name} equal the pure report`, () => {
    let opened: Opened;
    beforeAll(async () => {
      await backend.start();
      opened = await backend.open();
      for (let i = 0; i < history.length; i += 2000) await opened.store.appendEvents!(history.slice(i, i + 2000));
    }, 120_000);
    afterAll(async () => {
      await opened?.cleanup();
      await backend.stop();
    });
    for (const [name, query] of Object.entries(queries)) {
      it(name, async () => {
        const expected = computeReport(history, query);
        expect(expected.tickets).toBeGreaterThan(0);
        const actual = await opened.store.reports.computeReport(query);
        expect(actual).toEqual(expected);
      });
    }
    it("the generated history exercises every section", () => {
      const r = computeReport(history, queries["a period in Seoul (with a daily backlog)"]);
      expect(r.backlog.length).toBe(17);
      expect(r.csat.responses).toBeGreaterThan(0);
      expect(r.nextReply.count).toBeGreaterThan(0);
      expect(r.bot.deflected).toBeGreaterThan(0);
      expect(Object.keys(r.complaintsByProduct)).toContain("unknown");
      expect(r.complaintTrend.length).toBeGreaterThan(1);
      expect(r.complaintTrend.some((w) => Object.keys(w.byRootCause).length > 1)).toBe(true);
      expect(r.reopen.count).toBeGreaterThan(0);
      // FAQ gaps: grouped questions (two wordings on one key), old events and person requests apart,
      // a nearest article on some groups, tickets a person then resolved.
      expect(r.faqGaps.groups.length).toBeGreaterThan(3);
      expect(r.faqGaps.withoutQuestion).toBeGreaterThan(0);
      expect(r.faqGaps.groups.find((g) => g.key === "배송 언제")?.tickets).toBeGreaterThan(1);
      expect(r.faqGaps.groups.some((g) => g.bestArticleId !== null && g.bestScore! < 0.55)).toBe(true);
      expect(r.faqGaps.groups.some((g) => g.resolvedByHuman > 0)).toBe(true);
      expect(new Set(r.faqGaps.groups.map((g) => g.language))).toEqual(new Set(["ko", "en"]));
      const all = computeReport(history, { faqGaps: { minScore: 0.6, limit: 50 } }).faqGaps;
      expect(all.handoffs).toBeGreaterThan(r.faqGaps.handoffs);
    });
    it("desk.reports.compute uses the store's SQL", async () => {
      const desk = createDesk({ store: opened.store, plugins: [reportsPlugin({ timeZone: "Asia/Seoul" })] });
      expect(desk.reports.source).toBe("store");
      expect(await desk.reports.compute({})).toEqual(computeReport(history, { timeZone: "Asia/Seoul" }));
      await desk.close();
    });
    // Last: it adds an event to the shared history.
    it("reads a rating stored as 5.0 as 5, as the pure report does (JSON.parse gives 5)", async () => {
      const answer = history.find((e) => e.type === "csat.received" && e.data.rating !== 5)!;
      const seq = Math.max(...history.filter((e) => e.ticketId === answer.ticketId).map((e) => e.seq)) + 1;
      const later = { ...answer, id: `${answer.id}-again`, seq, at: new Date(answer.at.getTime() + 1000) };
      await opened.raw(
        `INSERT INTO "${opened.store.schema}".ticket_events (id, ticket_id, seq, type, at, actor_kind, actor_id, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, jsonb_set($8::jsonb, '{rating}', '5.0'::jsonb))`,
        [
          later.id,
          later.ticketId,
          seq,
          later.type,
          later.at,
          later.actor.kind,
          later.actor.id ?? null,
          JSON.stringify(later.data),
        ],
      );
      const expected = computeReport([...history, { ...later, data: { ...later.data, rating: 5 } }], {}).csat;
      expect((await opened.store.reports.computeReport({})).csat).toEqual(expected);
    });
  });
}
