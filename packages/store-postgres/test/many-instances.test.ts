/**
 * Several instances on one PostgreSQL server: two desks (each with its own pool)
 * ingest the same deliveries concurrently, and two schedulers claim the same jobs.
 */
import { createDesk, manualClock, StoredeskError, type InboundEventInput, type Job } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresScheduler, postgresStore, type PostgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema, testPool } from "./helpers.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `worker` over `items` with at most `width` in flight. */
async function pooled<T>(items: T[], width: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await worker(items[next++]!);
    }),
  );
}

describe.skipIf(!DATABASE_URL)(
  `many instances on one PostgreSQL server${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    const schema = randomSchema();
    const pools = [testPool(DATABASE_URL ?? "", { max: 6 }), testPool(DATABASE_URL ?? "", { max: 6 })];
    let stores: PostgresStore[];
    beforeAll(async () => {
      stores = pools.map((pool) => postgresStore({ pool }, { schema }));
      // Both instances start together: the advisory lock lets exactly one apply the migrations.
      const applied = await Promise.all(stores.map((s) => s.migrate()));
      expect(applied.flat()).toEqual([1, 2, 3]);
    });
    afterAll(async () => {
      await Promise.all(pools.map((p) => p.end()));
      await dropSchema(DATABASE_URL!, schema);
    });

    it("two desks ingesting 1,000 deliveries (30% redelivered, shuffled) store each message once and lose no ticket update", async () => {
      const unique: InboundEventInput[] = Array.from({ length: 1000 }, (_, i) => ({
        type: "message",
        channel: "webchat",
        externalId: `delivery-${i}`,
        occurredAt: new Date(T0.getTime() + i * 1000),
        from: { identities: [{ kind: "webchat", value: `visitor-${i % 50}` }], name: `고객 ${i % 50}` },
        text: i % 3 === 0 ? "배송 언제 와요?" : "교환하고 싶어요",
        conversationKey: `chat-${i % 50}`,
      }));
      const deliveries = shuffle([...unique, ...unique.filter((_, i) => i % 10 < 3)], 42);
      expect(deliveries).toHaveLength(1300);
      const desks = stores.map((store, i) =>
        createDesk({
          store,
          clock: manualClock(T0),
          channels: [memoryChannel({ id: "webchat" })],
          autoAcknowledge: false,
          workerId: `desk-${i}`,
        }),
      );
      const outcomes: string[] = [];
      const assigned = deliveries.map((event, i) => ({ event, desk: desks[i % 2]! }));
      // Redeliveries also go to the other desk: both instances see most duplicates at once.
      await pooled(assigned, 10, async ({ event, desk }) => {
        outcomes.push((await desk.ingest(event)).outcome);
      });
      expect(outcomes).toHaveLength(1300);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(300);

      const q = (sql: string) => pools[0]!.query(sql.replaceAll("S.", `"${schema}".`));
      const messages = await q("SELECT external_id, count(*)::int AS n FROM S.messages GROUP BY external_id");
      expect(messages.rows).toHaveLength(1000);
      expect(messages.rows.every((r) => r.n === 1)).toBe(true);
      // Every inbound message has its message.received event on the ticket holding it…
      const received =
        await q(`SELECT t.id, (SELECT count(*)::int FROM S.messages m WHERE m.ticket_id = t.id AND m.direction = 'inbound') AS messages,
        (SELECT count(*)::int FROM S.ticket_events e WHERE e.ticket_id = t.id AND e.type = 'message.received') AS received,
        (SELECT count(*)::int FROM S.ticket_events e WHERE e.ticket_id = t.id) AS events,
        (SELECT max(seq) FROM S.ticket_events e WHERE e.ticket_id = t.id) AS max_seq, t.version
      FROM S.tickets t`);
      for (const row of received.rows) {
        expect(row.received).toBe(row.messages);
        // …and the audit log has no gap or duplicate (each write read the latest version).
        expect(row.max_seq).toBe(row.events);
        expect(row.version).toBeGreaterThanOrEqual(1);
      }
      expect(received.rows.reduce((n, r) => n + (r.messages as number), 0)).toBe(1000);
      // 50 visitors, one customer each, however the instances raced to create them.
      expect((await q("SELECT count(*)::int AS n FROM S.customers")).rows[0]!.n).toBe(50);
    });

    it("two schedulers claiming concurrently fire each of 1,000 jobs exactly once", async () => {
      const store = stores[0]!;
      const ids: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const job: Job = {
          id: `mi-job-${i}`,
          key: `mi:${i}`,
          type: "test",
          ticketId: null,
          runAt: new Date(T0.getTime() + (i % 100) * 1000),
          payload: { i },
          attempts: 0,
          lockedBy: null,
          lockedUntil: null,
        };
        ids.push(job.id);
        await store.scheduleJob(job);
      }
      const schedulers = pools.map((pool) => postgresScheduler({ pool }, { schema }));
      const fired = new Map<string, number>();
      const now = new Date(T0.getTime() + 3_600_000);
      await Promise.all(
        schedulers.flatMap((scheduler, s) =>
          // Three concurrent claim loops per instance.
          [0, 1, 2].map(async (w) => {
            for (;;) {
              const jobs = await scheduler.claimDue(now, { workerId: `i${s}-w${w}`, limit: 25, leaseMs: 600_000 });
              if (jobs.length === 0) return;
              for (const job of jobs) {
                fired.set(job.id, (fired.get(job.id) ?? 0) + 1);
                await scheduler.complete(job);
              }
            }
          }),
        ),
      );
      expect([...fired.keys()].sort()).toEqual([...ids].sort());
      expect([...fired.values()].every((n) => n === 1)).toBe(true);
      // (The desk's SLA jobs from the ingest test are not due yet and stay.)
      expect((await store.listJobs()).filter((j) => j.type === "test")).toEqual([]);
    });

    it("a job whose instance died mid-run is retried by another after the lease expires", async () => {
      const [a, b] = pools.map((pool) => postgresScheduler({ pool }, { schema }));
      await stores[0]!.scheduleJob({
        id: "dies",
        key: "dies",
        type: "test",
        ticketId: null,
        runAt: T0,
        payload: {},
        attempts: 0,
        lockedBy: null,
        lockedUntil: null,
      });
      const [claimed] = await a!.claimDue(T0, { workerId: "a", limit: 10, leaseMs: 60_000 });
      expect(claimed?.lockedBy).toBe("a");
      // Instance a never completes. Before the lease ends nobody else gets the job…
      expect(await b!.claimDue(new Date(T0.getTime() + 59_999), { workerId: "b", limit: 10, leaseMs: 60_000 })).toEqual(
        [],
      );
      // …after it, b does, and completing it removes it.
      const [retried] = await b!.claimDue(new Date(T0.getTime() + 60_000), {
        workerId: "b",
        limit: 10,
        leaseMs: 60_000,
      });
      expect(retried).toMatchObject({ id: "dies", lockedBy: "b" });
      await b!.complete(retried!);
      expect((await stores[1]!.listJobs()).filter((j) => j.type === "test")).toEqual([]);
      await expect(b!.claimDue(T0, { workerId: "", limit: 1, leaseMs: 1 })).rejects.toSatisfy((e) =>
        StoredeskError.is(e, "INVALID_INPUT"),
      );
    });
  },
);
