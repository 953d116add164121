import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { Store } from "../../../ports/store.js";
import { rulesPlugin, type RulesPluginOptions } from "./rules-plugin.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");

const urgentTag: RulesPluginOptions = {
  triggers: [
    {
      id: "urgent-tag",
      title: "urgent → tag",
      events: ["priority_changed"],
      conditions: { type: "ticket", field: "priority", op: "is", value: "urgent" },
      actions: [{ type: "add_tags", tags: ["escalated"] }],
    },
  ],
};

function deskOn(store: Store, options: RulesPluginOptions) {
  const clock = manualClock(T0);
  return createDesk({
    store,
    clock,
    channels: [memoryChannel({ id: "webchat" })],
    autoAcknowledge: false,
    plugins: [rulesPlugin({ ...urgentTag, ...options })],
  });
}

describe("rules plugin: durable triggers", () => {
  it("keeps a committed change's trigger as a job: a desk gone right after the commit leaves it to another", async () => {
    const store = memoryStore();
    // `fireAfterCommit: false` stands for a process that dies between the commit and the evaluation.
    const a = deskOn(store, { fireAfterCommit: false });
    const { ticket } = await a.ingest({
      type: "message",
      channel: "webchat",
      externalId: "d-1",
      occurredAt: T0,
      from: { identities: [{ kind: "webchat", value: "v-1" }] },
      text: "배송 문의",
      conversationKey: "c-1",
    });
    const id = ticket!.id;
    await a.setPriority(id, "urgent", { agentId: "kim" });
    await a.close();
    expect((await store.getTicket(id))!.tags).not.toContain("escalated");
    expect((await store.listJobs({ ticketId: id })).map((j) => j.type)).toContain("rules.fire");

    const b = deskOn(store, {});
    const c = deskOn(store, {});
    // Two instances run the due jobs at once: the trigger fires exactly once.
    await Promise.all([b.runDue(T0), c.runDue(T0)]);
    await Promise.all([b.rules.settle(), c.rules.settle()]);
    await b.runDue(T0);
    await b.rules.settle();
    const saved = await store.getTicket(id);
    expect(saved!.tags).toContain("escalated");
    const fired = (await store.listEvents(id)).filter((e) => e.type === "rule.fired");
    expect(fired).toHaveLength(1);
    expect((await store.listJobs({ ticketId: id })).filter((j) => j.type === "rules.fire")).toEqual([]);
    await b.close();
    await c.close();
  });

  it("fires at once on the committing instance and does not fire again when the scheduler finds the job", async () => {
    const store = memoryStore();
    const a = deskOn(store, {});
    const { ticket } = await a.ingest({
      type: "message",
      channel: "webchat",
      externalId: "d-2",
      occurredAt: T0,
      from: { identities: [{ kind: "webchat", value: "v-2" }] },
      text: "배송 문의",
      conversationKey: "c-2",
    });
    await a.setPriority(ticket!.id, "urgent", { agentId: "kim" });
    await a.rules.settle();
    expect((await store.getTicket(ticket!.id))!.tags).toContain("escalated");
    await a.runDue(T0);
    await a.rules.settle();
    expect((await store.listEvents(ticket!.id)).filter((e) => e.type === "rule.fired")).toHaveLength(1);
    await a.close();
  });
});
