/** The routing plugin's keyed records: agents, per-agent load counters, the waiting queue. */
import { StoredeskError } from "../../../errors.js";
import type { KeyedRecord } from "../../../ports/store.js";
import type { PluginRecords } from "../../../ports/desk-plugin.js";
import type { Priority } from "../../../domain/enums.js";
import type { AgentLoad, RoutingAgent } from "../../../routing/routing-agent.js";
import type { QueuedTicket } from "../../../routing/next-from-queue.js";

/** Record namespaces (stored as `routing.<namespace>`). */
export const ROUTING_NS = {
  agents: "agents",
  registry: "registry",
  load: "load",
  queue: "queue",
  cursor: "cursor",
  lastAgent: "last-agent",
} as const;

/** A stored agent: the routing view plus the name and role the desk's `agents` option carries. */
export type StoredAgent = RoutingAgent & { name?: string | null; role?: string | null };

/** A queue entry as stored (dates as ISO strings). */
export interface StoredQueueEntry {
  ticketId: string;
  priority: Priority;
  channel: string;
  language: string;
  category: string;
  team: string | null;
  waitingSince: string;
}

/** Every stored agent. */
export async function listAgents(records: PluginRecords): Promise<StoredAgent[]> {
  return (await records.list(ROUTING_NS.agents)).map((r) => r.value as StoredAgent);
}

/**
 * Marks the registry changed (after an agent was written): every instance's cached agent list is
 * re-read on its next routing decision. `now` is the desk's clock (the record says when, in ms).
 *
 * @example
 * await touchRegistry(records, desk.clock.now());
 */
export async function touchRegistry(records: PluginRecords, now: Date): Promise<void> {
  await records.put({ namespace: ROUTING_NS.registry, key: "version", value: { changedAt: now.getTime() } });
}

/**
 * The agent list through a per-instance cache keyed by the registry's version record: one record
 * read per routing decision instead of every agent, re-read when any instance changed an agent.
 *
 * @example
 * const cache = agentCache();
 * const agents = await cache.read(tx);
 */
export function agentCache(): { read(records: PluginRecords): Promise<StoredAgent[]> } {
  let cached: { version: number; agents: StoredAgent[] } | null = null;
  return {
    async read(records) {
      const version = (await records.get(ROUTING_NS.registry, "version"))?.version ?? 0;
      if (cached?.version === version) return cached.agents;
      const agents = await listAgents(records);
      cached = { version, agents };
      return agents;
    },
  };
}

/** Open tickets per agent per channel, with each counter's record version (null: no record yet). */
export async function readLoad(records: PluginRecords): Promise<{ load: AgentLoad; versions: Map<string, number> }> {
  const rows = await records.list(ROUTING_NS.load);
  return {
    load: Object.fromEntries(rows.map((r) => [r.key, r.value as Record<string, number>])),
    versions: new Map(rows.map((r) => [r.key, r.version])),
  };
}

/** A per-instance copy of the load counters (see {@link loadCache}). */
export interface LoadCache {
  /** The counters and their versions: the copy, or a fresh read when it is older than its age limit. */
  read(records: PluginRecords): Promise<{ load: AgentLoad; versions: Map<string, number> }>;
  /** A fresh read, always (after a lost compare-and-set, or to confirm a ticket must wait). */
  refresh(records: PluginRecords): Promise<{ load: AgentLoad; versions: Map<string, number> }>;
  /** Whether the last {@link LoadCache.read} read the store. */
  readonly fresh: boolean;
  /** Records a counter this instance wrote. */
  wrote(agentId: string, record: KeyedRecord): void;
}

/**
 * The load counters through a per-instance copy, re-read from the store every `maxAgeMs`
 * (default 1 s) instead of on every routing decision (500 agents: 500 records per new ticket).
 * The copy's age is measured on the wall clock (`nowMs`, default `Date.now`), not the desk's:
 * it bounds how long this process trusts a copy that other instances may have made stale, which
 * is real elapsed time; nothing it measures is stored.
 * A stale copy can only cost a retry, never an over-assignment: the decision's counter is
 * written compare-and-set on the version the copy holds, and a lost compare-and-set (another
 * instance counted, or a transaction of ours rolled back) re-reads everything. A ticket the copy
 * says must wait is confirmed on a fresh read first.
 *
 * @example
 * const loads = loadCache();
 * const { load, versions } = await loads.read(tx);
 */
export function loadCache(maxAgeMs = 1000, nowMs: () => number = Date.now): LoadCache {
  let load: Record<string, Record<string, number>> = {};
  let versions = new Map<string, number>();
  let readAt = Number.NEGATIVE_INFINITY;
  let fresh = false;
  const refresh = async (records: PluginRecords) => {
    const read = await readLoad(records);
    load = { ...read.load } as Record<string, Record<string, number>>;
    versions = read.versions;
    readAt = nowMs();
    fresh = true;
    return { load, versions };
  };
  return {
    read(records) {
      if (nowMs() - readAt >= maxAgeMs) return refresh(records);
      fresh = false;
      return Promise.resolve({ load, versions });
    },
    refresh,
    get fresh() {
      return fresh;
    },
    wrote(agentId, record) {
      load[agentId] = record.value as Record<string, number>;
      versions.set(agentId, record.version);
    },
  };
}

/**
 * Adds `delta` to an agent's open tickets on a channel, compare-and-set on the counter's version
 * (`expected`, or the version read here): two transactions counting the same agent at once
 * conflict and one retries, so the counter never loses an update and a full agent is never
 * counted below capacity.
 *
 * @example
 * await bumpLoad(tx, "minji", "webchat", +1);
 */
export async function bumpLoad(
  records: PluginRecords,
  agentId: string,
  channel: string,
  delta: number,
  expected?: number | null,
): Promise<KeyedRecord> {
  const current = await records.get(ROUTING_NS.load, agentId);
  const version = current?.version ?? null;
  if (expected !== undefined && expected !== version) {
    throw new StoredeskError({
      code: "CONFLICT",
      message: `Load of agent ${agentId} changed since routing decided`,
      details: { duplicate: true, stale: true },
    });
  }
  const counts = { ...((current?.value as Record<string, number> | undefined) ?? {}) };
  counts[channel] = Math.max(0, (counts[channel] ?? 0) + delta);
  return records.put({ namespace: ROUTING_NS.load, key: agentId, value: counts }, version);
}

/**
 * True for a compare-and-set the store refused without failing the transaction (our own
 * version check, or the store's CAS answer). A server-side conflict (deadlock, serialization
 * failure) carries the driver's error as `cause`: the transaction is aborted then, and only a
 * retry of the whole transaction helps.
 *
 * @example
 * if (lostCompareAndSet(error)) continue;
 */
export function lostCompareAndSet(error: unknown): boolean {
  return StoredeskError.is(error, "CONFLICT") && (error as { cause?: unknown }).cause === undefined;
}

/**
 * {@link bumpLoad} again on a conflict, re-reading the counter: inside a transaction the store
 * reports a lost compare-and-set without aborting it, so a busy counter (many tickets routed to
 * one agent at once, on several instances) is retried here instead of failing the whole write.
 *
 * @example
 * await bumpLoadRetrying(tx, "minji", "webchat", -1);
 */
export async function bumpLoadRetrying(
  records: PluginRecords,
  agentId: string,
  channel: string,
  delta: number,
): Promise<KeyedRecord> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bumpLoad(records, agentId, channel, delta);
    } catch (error) {
      if (!lostCompareAndSet(error) || attempt >= 100) throw error;
    }
  }
}

/** The waiting queue, as routing reads it. */
export async function readQueue(records: PluginRecords): Promise<QueuedTicket[]> {
  return (await records.list(ROUTING_NS.queue)).map((r) => {
    const e = r.value as StoredQueueEntry;
    return {
      id: e.ticketId,
      priority: e.priority,
      channel: e.channel,
      language: e.language,
      category: e.category as QueuedTicket["category"],
      team: e.team,
      waitingSince: new Date(e.waitingSince),
    };
  });
}
