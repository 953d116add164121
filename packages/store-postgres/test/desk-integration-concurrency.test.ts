/**
 * One message delivered 100 times at once through several desks on the PostgreSQL server: stored once.
 */
import { describe, expect, it } from "vitest";
import { createDesk, manualClock } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { backends, type Backend } from "./helpers.js";
import { T0 } from "./desk-integration-kit.js";

/** The 100-duplicates case needs real concurrent connections: the server only. */
const server100: Backend | undefined = backends().find((b) => b.name.startsWith("PostgreSQL server"));
describe.skipIf(!server100?.available)(
  `one message delivered 100 times at once through the desk on the PostgreSQL server${server100?.available ? "" : " (skipped: set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)"}`,
  () => {
    it("stores it once, with one ticket, one customer and one acknowledgement", async () => {
      const o = await server100!.open();
      try {
        const clock = manualClock(T0);
        const chat = memoryChannel({ id: "webchat" });
        // Several desks, as several instances behind a load balancer would be.
        const desks = Array.from({ length: 5 }, (_, i) =>
          createDesk({ store: o.store, clock, channels: [chat], workerId: `w${i}` }),
        );
        const event = {
          type: "message" as const,
          channel: "webchat",
          externalId: "dup-1",
          occurredAt: T0,
          from: { identities: [{ kind: "email" as const, value: "kim@example.com" }] },
          text: "배송 언제 와요?",
        };
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => desks[i % desks.length]!.ingest(event)),
        );
        expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
        expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(99);
        const tickets = await desks[0]!.listTickets({});
        expect(tickets).toHaveLength(1);
        expect((await desks[0]!.listMessages(tickets[0]!.id)).filter((m) => m.direction === "inbound")).toHaveLength(1);
        expect(chat.sent).toHaveLength(1);
        const { rows } = await o.raw(`SELECT count(*)::int AS n FROM "${o.store.schema}".customers`);
        expect(rows[0]!.n).toBe(1);
      } finally {
        await o.cleanup();
      }
    });
  },
);
