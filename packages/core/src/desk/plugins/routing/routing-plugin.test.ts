import { describe, expect, it } from "vitest";
import { createDesk } from "../../create-desk.js";
import { memoryStore } from "../../../store-memory/memory-store.js";
import { memoryChannel } from "../../../testing/memory-channel.js";
import { manualClock } from "../../../ports/clock.js";
import type { InboundEventInput } from "../../../domain/inbound.js";
import { rulesPlugin } from "../rules/rules-plugin.js";
import { routingPlugin, type RoutingPluginOptions } from "./routing-plugin.js";

const T0 = new Date("2026-03-02T01:00:00.000Z");
let n = 0;

function msg(text: string, who: string, minute = 0): InboundEventInput {
  return {
    type: "message",
    channel: "webchat",
    externalId: `r-${++n}`,
    occurredAt: new Date(T0.getTime() + minute * 60_000),
    from: { identities: [{ kind: "webchat", value: who }] },
    text,
    conversationKey: `c-${who}`,
  };
}

function setup(options: RoutingPluginOptions = {}) {
  const clock = manualClock(T0);
  const store = memoryStore();
  const desk = createDesk({
    store,
    clock,
    channels: [memoryChannel({ id: "webchat" })],
    autoAcknowledge: false,
    agents: [
      { id: "minji", role: "agent", team: "refunds" },
      { id: "jisoo", role: "agent", team: "refunds" },
      { id: "sam", role: "agent", team: "general" },
    ],
    plugins: [
      rulesPlugin({
        triggers: [
          {
            id: "refunds",
            title: "환불 → refunds",
            events: ["ticket_created"],
            conditions: { type: "text", contains: ["환불", "refund"] },
            actions: [{ type: "set_team", team: "refunds" }],
          },
        ],
      }),
      routingPlugin({ require: ["language"], ...options }),
    ],
  });
  return { clock, desk, store };
}

describe("routing plugin", () => {
  it("stamps the agent registry's changes with the desk's clock, not the wall clock", async () => {
    const { desk, clock, store } = setup();
    await desk.routing.agents.list(); // seeded at T0
    const seeded = await store.getRecord("routing.registry", "version", T0);
    expect(seeded?.value).toEqual({ changedAt: T0.getTime() });
    const later = new Date("2031-05-05T05:05:05.000Z");
    clock.set(later);
    await desk.routing.agents.setPresence("sam", "away");
    const changed = await store.getRecord("routing.registry", "version", later);
    expect(changed?.value).toEqual({ changedAt: later.getTime() });
    expect(changed?.updatedAt).toEqual(later);
    expect(changed!.version).toBeGreaterThan(seeded!.version);
  });

  it("seeds the registry from the desk's agents option and routes a new ticket in the ingest, audited", async () => {
    const { desk } = setup();
    expect((await desk.routing.agents.list()).map((a) => [a.id, a.teams, a.presence])).toEqual([
      ["jisoo", ["refunds"], "online"],
      ["minji", ["refunds"], "online"],
      ["sam", ["general"], "online"],
    ]);
    await desk.routing.agents.upsert({
      id: "minji",
      teams: ["refunds"],
      skills: { languages: ["ko"] },
      presence: "online",
      capacity: { webchat: 2 },
    });
    await desk.routing.agents.upsert({
      id: "jisoo",
      teams: ["refunds"],
      skills: { languages: ["en"] },
      presence: "online",
      capacity: { webchat: 2 },
    });
    const { ticket } = await desk.ingest(msg("환불하고 싶어요", "v1"));
    expect(ticket).toMatchObject({ team: "refunds", assigneeId: "minji", status: "open" });
    const events = await desk.listEvents(ticket!.id);
    expect(events.find((e) => e.type === "routing.assigned")?.data).toMatchObject({
      agentId: "minji",
      strategy: "least_loaded",
    });
    expect(await desk.routing.load()).toEqual({ minji: { webchat: 1 } });
  });

  it("queues when every eligible agent is full and assigns (highest priority, then longest waiting) the moment capacity frees", async () => {
    const { desk } = setup();
    await desk.routing.agents.upsert({
      id: "minji",
      teams: ["refunds"],
      skills: { languages: ["ko"] },
      presence: "online",
      capacity: { webchat: 1 },
    });
    await desk.routing.agents.upsert({
      id: "jisoo",
      teams: ["refunds"],
      skills: { languages: ["ko"] },
      presence: "offline",
      capacity: { webchat: 1 },
    });
    const first = (await desk.ingest(msg("환불 문의 1", "a"))).ticket!;
    const waitingNormal = (await desk.ingest(msg("환불 문의 2", "b", 1))).ticket!;
    const waitingUrgent = (await desk.ingest(msg("환불 문의 3", "c", 2))).ticket!;
    expect(first.assigneeId).toBe("minji");
    expect(waitingNormal.assigneeId).toBeNull();
    expect((await desk.listEvents(waitingNormal.id)).some((e) => e.type === "routing.queued")).toBe(true);
    await desk.setPriority(waitingUrgent.id, "urgent", { agentId: "lead" });
    expect((await desk.routing.queue()).map((q) => q.id)).toEqual([waitingUrgent.id, waitingNormal.id]);

    await desk.setStatus(first.id, "solved", { agentId: "minji" });
    await desk.routing.settle();
    expect((await desk.getTicket(waitingUrgent.id)).assigneeId).toBe("minji");
    expect((await desk.getTicket(waitingNormal.id)).assigneeId).toBeNull();

    // An agent coming online is served from the queue at once.
    await desk.routing.agents.setPresence("jisoo", "online");
    await desk.routing.settle();
    expect((await desk.getTicket(waitingNormal.id)).assigneeId).toBe("jisoo");
    expect(await desk.routing.queue()).toEqual([]);
    expect(await desk.routing.load()).toEqual({ minji: { webchat: 1 }, jisoo: { webchat: 1 } });
  });

  it("lets a manual assignment exceed capacity, and counts it", async () => {
    const { desk } = setup();
    await desk.routing.agents.upsert({ id: "sam", teams: ["general"], presence: "online", capacity: { webchat: 1 } });
    await desk.routing.agents.setPresence("minji", "away");
    await desk.routing.agents.setPresence("jisoo", "offline");
    const a = (await desk.ingest(msg("hello", "x1"))).ticket!;
    const b = (await desk.ingest(msg("hello again", "x2"))).ticket!;
    expect(a.assigneeId).toBe("sam");
    expect(b.assigneeId).toBeNull(); // sam is full, the others are not online
    await desk.assign(b.id, { agentId: "sam" }, { agentId: "lead" });
    expect((await desk.routing.load())["sam"]).toEqual({ webchat: 2 });
    expect(await desk.routing.queue()).toEqual([]);
    await desk.assign(b.id, { agentId: "minji" }, { agentId: "lead" }); // reassigned: sam's count drops
    expect(await desk.routing.load()).toEqual({ sam: { webchat: 1 }, minji: { webchat: 1 } });
  });

  it("decides on an instance's copy of the load counters, and never over-assigns or queues on a stale one", async () => {
    // Two instances over one store: each keeps its own copy of the counters between decisions.
    const store = memoryStore();
    const make = () =>
      createDesk({
        store,
        clock: manualClock(T0),
        channels: [memoryChannel({ id: "webchat" })],
        autoAcknowledge: false,
        agents: [{ id: "sam", role: "agent", team: null }],
        plugins: [routingPlugin()],
      });
    const a = make();
    const b = make();
    await a.routing.agents.upsert({ id: "sam", teams: [], presence: "online", capacity: { webchat: 2 } });
    const first = (await a.ingest(msg("hello", "s1"))).ticket!; // a's copy: sam 1
    const second = (await b.ingest(msg("hello", "s2"))).ticket!; // b counts sam 2
    expect([first.assigneeId, second.assigneeId]).toEqual(["sam", "sam"]);
    // a's copy still says 1 of 2: its compare-and-set loses, it re-reads, and the ticket waits.
    const third = (await a.ingest(msg("hello", "s3"))).ticket!;
    expect(third.assigneeId).toBeNull();
    expect(await a.routing.load()).toEqual({ sam: { webchat: 2 } });

    // b frees a slot; a's copy says sam is full, so a confirms on the store before queueing.
    await b.setStatus(second.id, "solved", { agentId: "sam" });
    await b.routing.settle(); // b's drain serves the waiting ticket…
    expect((await a.getTicket(third.id)).assigneeId).toBe("sam");
    await b.setStatus(third.id, "solved", { agentId: "sam" });
    await b.routing.settle();
    const fourth = (await a.ingest(msg("hello", "s4"))).ticket!; // …and a's copy is stale again
    expect(fourth.assigneeId).toBe("sam");
    expect(await a.routing.load()).toEqual({ sam: { webchat: 2 } });
    expect(await a.routing.queue()).toEqual([]);
  });
});
