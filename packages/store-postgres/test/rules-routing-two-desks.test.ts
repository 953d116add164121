/**
 * The rules and routing plugins on two desks (each with its own pool) sharing one PostgreSQL
 * server: every automation firing happens once per ticket, every free slot of an agent is
 * filled by exactly one ticket, and no agent ends above capacity.
 */
import { createDesk, manualClock, routingPlugin, rulesPlugin, type InboundEventInput } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore, type PostgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema, testPool } from "./helpers.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
const HOUR = 3_600_000;

function makeDesk(store: PostgresStore, i: number) {
  const clock = manualClock(T0);
  const desk = createDesk({
    store,
    clock,
    channels: [memoryChannel({ id: "webchat" })],
    autoAcknowledge: false,
    workerId: `rules-${i}`,
    plugins: [rulesPlugin(), routingPlugin({ require: ["language"] })],
  });
  return { desk, clock };
}
type Instance = ReturnType<typeof makeDesk>;

describe.skipIf(!DATABASE_URL)(
  `rules and routing on two desks sharing PostgreSQL${DATABASE_URL ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    const schema = randomSchema();
    const pools = [testPool(DATABASE_URL ?? "", { max: 8 }), testPool(DATABASE_URL ?? "", { max: 8 })];
    let instances: Instance[];
    beforeAll(async () => {
      const stores = pools.map((pool) => postgresStore({ pool }, { schema }));
      await stores[0]!.migrate();
      instances = stores.map((store, i) => makeDesk(store, i));
    });
    afterAll(async () => {
      for (const { desk } of instances) await desk.close();
      await Promise.all(pools.map((p) => p.end()));
      await dropSchema(DATABASE_URL!, schema);
    });

    const mail = (id: string, text: string): InboundEventInput => ({
      type: "message",
      channel: "webchat",
      externalId: id,
      occurredAt: T0,
      conversationKey: `c-${id}`,
      from: { identities: [{ kind: "webchat", value: `visitor-${id}` }] },
      text,
    });

    it("routes concurrent ingests on both instances without overfilling an agent, and serves each freed slot exactly once", async () => {
      const [a, b] = instances as [Instance, Instance];
      for (const id of ["minji", "jisoo", "hana"]) {
        await a.desk.routing.agents.upsert({
          id,
          skills: { languages: ["ko"] },
          presence: "online",
          capacity: { webchat: 2 },
        });
      }
      const tickets = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).desk.ingest(mail(`r${i}`, `배송 문의 ${i}`))),
      );
      const assigned = tickets.filter((t) => t.ticket!.assigneeId !== null);
      expect(assigned).toHaveLength(6);
      const load = await b.desk.routing.load();
      expect(load).toEqual({ minji: { webchat: 2 }, jisoo: { webchat: 2 }, hana: { webchat: 2 } });
      expect(await a.desk.routing.queue()).toHaveLength(6);

      // Four agents' tickets are solved at once, on both instances; both serve the queue.
      await Promise.all(
        assigned
          .slice(0, 4)
          .map((t, i) => (i % 2 === 0 ? a : b).desk.setStatus(t.ticket!.id, "solved", { agentId: "kim" })),
      );
      await Promise.all([
        a.desk.routing.drain(),
        b.desk.routing.drain(),
        a.desk.routing.settle(),
        b.desk.routing.settle(),
      ]);
      await Promise.all([a.desk.runDue(a.clock.now()), b.desk.runDue(b.clock.now())]);
      await Promise.all([a.desk.routing.settle(), b.desk.routing.settle()]);
      const open = await a.desk.listTickets({ status: ["new", "open"] });
      const counts = new Map<string, number>();
      for (const t of open) if (t.assigneeId) counts.set(t.assigneeId, (counts.get(t.assigneeId) ?? 0) + 1);
      expect([...counts.values()].every((n) => n <= 2)).toBe(true);
      expect(open.filter((t) => t.assigneeId !== null)).toHaveLength(6);
      expect(await a.desk.routing.queue()).toHaveLength(2);
      const stored = await a.desk.routing.load();
      for (const [agent, n] of counts) expect(stored[agent]?.["webchat"], agent).toBe(n);
      for (const t of open) {
        const routed = (await a.desk.listEvents(t.id)).filter((e) => e.type === "routing.assigned");
        expect(routed.length, `ticket ${t.number}`).toBeLessThanOrEqual(1);
      }
    });

    it("fires each automation once per ticket when both instances sweep at the same moment", async () => {
      const [a, b] = instances as [Instance, Instance];
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) {
        const { ticket } = await a.desk.ingest(mail(`p${i}`, `사이즈 교환 문의 ${i}`));
        await a.desk.setStatus(ticket!.id, "pending", { agentId: "kim" });
        ids.push(ticket!.id);
      }
      const later = new Date(T0.getTime() + 49 * HOUR);
      for (const { clock } of instances) clock.set(later);
      await Promise.all([
        a.desk.rules.automations.run(later),
        b.desk.rules.automations.run(later),
        a.desk.runDue(later),
        b.desk.runDue(later),
      ]);
      await Promise.all([a.desk.rules.settle(), b.desk.rules.settle()]);
      await Promise.all([a.desk.runDue(later), b.desk.runDue(later)]);
      for (const id of ids) {
        const events = await a.desk.listEvents(id);
        expect(
          events.filter((e) => e.type === "automation.fired" && e.data["automationId"] === "pending-reminder-48h"),
          id,
        ).toHaveLength(1);
        const reminders = (await a.desk.listMessages(id)).filter(
          (m) => m.direction === "outbound" && m.text.includes("다시 연락드립니다"),
        );
        expect(reminders, id).toHaveLength(1);
        expect((await a.desk.getTicket(id)).tags).toContain("pending-reminded");
      }
    });
  },
);
