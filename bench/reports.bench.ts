/**
 * Reports benchmark: computeReport over 1,000,000 generated audit events in memory (125,000
 * tickets of 8 events), against one plain grouped count (tickets by category) over the same
 * array in the same run. Run: npx -y pnpm@12.4.2 bench reports
 */
import { pathToFileURL } from "node:url";
import type { TicketEvent } from "../packages/core/src/domain/event.js";
import { computeReport, factsByTicket } from "../packages/core/src/reports/index.js";

const EVENTS = 1_000_000;
const PER_TICKET = 8;
const MIN = 60_000;
const CATEGORIES = ["product", "shipping", "refund_exchange", "order_change", "payment", "complaint", "other"];
const CHANNELS = ["email", "whatsapp", "messenger", "webchat"];
const AGENTS = ["kim", "lee", "park", "choi"];

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

function history(): TicketEvent[] {
  const rnd = prng(15);
  const out: TicketEvent[] = [];
  const start = Date.UTC(2026, 9, 1);
  const system = { kind: "system" as const, id: null };
  for (let t = 0; out.length < EVENTS; t++) {
    const ticketId = `t${t}`;
    const at = start + Math.floor(rnd() * 60 * 24 * 60) * MIN;
    const agent = { kind: "agent" as const, id: AGENTS[t % AGENTS.length]! };
    const channel = CHANNELS[Math.floor(rnd() * CHANNELS.length)]!;
    const reply = at + Math.floor(rnd() * 600) * MIN;
    const solved = reply + Math.floor(rnd() * 3000) * MIN;
    const breached = rnd() < 0.1;
    const steps: [number, string, Record<string, unknown>, TicketEvent["actor"]][] = [
      [at, "ticket.created", { status: "new", priority: "normal", category: CATEGORIES[t % CATEGORIES.length], channel, tags: [] }, system],
      [at, "message.received", { channel }, system],
      [at, "sla.applied", { policyId: "standard" }, system],
      [at + MIN, "ack.sent", { channel, authorKind: "system", automatic: true }, system],
      [reply, "reply.sent", { channel, authorKind: "agent", automatic: false }, agent],
      [reply, breached ? "sla.breached" : "sla.fulfilled", { metric: "first_reply" }, system],
      [solved, "status.changed", { from: "open", to: "solved" }, agent],
      [solved, "sla.fulfilled", { metric: "resolution" }, system],
    ];
    steps.forEach(([ms, type, data, actor], i) => out.push({ id: `${ticketId}-${i}`, ticketId, seq: i + 1, type, at: new Date(ms), actor, data }));
  }
  return out;
}

/** The baseline: one grouped count, the cheapest pass that still reads every event. */
function groupedCount(events: readonly TicketEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.type !== "ticket.created") continue;
    const c = e.data.category as string;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

function time<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const value = fn();
  return [performance.now() - t0, value];
}

/** Runs the benchmark and prints the figures. */
export async function run(): Promise<void> {
  const [genMs, events] = time(history);
  console.log(`generated ${events.length.toLocaleString("en")} events (${events.length / PER_TICKET} tickets) in ${genMs.toFixed(0)} ms`);
  groupedCount(events); // warm-up
  computeReport(events.slice(0, 80_000), { timeZone: "Asia/Seoul" });
  const base: number[] = [];
  const full: number[] = [];
  let report: ReturnType<typeof computeReport> | null = null;
  for (let i = 0; i < 3; i++) {
    base.push(time(() => groupedCount(events))[0]);
    const [ms, r] = time(() => computeReport(events, { timeZone: "Asia/Seoul" }));
    full.push(ms);
    report = r;
  }
  const [foldMs] = time(() => factsByTicket(events));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const b = median(base);
  const f = median(full);
  console.log(`baseline grouped count: ${b.toFixed(1)} ms (${((events.length / b) * 1000 / 1e6).toFixed(1)} M events/s)`);
  console.log(`computeReport (Asia/Seoul, calendar time): ${f.toFixed(0)} ms (${((events.length / f) * 1000 / 1e6).toFixed(2)} M events/s)`);
  console.log(`  of which grouping and folding the log (factsByTicket): ${foldMs.toFixed(0)} ms`);
  console.log(`ratio computeReport / baseline: ${(f / b).toFixed(1)}x (median of 3)`);
  console.log(`check: ${report!.tickets} tickets, first reply median ${(report!.firstReply.medianMs! / MIN).toFixed(1)} min,`
    + ` SLA first_reply ${(report!.sla.find((s) => s.metric === "first_reply")!.rate! * 100).toFixed(1)}%`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
