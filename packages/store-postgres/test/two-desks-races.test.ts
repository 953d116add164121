/**
 * Races between two desks (each with its own pool) on one PostgreSQL server: customer merges
 * against ingests that link identities and open tickets, and two first messages of one new
 * conversation arriving at once through different instances.
 */
import { createDesk, manualClock, type Desk, type InboundEventInput } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore, type PostgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema, testPool } from "./helpers.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");

describe.skipIf(!DATABASE_URL)(
  `two desks racing on one PostgreSQL server${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    const schema = randomSchema();
    const pools = [testPool(DATABASE_URL ?? "", { max: 8 }), testPool(DATABASE_URL ?? "", { max: 8 })];
    let stores: PostgresStore[];
    let desks: Desk[];
    const q = (sql: string, params: unknown[] = []) => pools[0]!.query(sql.replaceAll("S.", `"${schema}".`), params);
    beforeAll(async () => {
      stores = pools.map((pool) => postgresStore({ pool }, { schema }));
      await stores[0]!.migrate();
      desks = stores.map((store, i) =>
        createDesk({
          store,
          clock: manualClock(T0),
          channels: [memoryChannel({ id: "email" }), memoryChannel({ id: "whatsapp" })],
          autoAcknowledge: false,
          workerId: `race-${i}`,
        }),
      );
    });
    afterAll(async () => {
      await Promise.all(pools.map((p) => p.end()));
      await dropSchema(DATABASE_URL!, schema);
    });

    const mail = (
      i: number,
      id: string,
      extra: Partial<Extract<InboundEventInput, { type: "message" }>> = {},
    ): InboundEventInput => ({
      type: "message",
      channel: "email",
      externalId: id,
      occurredAt: T0,
      conversationKey: `mail-${id}`,
      from: { identities: [{ kind: "email", value: `merge-${i}@example.com` }] },
      text: "배송 언제 와요?",
      ...extra,
    });

    it("100 merges racing ingests that link identities and open tickets: nothing ends on a merged-away customer, no linked identity vanishes", async () => {
      const n = 100;
      const pairs: Array<{ source: string; target: string }> = [];
      for (let i = 0; i < n; i++) {
        const source = (await desks[0]!.ingest(mail(i, `m-src-${i}`))).ticket!.customerId;
        const target = (
          await desks[0]!.ingest({
            type: "message",
            channel: "whatsapp",
            externalId: `wa-tgt-${i}`,
            occurredAt: T0,
            conversationKey: `wa-${i}`,
            from: { identities: [{ kind: "whatsapp", value: `8210${String(i).padStart(8, "0")}` }] },
            text: "안녕하세요",
          })
        ).ticket!.customerId;
        pairs.push({ source, target });
      }
      // Each merge races an ingest (on the other instance) from the source's address that carries a
      // new phone to link and opens a new ticket.
      await Promise.all(
        pairs.flatMap(({ source, target }, i) => [
          desks[0]!.mergeCustomers(source, target, { agentId: "kim" }),
          desks[1]!.ingest(
            mail(i, `m-race-${i}`, {
              from: {
                identities: [
                  { kind: "email", value: `merge-${i}@example.com` },
                  { kind: "phone", value: `+8219${String(i).padStart(8, "0")}` },
                ],
              },
            }),
          ),
        ]),
      );
      const stranded = await q(
        "SELECT count(*)::int AS n FROM S.tickets t JOIN S.customers c ON c.id = t.customer_id WHERE c.merged_into IS NOT NULL",
      );
      expect(stranded.rows[0]!.n).toBe(0);
      for (const [i, { source, target }] of pairs.entries()) {
        expect(
          (await desks[1]!.findCustomer({ kind: "phone", value: `+8219${String(i).padStart(8, "0")}` }))?.id,
          `phone of pair ${i}`,
        ).toBe(target);
        expect((await desks[1]!.findCustomer({ kind: "email", value: `merge-${i}@example.com` }))?.id).toBe(target);
        expect((await desks[0]!.getCustomer(source))?.mergedInto).toBe(target);
        // Three tickets (source's first, the racing one, target's) all on the survivor.
        expect(await desks[0]!.listTickets({ customerId: target })).toHaveLength(3);
        const log = await desks[0]!.listCustomerEvents(target);
        expect(log.map((e) => e.type)).toContain("customer.merged");
      }
      // The next mail from a merged address lands on the survivor: no new customer appears.
      await desks[1]!.ingest(mail(0, "m-after-0"));
      expect((await q("SELECT count(*)::int AS n FROM S.customers WHERE merged_into IS NULL")).rows[0]!.n).toBe(n);
    }, 120_000);

    it("200 customers each sending two first messages of a new conversation at once, one through each desk, get one ticket each", async () => {
      const n = 200;
      const first = (i: number, side: number): Extract<InboundEventInput, { type: "message" }> => ({
        type: "message",
        channel: "whatsapp",
        externalId: `conv-${i}-${side}`,
        occurredAt: new Date(T0.getTime() + side),
        conversationKey: `new-conversation-${i}`,
        from: { identities: [{ kind: "whatsapp", value: `8220${String(i).padStart(8, "0")}` }] },
        text: side === 0 ? "안녕하세요" : "주문 확인 부탁드려요",
      });
      // Known customers (an earlier conversation each), so the race is only about the new conversation's ticket.
      for (let i = 0; i < n; i++)
        await desks[i % 2]!.ingest({ ...first(i, 0), externalId: `earlier-${i}`, conversationKey: `earlier-${i}` });
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => [desks[0]!.ingest(first(i, 0)), desks[1]!.ingest(first(i, 1))]).flat(),
      );
      expect(results.every((r) => r.outcome === "created" || r.outcome === "threaded")).toBe(true);
      const split = await q(
        `SELECT conversation_key, count(*)::int AS n FROM S.tickets WHERE conversation_key LIKE 'new-conversation-%' GROUP BY conversation_key`,
      );
      expect(split.rows.filter((r) => r.n !== 1).length, "conversations split into two tickets").toBe(0);
      expect(split.rows).toHaveLength(n);
      expect(split.rows.filter((r) => r.n !== 1)).toEqual([]);
      const messages = await q(
        `SELECT count(*)::int AS n FROM S.messages m JOIN S.tickets t ON t.id = m.ticket_id WHERE t.conversation_key LIKE 'new-conversation-%'`,
      );
      expect(messages.rows[0]!.n).toBe(2 * n);
    }, 120_000);
  },
);
