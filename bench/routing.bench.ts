/**
 * Routing benchmark: assignTicket decisions with 500 agents over 10,000 open tickets (load kept
 * up to date as tickets are assigned), and nextFromQueue over a queue of 10,000 waiting tickets.
 * Run: node --conditions=storedesk-source --import tsx bench/routing.bench.ts
 */
import { pathToFileURL } from "node:url";
import type { Priority } from "../packages/core/src/domain/enums.js";
import type { AgentLoad, QueuedTicket, RoutingAgent, RoutingStrategy } from "../packages/core/src/routing/index.js";
import { assignTicket, compareQueued, defineRoutingAgent, nextFromQueue } from "../packages/core/src/routing/index.js";

const AGENTS = 500;
const TICKETS = 10_000;
const QUEUE_CALLS = 200;
const TEAMS = ["refunds", "shipping", "product", "payment", "vip"];
const CATEGORIES = ["refund_exchange", "shipping", "product", "payment", "order_change", "other"] as const;
const CHANNELS = ["webchat", "email", "kakao", "whatsapp"];
const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];

/** Small deterministic PRNG (mulberry32), so every run measures the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function agents(rnd: () => number): RoutingAgent[] {
  return Array.from({ length: AGENTS }, (_, i) =>
    defineRoutingAgent({
      id: `agent-${String(i).padStart(3, "0")}`,
      teams: [pick(rnd, TEAMS), pick(rnd, TEAMS)],
      skills: {
        languages: rnd() < 0.3 ? ["ko", "en"] : [rnd() < 0.7 ? "ko" : "en"],
        categories: [pick(rnd, CATEGORIES)],
      },
      presence: rnd() < 0.8 ? "online" : rnd() < 0.5 ? "away" : "offline",
      capacity: { webchat: 8, kakao: 8, whatsapp: 8, email: 20 },
    }),
  );
}

function tickets(rnd: () => number): QueuedTicket[] {
  return Array.from({ length: TICKETS }, (_, i) => ({
    id: `t${i}`,
    channel: pick(rnd, CHANNELS),
    language: rnd() < 0.7 ? "ko" : "en",
    category: pick(rnd, CATEGORIES),
    team: rnd() < 0.8 ? pick(rnd, TEAMS) : null,
    priority: pick(rnd, PRIORITIES),
    waitingSince: new Date(Date.UTC(2026, 11, 1) + Math.floor(rnd() * 86_400_000)),
    lastAgentId: rnd() < 0.3 ? `agent-${String(Math.floor(rnd() * AGENTS)).padStart(3, "0")}` : null,
  }));
}

function assignAll(
  ts: QueuedTicket[],
  as: RoutingAgent[],
  strategy: RoutingStrategy,
): { ms: number; assigned: number } {
  const load: Record<string, Record<string, number>> = {};
  let cursor: string | null = null;
  let assigned = 0;
  const t0 = performance.now();
  for (const t of ts) {
    const d = assignTicket(t, as, load, strategy, { require: ["language"], cursor });
    if (d.type === "assigned") {
      const l = (load[d.agentId] ??= {});
      l[t.channel] = (l[t.channel] ?? 0) + 1;
      cursor = d.agentId;
      assigned++;
    }
  }
  return { ms: performance.now() - t0, assigned };
}

// Baseline: the least any decision must do, one pass over the agents reading presence and load.
function scanAll(ts: QueuedTicket[], as: RoutingAgent[]): number {
  const load: AgentLoad = {};
  let sink = 0;
  const t0 = performance.now();
  for (const t of ts) for (const a of as) if (a.presence === "online" && (load[a.id]?.[t.channel] ?? 0) < 8) sink++;
  const ms = performance.now() - t0;
  if (sink === -1) console.log("");
  return ms;
}

function us(ms: number, n: number): string {
  return `${((ms * 1000) / n).toFixed(1)} µs/decision`;
}

export async function run(): Promise<void> {
  const rnd = prng(7);
  const as = agents(rnd);
  const ts = tickets(rnd);
  assignAll(ts.slice(0, 1000), as, "least_loaded"); // warm up
  scanAll(ts.slice(0, 1000), as);
  const baseMs = scanAll(ts, as);
  console.log(`Routing bench: ${AGENTS} agents, ${TICKETS.toLocaleString("en-US")} open tickets, language required`);
  console.log(`  baseline (one presence+load pass over the agents)  ${baseMs.toFixed(0)} ms, ${us(baseMs, TICKETS)}`);
  for (const strategy of ["least_loaded", "skills_first", "round_robin", "last_agent"] as const) {
    const r = assignAll(ts, as, strategy);
    console.log(
      `  assignTicket ${strategy.padEnd(13)} ${r.ms.toFixed(0)} ms, ${us(r.ms, TICKETS)}, ` +
        `${(r.ms / baseMs).toFixed(1)}× baseline, ` +
        `${r.assigned.toLocaleString("en-US")} assigned, ${TICKETS - r.assigned} queued`,
    );
  }

  // Queue: everyone full except a few agents, so nextFromQueue has to look past many tickets.
  const full: Record<string, Record<string, number>> = {};
  for (const a of as) full[a.id] = { webchat: 8, kakao: 8, whatsapp: 8, email: 20 };
  for (const a of as.slice(0, 5)) full[a.id] = { webchat: 0, kakao: 0, whatsapp: 0, email: 0 };
  let t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < QUEUE_CALLS; i++) sink += [...ts].sort(compareQueued).length;
  const sortMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < QUEUE_CALLS; i++)
    sink += nextFromQueue(ts, as, full, "least_loaded", { require: ["language"] }) ? 1 : 0;
  const queueMs = performance.now() - t0;
  console.log(`  sort of the queue (baseline)        ${(sortMs / QUEUE_CALLS).toFixed(2)} ms/call`);
  console.log(
    `  nextFromQueue, 5 of 500 agents free ${(queueMs / QUEUE_CALLS).toFixed(2)} ms/call, ` +
      `${(queueMs / sortMs).toFixed(2)}× the sort`,
  );
  if (sink === 42) console.log("");
  await runThroughDesk();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();

/**
 * Through the desk: the same 500 agents in the routing plugin's records (memory store), 10,000
 * tickets ingested and routed (the registry version and the chosen agent's counter read, the
 * decision over the instance's copies, the compare-and-set count), against the same ingests on a
 * desk without the routing plugin.
 */
export async function runThroughDesk(): Promise<void> {
  const { createDesk, manualClock, memoryStore, routingPlugin } = await import("../packages/core/src/index.js");
  const { memoryChannel } = await import("../packages/core/src/testing/index.js");
  const rnd = prng(11);
  const as = agents(rnd);
  const ingestAll = async (withRouting: boolean): Promise<{ ms: number; lastMs: number; assigned: number }> => {
    const clock = manualClock(new Date("2026-12-01T01:00:00Z"));
    const desk = createDesk({
      store: memoryStore(),
      clock,
      autoAcknowledge: false,
      channels: CHANNELS.map((id) => memoryChannel({ id })),
      plugins: withRouting ? [routingPlugin({ require: ["language"] })] : [],
    });
    if (withRouting && "routing" in desk) {
      const routing = (desk as unknown as { routing: { agents: { upsert(a: RoutingAgent): Promise<unknown> } } })
        .routing;
      for (const a of as) await routing.agents.upsert(a);
    }
    const r = prng(13);
    let assigned = 0;
    let lastStart = 0;
    const t0 = performance.now();
    for (let i = 0; i < TICKETS; i++) {
      if (i === TICKETS - 1000) lastStart = performance.now();
      const ko = r() < 0.7;
      const { ticket } = await desk.ingest({
        type: "message",
        channel: pick(r, CHANNELS),
        externalId: `b${i}`,
        occurredAt: clock.now(),
        conversationKey: `b${i}`,
        from: { identities: [{ kind: "email", value: `c${i}@example.com` }] },
        text: ko ? "주문한 상품 문의드립니다" : "question about my order",
      });
      if (ticket?.assigneeId) assigned++;
    }
    const end = performance.now();
    await desk.close();
    return { ms: end - t0, lastMs: end - lastStart, assigned };
  };
  const without = await ingestAll(false);
  const routed = await ingestAll(true);
  const perIngest = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(0)} µs/ingest`;
  const pure = assignAll(tickets(prng(7)), as, "least_loaded");
  console.log(
    `Routing through the desk (memory store): ${AGENTS} agents, ${TICKETS.toLocaleString("en-US")} tickets ingested`,
  );
  console.log(
    `  ingest without routing (baseline)   ${perIngest(without.ms, TICKETS)}; last 1,000: ${perIngest(without.lastMs, 1000)}`,
  );
  console.log(
    `  ingest with routing                 ${perIngest(routed.ms, TICKETS)}; last 1,000: ${perIngest(routed.lastMs, 1000)}; ` +
      `${(routed.ms / without.ms).toFixed(2)}× baseline, ${routed.assigned.toLocaleString("en-US")} assigned, ${(TICKETS - routed.assigned).toLocaleString("en-US")} queued`,
  );
  const added = (routed.ms - without.ms) / TICKETS;
  console.log(
    `  routing's share per ingest          ${(added * 1000).toFixed(0)} µs vs the pure least_loaded decision ${((pure.ms * 1000) / TICKETS).toFixed(1)} µs ` +
      `(${(added / (pure.ms / TICKETS)).toFixed(1)}×; agents and load counters from the instance's copies, one counter read and write per ticket)`,
  );
}
