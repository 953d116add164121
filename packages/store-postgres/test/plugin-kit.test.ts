/**
 * The plugin test kit on PostgreSQL: a plugin's records written inside a hook land with the
 * stage's transaction on PGlite (and the server when DATABASE_URL is set), as on the memory store.
 */
import { expect } from "vitest";
import { defineDeskPlugin } from "@storedesk/core";
import { runPluginTest } from "@storedesk/core/testing";
import { pluginTestStores } from "./helpers.js";

/** Counts each customer's tickets in its records and puts the count on the ticket. */
const counter = defineDeskPlugin({
  specVersion: 1,
  id: "counter",
  hooks: {
    async ticketCreated({ customer, records }) {
      const current = await records.get("tickets", customer.id);
      const count = ((current?.value as number | undefined) ?? 0) + 1;
      await records.put({ namespace: "tickets", key: customer.id, value: count }, current?.version ?? null);
      return { ticket: { meta: { ticketsOfCustomer: count } } };
    },
  },
  methods: ({ records }) => ({
    count: async (customerId: string) => ((await records.get("tickets", customerId))?.value as number) ?? 0,
  }),
});

const stores = pluginTestStores();

runPluginTest(
  "a plugin keeps its records in the ingest transaction",
  { plugins: [counter], stores, options: { autoAcknowledge: false } },
  async (kit) => {
    const first = await kit.message("hello");
    const second = await kit.message("another thing", { conversation: "chat-2" });
    expect(second.ticket?.meta.ticketsOfCustomer).toBe(2);
    expect(await kit.desk.counter.count(first.ticket!.customerId)).toBe(2);
    // A redelivery rolls back: the hook's record write with it.
    await kit.desk.ingest({
      type: "message",
      channel: "webchat",
      externalId: "kit-1",
      occurredAt: kit.clock.now(),
      text: "hello",
      from: { identities: [{ kind: "webchat", value: "visitor-1" }] },
      conversationKey: "chat-3",
    });
    expect(await kit.desk.counter.count(first.ticket!.customerId)).toBe(2);
    expect((await kit.store.listRecords("counter.tickets")).map((r) => r.key)).toEqual([first.ticket!.customerId]);
  },
);
