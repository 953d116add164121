import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { StoredeskError } from "../errors.js";
import { assignTicket, canTake, type RoutableTicket } from "./assign-ticket.js";
import { nextFromQueue, type QueuedTicket } from "./next-from-queue.js";
import { defineRoutingAgent, type AgentLoad } from "./routing-agent.js";

const minji = defineRoutingAgent({
  id: "minji",
  teams: ["refunds"],
  skills: { languages: ["ko"], categories: ["refund_exchange"] },
  presence: "online",
  capacity: { webchat: 2, "*": 10 },
});
const jisoo = defineRoutingAgent({
  id: "jisoo",
  teams: ["refunds"],
  skills: { languages: ["ko", "en"] },
  presence: "online",
  capacity: { webchat: 4 },
});
const sam = defineRoutingAgent({
  id: "sam",
  teams: ["refunds", "shipping"],
  skills: { languages: ["en"] },
  presence: "online",
  capacity: { "*": 8 },
});
const away = defineRoutingAgent({ id: "aaron", teams: ["refunds"], presence: "away", capacity: { "*": 99 } });
const agents = [minji, jisoo, sam, away];
const ticket: RoutableTicket = {
  id: "t1",
  channel: "webchat",
  language: "ko",
  category: "refund_exchange",
  team: "refunds",
  priority: "normal",
};

describe("assignTicket", () => {
  it("least_loaded with a required language picks the refunds team's least-loaded Korean speaker", () => {
    const load: AgentLoad = { minji: { webchat: 1 }, jisoo: { webchat: 1 }, sam: { webchat: 0 } };
    // minji 1/2 vs jisoo 1/4: jisoo is lighter relative to capacity; sam does not speak Korean.
    expect(assignTicket(ticket, agents, load, "least_loaded", { require: ["language"] })).toMatchObject({
      type: "assigned",
      agentId: "jisoo",
    });
    expect(assignTicket(ticket, agents, load, "least_loaded")).toMatchObject({ agentId: "sam" });
  });

  it("skills_first prefers language and category, then load", () => {
    expect(assignTicket(ticket, agents, {}, "skills_first")).toMatchObject({
      agentId: "minji",
      strategy: "skills_first",
    });
    expect(assignTicket({ ...ticket, language: "en" }, agents, {}, "skills_first")).toMatchObject({
      agentId: "jisoo",
    });
  });

  it("round_robin takes the next eligible agent after the cursor and wraps around", () => {
    expect(assignTicket(ticket, agents, {}, "round_robin", { cursor: "jisoo" })).toMatchObject({
      agentId: "minji",
    });
    expect(assignTicket(ticket, agents, {}, "round_robin", { cursor: "sam" })).toMatchObject({
      agentId: "jisoo",
    });
    expect(assignTicket(ticket, agents, {}, "round_robin")).toMatchObject({ agentId: "jisoo" });
  });

  it("last_agent keeps the customer's previous agent, else falls back", () => {
    expect(assignTicket({ ...ticket, lastAgentId: "sam" }, agents, {}, "last_agent")).toMatchObject({
      agentId: "sam",
      strategy: "last_agent",
    });
    const full: AgentLoad = { sam: { webchat: 8 } };
    expect(assignTicket({ ...ticket, lastAgentId: "sam" }, agents, full, "last_agent")).toMatchObject({
      strategy: "least_loaded",
    });
  });

  it("queues instead of overloading when every eligible agent is at capacity or not online", () => {
    const load: AgentLoad = { minji: { webchat: 2 }, jisoo: { webchat: 4 }, sam: { webchat: 8 } };
    expect(assignTicket(ticket, agents, load, "least_loaded")).toEqual({
      type: "queued",
      reason: "no eligible agent is online with free capacity",
    });
    expect(canTake(away, ticket, {})).toBe(false);
    expect(canTake(jisoo, { ...ticket, channel: "email" }, {})).toBe(false); // no email capacity at all
  });

  it("never assigns above capacity, whatever the load and strategy (property)", () => {
    fc.assert(
      fc.property(
        fc.record({ minji: fc.nat(5), jisoo: fc.nat(5), sam: fc.nat(10) }),
        fc.constantFrom("round_robin", "least_loaded", "skills_first", "last_agent" as const),
        (n, strategy) => {
          const load: AgentLoad = {
            minji: { webchat: n.minji },
            jisoo: { webchat: n.jisoo },
            sam: { webchat: n.sam },
          };
          const d = assignTicket({ ...ticket, lastAgentId: "minji" }, agents, load, strategy);
          if (d.type === "assigned") {
            const agent = agents.find((a) => a.id === d.agentId)!;
            expect(agent.presence).toBe("online");
            expect(load[d.agentId]!.webchat!).toBeLessThan(agent.capacity.webchat ?? agent.capacity["*"]!);
          }
        },
      ),
    );
  });

  it("refuses a malformed agent with INVALID_INPUT", () => {
    expect(() => defineRoutingAgent({ id: "x", presence: "busy" as "online", capacity: {} })).toThrow(StoredeskError);
    expect(() => defineRoutingAgent({ id: "x", presence: "online", capacity: { email: -1 } })).toThrow(/capacity/);
  });
});

describe("nextFromQueue", () => {
  const at = (m: number) => new Date(Date.UTC(2026, 2, 2, 1, m));
  const q = (id: string, priority: QueuedTicket["priority"], minute: number, language = "ko"): QueuedTicket => ({
    ...ticket,
    id,
    priority,
    language,
    waitingSince: at(minute),
  });

  it("serves the highest priority first, then the longest waiting", () => {
    const queue = [q("late-normal", "normal", 9), q("early-normal", "normal", 1), q("urgent", "urgent", 30)];
    expect(nextFromQueue(queue, agents, {}, "least_loaded")?.ticket.id).toBe("urgent");
    expect(nextFromQueue(queue.slice(0, 2), agents, {}, "least_loaded")?.ticket.id).toBe("early-normal");
  });

  it("skips a ticket nobody free can take and serves the one behind it", () => {
    const load: AgentLoad = { minji: { webchat: 2 }, jisoo: { webchat: 4 } }; // only sam (English) is free
    const queue = [q("ko-urgent", "urgent", 0), q("en-normal", "normal", 5, "en")];
    const next = nextFromQueue(queue, agents, load, "least_loaded", { require: ["language"] });
    expect(next).toMatchObject({ ticket: { id: "en-normal" }, assignment: { agentId: "sam" } });
  });

  it("returns null while everyone is full, and assigns the moment capacity frees", () => {
    const full: AgentLoad = { minji: { webchat: 2 }, jisoo: { webchat: 4 }, sam: { webchat: 8 } };
    const queue = [q("waiting", "high", 0)];
    expect(nextFromQueue(queue, agents, full, "least_loaded")).toBeNull();
    const freed: AgentLoad = { ...full, jisoo: { webchat: 3 } };
    expect(nextFromQueue(queue, agents, freed, "least_loaded")?.assignment.agentId).toBe("jisoo");
  });
});
