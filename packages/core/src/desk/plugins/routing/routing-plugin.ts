/**
 * The routing plugin: an agent registry (`desk.routing.agents.*`, seeded from the desk's
 * `agents` option), assignment of new tickets by strategy, skills and per-channel capacity, and
 * a real queue served the moment capacity frees. Decisions are `assignTicket` / `nextFromQueue`
 * of `core/src/routing`; this plugin keeps the agents, load counters and queue in its records.
 *
 * @example
 * const desk = createDesk({ store, agents: [{ id: "minji", role: "agent", team: "refunds" }],
 *   plugins: [rulesPlugin(), routingPlugin({ strategy: "least_loaded", require: ["language"] })] });
 * await desk.routing.agents.setPresence("minji", "online");
 */
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import { defineDeskPlugin, type DeskPlugin, type PluginDesk, type PluginRecords } from "../../../ports/desk-plugin.js";
import { assignTicket, type AssignOptions, type RoutingStrategy } from "../../../routing/assign-ticket.js";
import { compareQueued, nextFromQueue, type QueuedTicket } from "../../../routing/next-from-queue.js";
import { defineRoutingAgent, type AgentLoad, type RoutingAgentInput } from "../../../routing/routing-agent.js";
import type { Desk } from "../../types.js";
import {
  agentCache,
  bumpLoad,
  bumpLoadRetrying,
  listAgents,
  loadCache,
  lostCompareAndSet,
  touchRegistry,
  readLoad,
  readQueue,
  ROUTING_NS,
  type StoredAgent,
  type StoredQueueEntry,
} from "./routing-records.js";

/** Options of {@link routingPlugin}. */
export interface RoutingPluginOptions {
  /** Default `least_loaded`. */
  strategy?: RoutingStrategy;
  /** Skills an agent must have, not just prefer (e.g. `["language"]`). */
  require?: AssignOptions["require"];
  /** How agents seeded from `createDesk({ agents })` start (default online, 10 tickets on any channel). */
  seed?: { presence?: "online" | "away" | "offline"; capacity?: Record<string, number> };
}

/** `desk.routing.*` (`desk.agents` is the desk's read-only map of the `agents` option, so the registry lives here). */
export interface RoutingMethods {
  agents: {
    /** Adds or replaces an agent (validated); an agent coming online or gaining capacity is served from the queue at once. */
    upsert(input: RoutingAgentInput & { name?: string | null; role?: string | null }): Promise<StoredAgent>;
    get(id: string): Promise<StoredAgent | null>;
    list(): Promise<StoredAgent[]>;
    remove(id: string): Promise<boolean>;
    /** Presence as the app sets it; only `online` agents are routed to. */
    setPresence(id: string, presence: "online" | "away" | "offline"): Promise<StoredAgent>;
    /** Open tickets an agent takes per channel (`"*"` for the others). */
    setCapacity(id: string, capacity: Record<string, number>): Promise<StoredAgent>;
  };
  /** Open tickets per agent per channel, as counted. */
  load(): Promise<AgentLoad>;
  /** The waiting tickets in the order they are served (highest priority, then longest waiting). */
  queue(): Promise<QueuedTicket[]>;
  /** Assigns waiting tickets while some agent can take one; returns how many. */
  drain(): Promise<number>;
  /** Waits for queue work this instance started after a commit. */
  settle(): Promise<void>;
}

/** Job type serving the queue (scheduled when capacity frees, as a backup to the immediate drain). */
export const DRAIN_JOB = "routing.drain";

const DONE = new Set(["solved", "closed"]);
const ACTOR = { kind: "system" as const, id: "routing" };

function loadKey(ticket: Ticket): string | null {
  return ticket.assigneeId && !DONE.has(ticket.status) ? `${ticket.assigneeId}|${ticket.channel}` : null;
}

/**
 * Creates the routing plugin. Register it after `rulesPlugin()` so triggers can set the team first.
 *
 * @example
 * createDesk({ store, plugins: [routingPlugin({ strategy: "skills_first" })] });
 */
export function routingPlugin(options: RoutingPluginOptions = {}): DeskPlugin<"routing", RoutingMethods> {
  const strategy = options.strategy ?? "least_loaded";
  const assignOptions: AssignOptions = { ...(options.require ? { require: options.require } : {}) };
  let desk!: Desk & PluginDesk;
  let storeRecords!: PluginRecords;
  let seeded = false;
  let ready: Promise<void> = Promise.resolve();
  const inflight = new Set<Promise<unknown>>();
  let draining: Promise<number> | null = null;
  let drainAgain = false;
  const agentsCached = agentCache();
  const loads = loadCache();

  function seedAgent(a: { id: string; name?: string; role: string; team?: string | null }): StoredAgent {
    return {
      ...defineRoutingAgent({
        id: a.id,
        teams: a.team ? [a.team] : [],
        presence: options.seed?.presence ?? "online",
        capacity: options.seed?.capacity ?? { "*": 10 },
      }),
      name: a.name ?? null,
      role: a.role,
    };
  }

  async function seedIn(records: PluginRecords): Promise<void> {
    if (seeded) return;
    for (const a of desk.agents.values()) {
      if (!(await records.get(ROUTING_NS.agents, a.id))) {
        await records.put({ namespace: ROUTING_NS.agents, key: a.id, value: seedAgent(a) }, null);
        await touchRegistry(records, desk.clock.now());
      }
    }
  }

  function track<T>(work: Promise<T>): void {
    const p = work
      .catch((error: unknown) =>
        desk.emit("plugin.routing.error", { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }

  async function drainOnce(): Promise<number> {
    let assigned = 0;
    for (let guard = 0; guard < 10_000; guard++) {
      const queue = await readQueue(storeRecords);
      if (queue.length === 0) break;
      const [agents, { load, versions }] = [await listAgents(storeRecords), await readLoad(storeRecords)];
      const next = nextFromQueue(queue, agents, load, strategy, assignOptions);
      if (!next) break;
      const agentId = next.assignment.agentId;
      const loadVersion = versions.get(agentId) ?? null;
      try {
        const saved = await desk.decide(
          next.ticket.id,
          (t, now) =>
            t.assigneeId || DONE.has(t.status)
              ? undefined
              : {
                  ticket: {
                    assigneeId: agentId,
                    status: t.status === "new" ? "open" : t.status,
                    meta: { routingClaim: { agentId, loadVersion } },
                  },
                  events: [
                    {
                      type: "assigned",
                      data: { from: null, to: agentId, fromTeam: t.team, toTeam: t.team, reason: "routing.queue" },
                    },
                    {
                      type: "routing.assigned",
                      data: {
                        agentId,
                        strategy: next.assignment.strategy,
                        reason: next.assignment.reason,
                        fromQueue: true,
                        waitedMs: now.getTime() - next.ticket.waitingSince.getTime(),
                      },
                    },
                  ],
                },
          ACTOR,
        );
        if (saved.assigneeId === agentId) assigned++;
        // Assigned by someone else (or solved) meanwhile: the entry is stale.
        if (saved.assigneeId !== null || DONE.has(saved.status)) await storeRecords.delete(ROUTING_NS.queue, saved.id);
      } catch (error) {
        if (StoredeskError.is(error, "NOT_FOUND")) await storeRecords.delete(ROUTING_NS.queue, next.ticket.id);
        else if (!StoredeskError.is(error, "CONFLICT")) throw error;
        // CONFLICT: another instance took that capacity first; decide again on fresh counts.
      }
    }
    return assigned;
  }

  /** One drain at a time per instance; a request arriving meanwhile runs one more round after it. */
  function drain(): Promise<number> {
    if (draining) {
      drainAgain = true;
      return draining;
    }
    draining = (async () => {
      await ready;
      let total = 0;
      do {
        drainAgain = false;
        total += await drainOnce();
      } while (drainAgain);
      return total;
    })().finally(() => {
      draining = null;
    });
    return draining;
  }

  async function updateAgent(id: string, change: (a: StoredAgent) => StoredAgent): Promise<StoredAgent> {
    await ready;
    const record = await storeRecords.get(ROUTING_NS.agents, id);
    if (!record) throw new StoredeskError({ code: "NOT_FOUND", message: `No agent "${id}"`, path: ["id"] });
    const next = change(record.value as StoredAgent);
    const parsed = {
      ...defineRoutingAgent({
        id,
        teams: next.teams,
        skills: next.skills,
        presence: next.presence,
        capacity: next.capacity,
      }),
      name: next.name ?? null,
      role: next.role ?? null,
    };
    await storeRecords.put({ namespace: ROUTING_NS.agents, key: id, value: parsed }, record.version);
    await touchRegistry(storeRecords, desk.clock.now());
    track(drain());
    return parsed;
  }

  return defineDeskPlugin({
    specVersion: 1,
    id: "routing",
    events: ["plugin.routing.error"],
    hooks: {
      ticketCreated: async ({ ticket, now, records }) => {
        if (ticket.assigneeId || DONE.has(ticket.status)) return undefined;
        await seedIn(records);
        const agents = await agentsCached.read(records);
        if (agents.length === 0) return undefined;
        const last =
          strategy === "last_agent"
            ? (((await records.get(ROUTING_NS.lastAgent, ticket.customerId))?.value as string | undefined) ?? null)
            : null;
        const cursor =
          strategy === "round_robin"
            ? (((await records.get(ROUTING_NS.cursor, "round_robin"))?.value as string | undefined) ?? null)
            : null;
        let decision: ReturnType<typeof assignTicket>;
        let stale = false;
        for (let attempt = 1; ; attempt++) {
          const { load, versions } = stale ? await loads.refresh(records) : await loads.read(records);
          decision = assignTicket({ ...ticket, lastAgentId: last }, agents, load, strategy, {
            ...assignOptions,
            cursor,
          });
          if (decision.type === "queued") {
            if (loads.fresh) break;
            stale = true; // no agent free by the instance's copy of the counts: confirm on the store's
            continue;
          }
          try {
            // Counted here, compare-and-set on the counts decided on: when a concurrent ingest
            // (or another instance) took that capacity first, decide again on fresh counts.
            const counted = await bumpLoad(
              records,
              decision.agentId,
              ticket.channel,
              +1,
              versions.get(decision.agentId) ?? null,
            );
            loads.wrote(decision.agentId, counted);
            break;
          } catch (error) {
            if (!lostCompareAndSet(error) || attempt >= 100) throw error;
            stale = true;
          }
        }
        if (decision.type === "queued") {
          const entry: StoredQueueEntry = {
            ticketId: ticket.id,
            priority: ticket.priority,
            channel: ticket.channel,
            language: ticket.language,
            category: ticket.category,
            team: ticket.team,
            waitingSince: now.toISOString(),
          };
          await records.put({ namespace: ROUTING_NS.queue, key: ticket.id, value: entry });
          return {
            ticket: { meta: { routingQueued: true } },
            events: [{ type: "routing.queued", data: { reason: decision.reason, team: ticket.team } }],
          };
        }
        if (strategy === "round_robin")
          await records.put({ namespace: ROUTING_NS.cursor, key: "round_robin", value: decision.agentId });
        return {
          ticket: {
            assigneeId: decision.agentId,
            status: ticket.status === "new" ? "open" : ticket.status,
            meta: { routingLoad: `${decision.agentId}|${ticket.channel}` },
          },
          events: [
            {
              type: "assigned",
              data: { from: null, to: decision.agentId, fromTeam: ticket.team, toTeam: ticket.team, reason: "routing" },
            },
            {
              type: "routing.assigned",
              data: { agentId: decision.agentId, strategy: decision.strategy, reason: decision.reason },
            },
          ],
        };
      },
      ticketSaving: async ({ before, ticket, now, records }) => {
        const meta: Record<string, unknown> = {};
        const events: Array<{ type: string; data: Record<string, unknown> }> = [];
        let freed = false;
        const desired = loadKey(ticket);
        const claim = ticket.meta["routingClaim"] as { agentId: string; loadVersion: number | null } | null | undefined;
        let recorded = (ticket.meta["routingLoad"] as string | null | undefined) ?? null;
        if (claim) {
          // A queue assignment decided on counts read outside this transaction: only if unchanged.
          loads.wrote(claim.agentId, await bumpLoad(records, claim.agentId, ticket.channel, +1, claim.loadVersion));
          meta["routingClaim"] = null;
          recorded = `${claim.agentId}|${ticket.channel}`;
          meta["routingLoad"] = recorded;
        }
        if (recorded !== desired) {
          if (recorded) {
            const [agentId, channel] = recorded.split("|") as [string, string];
            loads.wrote(agentId, await bumpLoadRetrying(records, agentId, channel, -1));
            freed = true;
            events.push({ type: "routing.capacity_freed", data: { agentId, channel } });
          }
          if (desired) {
            const [agentId, channel] = desired.split("|") as [string, string];
            // A manual assignment may exceed capacity, and counts.
            loads.wrote(agentId, await bumpLoadRetrying(records, agentId, channel, +1));
          }
          meta["routingLoad"] = desired;
        }
        if (ticket.meta["routingQueued"] === true) {
          if (ticket.assigneeId || DONE.has(ticket.status)) {
            await records.delete(ROUTING_NS.queue, ticket.id);
            meta["routingQueued"] = false;
          } else if (before && (before.priority !== ticket.priority || before.team !== ticket.team)) {
            const stored = await records.get(ROUTING_NS.queue, ticket.id);
            if (stored)
              await records.put(
                {
                  namespace: ROUTING_NS.queue,
                  key: ticket.id,
                  value: { ...(stored.value as StoredQueueEntry), priority: ticket.priority, team: ticket.team },
                },
                stored.version,
              );
          }
        }
        if (strategy === "last_agent" && ticket.assigneeId && before?.assigneeId !== ticket.assigneeId) {
          await records.put({ namespace: ROUTING_NS.lastAgent, key: ticket.customerId, value: ticket.assigneeId });
        }
        if (Object.keys(meta).length === 0 && events.length === 0) return undefined;
        return {
          ticket: { meta },
          events,
          effects: freed
            ? [
                {
                  type: "schedule",
                  job: { key: "routing:drain", type: DRAIN_JOB, ticketId: null, runAt: now, payload: {} },
                },
              ]
            : [],
        };
      },
    },
    jobs: {
      [DRAIN_JOB]: async () => {
        await drain();
      },
    },
    methods: ({ desk: pluginDesk, records }) => {
      desk = pluginDesk as Desk & PluginDesk;
      storeRecords = records;
      ready = (async () => {
        for (const a of desk.agents.values()) {
          if (await records.get(ROUTING_NS.agents, a.id)) continue;
          await records
            .put({ namespace: ROUTING_NS.agents, key: a.id, value: seedAgent(a) }, null)
            .catch((error: unknown) => {
              if (!StoredeskError.is(error, "CONFLICT")) throw error;
            });
          await touchRegistry(records, desk.clock.now());
        }
        seeded = true;
      })();
      ready.catch((error: unknown) =>
        desk.emit("plugin.routing.error", { error: error instanceof Error ? error.message : String(error) }),
      );
      // Capacity freed by a commit on this instance: serve the queue now (the drain job is the backup).
      desk.on("ticket.updated", ({ events }) => {
        if (events.some((e) => e.type === "routing.capacity_freed")) track(drain());
      });
      return {
        agents: {
          async upsert(input) {
            await ready;
            const agent = { ...defineRoutingAgent(input), name: input.name ?? null, role: input.role ?? null };
            await records.put({ namespace: ROUTING_NS.agents, key: agent.id, value: agent });
            await touchRegistry(records, desk.clock.now());
            track(drain());
            return agent;
          },
          get: async (id) => {
            await ready;
            return ((await records.get(ROUTING_NS.agents, id))?.value as StoredAgent | undefined) ?? null;
          },
          list: async () => {
            await ready;
            return listAgents(records);
          },
          remove: async (id) => {
            await ready;
            const removed = await records.delete(ROUTING_NS.agents, id);
            await touchRegistry(records, desk.clock.now());
            return removed;
          },
          setPresence: (id, presence) => updateAgent(id, (a) => ({ ...a, presence })),
          setCapacity: (id, capacity) => updateAgent(id, (a) => ({ ...a, capacity })),
        },
        load: async () => (await readLoad(records)).load,
        queue: async () => (await readQueue(records)).sort(compareQueued),
        drain,
        async settle() {
          while (inflight.size > 0 || draining) await Promise.all([...inflight, draining]);
        },
      };
    },
  });
}
