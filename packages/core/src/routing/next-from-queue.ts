/** The waiting queue: who is served next when capacity frees. */
import { priorityRank } from "../domain/enums.js";
import {
  assignTicket,
  type AssignOptions,
  type Assignment,
  type RoutableTicket,
  type RoutingStrategy,
} from "./assign-ticket.js";
import type { AgentLoad, RoutingAgent } from "./routing-agent.js";

/** A ticket waiting for an agent, since `waitingSince`. */
export type QueuedTicket = RoutableTicket & { waitingSince: Date };

/**
 * Queue order: highest priority first, then longest waiting, then id (so the order is total).
 *
 * @example
 * [...queue].sort(compareQueued)
 */
export function compareQueued(a: QueuedTicket, b: QueuedTicket): number {
  const p = priorityRank(b.priority) - priorityRank(a.priority);
  if (p !== 0) return p;
  const w = a.waitingSince.getTime() - b.waitingSince.getTime();
  if (w !== 0) return w;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The first ticket in queue order that some agent can take now, with its assignment; null when
 * none can. A ticket nobody can take (e.g. no Korean speaker free) does not block the ones
 * behind it.
 *
 * @example
 * const next = nextFromQueue(waiting, agents, load, "least_loaded");
 * if (next) await desk.assign(next.ticket.id, next.assignment.agentId);
 */
export function nextFromQueue<T extends QueuedTicket>(
  queue: readonly T[],
  agents: readonly RoutingAgent[],
  load: AgentLoad,
  strategy: RoutingStrategy,
  options: AssignOptions = {},
): { ticket: T; assignment: Extract<Assignment, { type: "assigned" }> } | null {
  for (const ticket of [...queue].sort(compareQueued)) {
    const assignment = assignTicket(ticket, agents, load, strategy, options);
    if (assignment.type === "assigned") return { ticket, assignment };
  }
  return null;
}
