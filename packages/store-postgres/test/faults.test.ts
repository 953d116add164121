/** Connection faults on a real server: a backend killed mid-transaction rolls back and a retry succeeds. */
import { randomUUID } from "node:crypto";
import { createDesk, manualClock, StoredeskError, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postgresStore, type PostgresStore } from "../src/index.js";
import { customer, DATABASE_URL, dropSchema, message, randomSchema, testPool, ticket } from "./helpers.js";
import type pg from "pg";

describe.skipIf(!DATABASE_URL)(
  `connection faults on a PostgreSQL server${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    let schema: string;
    let appName: string;
    let pool: pg.Pool;
    let admin: pg.Pool;
    let store: PostgresStore;
    beforeEach(async () => {
      schema = randomSchema();
      appName = `sd-fault-${randomUUID().slice(0, 8)}`;
      pool = testPool(DATABASE_URL!, { application_name: appName, max: 3 });
      admin = testPool(DATABASE_URL!, { max: 1 });
      store = postgresStore({ pool }, { schema });
      await store.migrate();
    });
    afterEach(async () => {
      await pool.end();
      await admin.end();
      await dropSchema(DATABASE_URL!, schema);
    });

    /** Kills, from another connection, the backend of this store's open transaction. */
    async function killOpenTransaction(): Promise<void> {
      const { rows } = await admin.query(
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'",
        [appName],
      );
      expect(rows).toHaveLength(1);
    }

    it("rolls back a transaction whose backend is killed, surfacing a retryable PROVIDER_UNAVAILABLE, and a retry succeeds", async () => {
      const c = customer();
      const t = ticket(c.id, 1);
      const m = message(t.id, { externalId: "fault-1" });
      let attempt = 0;
      const write = (): Promise<void> =>
        store.transaction(async (tx) => {
          attempt++;
          await tx.insertCustomer(c);
          await tx.insertTicket(t);
          if (attempt === 1) await killOpenTransaction();
          await tx.insertMessage(m);
        });

      const failure = await write().then(
        () => null,
        (e: unknown) => e,
      );
      expect(StoredeskError.is(failure, "PROVIDER_UNAVAILABLE")).toBe(true);
      expect((failure as StoredeskError).retryable).toBe(true);
      // Nothing of the killed transaction stayed.
      expect(await store.getCustomer(c.id)).toBeNull();
      expect(await store.getTicket(t.id)).toBeNull();

      await write();
      expect(await store.getCustomer(c.id)).toEqual(c);
      expect(await store.listMessages(t.id)).toEqual([m]);
      // The dead client was discarded, not handed out again: the pool keeps working.
      await Promise.all(Array.from({ length: 6 }, () => store.getTicket(t.id)));
    });

    it("lets the desk retry an ingest whose backend is killed: one ticket, one message", async () => {
      let killed = false;
      // The store, with a kill injected into the first transaction right after BEGIN.
      const faulty: Store = {
        ...store,
        transaction: (fn) =>
          store.transaction(async (tx) => {
            if (!killed) {
              killed = true;
              await tx.getTicket("warm-up"); // the connection is now "idle in transaction"
              await killOpenTransaction();
            }
            return fn(tx);
          }),
      };
      const desk = createDesk({
        store: faulty,
        clock: manualClock(new Date("2026-03-02T01:00:00Z")),
        channels: [memoryChannel({ id: "webchat" })],
        autoAcknowledge: false,
      });
      const result = await desk.ingest({
        type: "message",
        channel: "webchat",
        externalId: "fault-desk-1",
        occurredAt: new Date("2026-03-02T01:00:00Z"),
        from: { identities: [{ kind: "webchat", value: "visitor-fault" }] },
        text: "환불 문의합니다",
      });
      expect(killed).toBe(true);
      expect(result.outcome).toBe("created");
      expect(await store.listMessages(result.ticket!.id)).toHaveLength(1);
      expect(await store.listTickets({})).toHaveLength(1);
      const again = await desk.ingest({
        type: "message",
        channel: "webchat",
        externalId: "fault-desk-1",
        occurredAt: new Date("2026-03-02T01:00:00Z"),
        from: { identities: [{ kind: "webchat", value: "visitor-fault" }] },
        text: "환불 문의합니다",
      });
      expect(again.outcome).toBe("duplicate");
    });

    it("writes nothing for bad input, through the store or the desk", async () => {
      const desk = createDesk({
        store,
        clock: manualClock(new Date("2026-03-02T01:00:00Z")),
        channels: [memoryChannel({ id: "webchat" })],
      });
      await expect(
        desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: "",
          occurredAt: new Date(),
          from: { identities: [] },
          text: "x",
        } as never),
      ).rejects.toSatisfy((e) => StoredeskError.is(e, "INVALID_INPUT"));
      await expect(
        store.transaction(async (tx) => {
          await tx.insertCustomer(customer());
          await tx.insertTicket(ticket("c", 1, { status: "archived" as never }));
        }),
      ).rejects.toSatisfy((e) => StoredeskError.is(e, "INVALID_INPUT"));
      const counts = await admin.query(
        `SELECT (SELECT count(*) FROM "${schema}".customers)::int AS c, (SELECT count(*) FROM "${schema}".tickets)::int AS t, (SELECT count(*) FROM "${schema}".messages)::int AS m`,
      );
      expect(counts.rows[0]).toEqual({ c: 0, t: 0, m: 0 });
    });

    it("reports an unreachable server as PROVIDER_UNAVAILABLE", async () => {
      const down = postgresStore(
        { connectionString: "postgresql://postgres@127.0.0.1:1/test", poolConfig: { connectionTimeoutMillis: 2000 } },
        { schema },
      );
      await expect(down.getTicket("x")).rejects.toSatisfy(
        (e) => StoredeskError.is(e, "PROVIDER_UNAVAILABLE") && e.retryable,
      );
      await down.close();
    });
  },
);
