/** Picks the agent for a ticket, or says it must wait in the queue. */
import type { Ticket } from "../domain/ticket.js";
import type { AgentLoad, RoutingAgent } from "./routing-agent.js";

/** The routing strategies. */
export const ROUTING_STRATEGIES = ["round_robin", "least_loaded", "skills_first", "last_agent"] as const;
/** A routing strategy. */
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** What routing reads from a ticket. */
export type RoutableTicket = Pick<Ticket, "id" | "channel" | "language" | "category" | "team" | "priority"> & {
  /** The agent who last served this customer, for `last_agent`. */
  lastAgentId?: string | null;
};

/** Options of {@link assignTicket}. */
export interface AssignOptions {
  /** Skills an agent must have, not just prefer (e.g. `["language"]`). */
  require?: ReadonlyArray<"language" | "category">;
  /** For `round_robin`: the agent assigned last; the next one after it (by id) is chosen. */
  cursor?: string | null;
  /** For `last_agent` when that agent cannot take the ticket (default `least_loaded`). */
  fallback?: Exclude<RoutingStrategy, "last_agent">;
}

/** The decision of {@link assignTicket}. */
export type Assignment =
  { type: "assigned"; agentId: string; strategy: RoutingStrategy; reason: string } | { type: "queued"; reason: string };

function capacityOf(agent: RoutingAgent, channel: string): number {
  return agent.capacity[channel] ?? agent.capacity["*"] ?? 0;
}

function loadOf(load: AgentLoad, agentId: string, channel: string): number {
  return load[agentId]?.[channel] ?? 0;
}

function speaks(agent: RoutingAgent, language: string): boolean {
  const langs = agent.skills.languages;
  return langs.length === 0 || langs.includes(language) || langs.includes(language.split("-")[0] ?? language);
}

function knows(agent: RoutingAgent, category: string): boolean {
  return agent.skills.categories.length === 0 || agent.skills.categories.includes(category);
}

/**
 * Whether `agent` may take `ticket` now: online, in the ticket's team (if it has one), handles
 * the channel, has the required skills, and is below capacity on that channel.
 *
 * @example
 * canTake(agent, ticket, load) // false when the agent has 8 of 8 webchats
 */
export function canTake(
  agent: RoutingAgent,
  ticket: RoutableTicket,
  load: AgentLoad,
  require: AssignOptions["require"] = [],
): boolean {
  if (agent.presence !== "online") return false;
  if (ticket.team !== null && !agent.teams.includes(ticket.team)) return false;
  if (agent.skills.channels.length > 0 && !agent.skills.channels.includes(ticket.channel)) return false;
  if (require.includes("language") && !speaks(agent, ticket.language)) return false;
  if (require.includes("category") && !knows(agent, ticket.category)) return false;
  return loadOf(load, agent.id, ticket.channel) < capacityOf(agent, ticket.channel);
}

// Fewest open tickets relative to capacity, then fewest absolute, then id: stable and fair.
function lighter(a: RoutingAgent, b: RoutingAgent, load: AgentLoad, channel: string): boolean {
  const la = loadOf(load, a.id, channel);
  const lb = loadOf(load, b.id, channel);
  const ra = la / capacityOf(a, channel);
  const rb = lb / capacityOf(b, channel);
  if (ra !== rb) return ra < rb;
  if (la !== lb) return la < lb;
  return a.id < b.id;
}

function leastLoaded(pool: RoutingAgent[], load: AgentLoad, channel: string): RoutingAgent | null {
  let best: RoutingAgent | null = null;
  for (const a of pool) if (best === null || lighter(a, best, load, channel)) best = a;
  return best;
}

/**
 * Decides who gets `ticket`. Only agents that {@link canTake} it are considered; when none can,
 * the ticket is queued (see {@link nextFromQueue}) rather than pushed onto a full agent.
 * `least_loaded` picks the lowest load/capacity ratio on the ticket's channel; `skills_first`
 * prefers agents with both the language and category, then either, then least loaded;
 * `round_robin` takes the next eligible id after `cursor`; `last_agent` keeps the customer with
 * their previous agent when that agent can take it, else uses `fallback`.
 *
 * @example
 * assignTicket(ticket, agents, load, "least_loaded", { require: ["language"] })
 * // { type: "assigned", agentId: "minji", strategy: "least_loaded", reason: "…" }
 */
export function assignTicket(
  ticket: RoutableTicket,
  agents: readonly RoutingAgent[],
  load: AgentLoad,
  strategy: RoutingStrategy,
  options: AssignOptions = {},
): Assignment {
  const pool = agents.filter((a) => canTake(a, ticket, load, options.require));
  if (pool.length === 0) return { type: "queued", reason: "no eligible agent is online with free capacity" };
  const done = (agent: RoutingAgent, used: RoutingStrategy, reason: string): Assignment => ({
    type: "assigned",
    agentId: agent.id,
    strategy: used,
    reason,
  });

  switch (strategy) {
    case "last_agent": {
      const last = ticket.lastAgentId ? pool.find((a) => a.id === ticket.lastAgentId) : undefined;
      if (last) return done(last, "last_agent", "the customer's last agent is available");
      const fallback = options.fallback ?? "least_loaded";
      const d = assignTicket(ticket, pool, load, fallback, options);
      return d.type === "assigned" ? { ...d, reason: `last agent unavailable; ${d.reason}` } : d;
    }
    case "round_robin": {
      const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const cursor = options.cursor ?? null;
      const next = sorted.find((a) => cursor === null || a.id > cursor) ?? sorted[0]!;
      return done(next, "round_robin", "next in turn");
    }
    case "skills_first": {
      const score = (a: RoutingAgent): number =>
        (a.skills.languages.length > 0 && speaks(a, ticket.language) ? 2 : 0) +
        (a.skills.categories.length > 0 && knows(a, ticket.category) ? 1 : 0);
      let top = -1;
      for (const a of pool) top = Math.max(top, score(a));
      const best = leastLoaded(
        pool.filter((a) => score(a) === top),
        load,
        ticket.channel,
      )!;
      return done(best, "skills_first", `best skill match (score ${top}), least loaded among them`);
    }
    case "least_loaded": {
      const best = leastLoaded(pool, load, ticket.channel)!;
      return done(
        best,
        "least_loaded",
        `lowest load on ${ticket.channel} (${loadOf(load, best.id, ticket.channel)} open)`,
      );
    }
  }
}
