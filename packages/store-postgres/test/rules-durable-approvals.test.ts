/**
 * The rules plugin's durable triggers and decisionMaker approvals through the desk on PGlite
 * (and the server at DATABASE_URL): a trigger survives a desk gone right after the commit, and
 * an approval is decided exactly once when two desks approve at the same moment.
 */
import { createDesk, manualClock, rulesPlugin, type RulesPluginOptions, type Store } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backends, backendTitle, type Opened } from "./helpers.js";

const T0 = new Date("2026-03-02T02:00:00.000Z");

const plan = {
  category: "refund_exchange" as const,
  responsibleTeam: "refunds",
  decisionMaker: "lead",
  decisions: ["add_tags:refund-approved"],
  informationNeeded: [],
  channels: ["webchat"],
  serviceHours: "평일 09:00–18:00",
  compensation: { currency: "KRW", kinds: ["refund" as const], limits: [], approverRole: "lead" },
};

const triggers: RulesPluginOptions["triggers"] = [
  {
    id: "urgent-tag",
    title: "urgent → tag",
    events: ["priority_changed"],
    conditions: { type: "ticket", field: "priority", op: "is", value: "urgent" },
    actions: [{ type: "add_tags", tags: ["escalated"] }],
  },
];

function deskOn(store: Store, options: RulesPluginOptions = {}) {
  return createDesk({
    store,
    clock: manualClock(T0),
    channels: [memoryChannel({ id: "webchat" })],
    autoAcknowledge: false,
    actionPlans: [plan],
    agents: [
      { id: "kim", role: "agent" },
      { id: "park", role: "lead" },
    ],
    plugins: [rulesPlugin({ triggers, ...options })],
  });
}

const inbound = (id: string, text: string) => ({
  type: "message" as const,
  channel: "webchat",
  externalId: id,
  occurredAt: T0,
  from: { identities: [{ kind: "webchat" as const, value: `v-${id}` }], name: "김민수" },
  text,
  conversationKey: `c-${id}`,
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(backendTitle("durable triggers and approvals", backend), () => {
    const opened: Opened[] = [];
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    afterEach(async () => {
      for (const o of opened.splice(0)) await o.cleanup();
    });
    async function open(): Promise<Store> {
      const o = await backend.open();
      opened.push(o);
      await o.store.migrate();
      return o.store;
    }

    it("fires a committed change's trigger after the committing desk is gone, once across two desks", async () => {
      const store = await open();
      const a = deskOn(store, { fireAfterCommit: false }); // dies between commit and evaluation
      const { ticket } = await a.ingest(inbound("d1", "배송 문의"));
      await a.setPriority(ticket!.id, "urgent", { agentId: "kim" });
      await a.close();
      expect((await store.getTicket(ticket!.id))!.tags).not.toContain("escalated");
      const [b, c] = [deskOn(store), deskOn(store)];
      await Promise.all([b.runDue(T0), c.runDue(T0)]);
      await Promise.all([b.rules.settle(), c.rules.settle()]);
      await b.runDue(T0);
      await b.rules.settle();
      expect((await store.getTicket(ticket!.id))!.tags).toContain("escalated");
      expect((await store.listEvents(ticket!.id)).filter((e) => e.type === "rule.fired")).toHaveLength(1);
      await b.close();
      await c.close();
    });

    it("files an agent's decision for the lead; two desks approving at once perform it once", async () => {
      const store = await open();
      const [a, b] = [deskOn(store), deskOn(store)];
      const { ticket } = await a.ingest(inbound("d2", "받은 컵이 깨져 있어요. 환불해주세요"));
      const asked = await a.rules.perform(ticket!.id, [{ type: "add_tags", tags: ["refund-approved"] }], {
        agentId: "kim",
      });
      if (asked.status !== "pending_approval") throw new Error("expected an approval request");
      const results = await Promise.allSettled([
        a.rules.approvals.approve(asked.approval.id, { agentId: "park" }),
        b.rules.approvals.approve(asked.approval.id, { agentId: "park" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
      const log = await store.listEvents(ticket!.id);
      expect(log.filter((e) => e.type === "approval.approved")).toHaveLength(1);
      expect(log.filter((e) => e.type === "tags.changed")).toHaveLength(1);
      expect((await store.getTicket(ticket!.id))!.tags).toContain("refund-approved");
      expect(await b.rules.approvals.list({ status: "approved" })).toHaveLength(1);
      await a.close();
      await b.close();
    });
  });
}
