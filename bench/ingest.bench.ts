/**
 * Ingest throughput through the whole desk pipeline (validation, customer
 * find-or-create, threading, classification, SLA, audit log, auto-ack through
 * an in-process channel) on the memory store, against a baseline that only does
 * the raw Map writes of the same messages.
 */
import { createDesk, memoryStore, manualClock, type InboundEventInput } from "../packages/core/src/index.js";
import { loadavg } from "node:os";
import { memoryChannel } from "../packages/core/src/testing/memory-channel.js";

const TEXTS = [
  "주문한 상품 배송이 언제 오나요? 운송장 번호 알려주세요",
  "Where is my order #1042? It hasn't arrived yet",
  "사이즈가 작아서 교환하고 싶어요",
  "I was charged twice on my card, please check",
  "정말 최악이네요. 파손된 상품이 왔는데 연락도 없어요!!!",
  "Is the linen shirt in stock in medium?",
];

function events(count: number, customers: number): InboundEventInput[] {
  const t0 = Date.parse("2026-03-02T01:00:00Z");
  return Array.from({ length: count }, (_, i) => ({
    type: "message" as const,
    channel: "webchat",
    externalId: `bench-${i}`,
    occurredAt: new Date(t0 + i * 1000),
    from: {
      identities: [{ kind: "webchat" as const, value: `visitor-${i % customers}` }],
      name: `Customer ${i % customers}`,
    },
    text: TEXTS[i % TEXTS.length]!,
    conversationKey: `chat-${i % customers}`,
  }));
}

/** Wall seconds, and the process's CPU seconds (on a loaded machine the wall clock also counts waiting for a core). */
let lastCpu = 0;
async function timeIt(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  lastCpu = (used.user + used.system) / 1e6;
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Raw baseline: the Map writes a store must do at minimum for each message. */
async function rawMapWrites(list: InboundEventInput[]): Promise<void> {
  const customers = new Map<string, unknown>();
  const tickets = new Map<string, unknown>();
  const messages = new Map<string, unknown>();
  const byExternal = new Map<string, string>();
  for (const [i, e] of list.entries()) {
    if (e.type !== "message") continue;
    const key = `${e.from.identities[0]!.kind}:${e.from.identities[0]!.value}`;
    if (!customers.has(key)) customers.set(key, { id: key, identities: e.from.identities });
    if (!tickets.has(e.conversationKey!)) tickets.set(e.conversationKey!, { id: `t${i}`, customer: key });
    messages.set(`m${i}`, { ...e });
    byExternal.set(`${e.channel}:${e.externalId}`, `m${i}`);
    await Promise.resolve(); // the store API is async: one microtask per message is the floor
  }
}

export async function run(): Promise<void> {
  const N = Number(process.env.BENCH_INGEST_N ?? 20_000);
  const list = events(N, Math.max(1, Math.floor(N / 4)));
  // Warm-up so both sides run JIT-compiled code.
  await rawMapWrites(events(2000, 500));
  const warm = createDesk({
    store: memoryStore(),
    clock: manualClock(new Date("2026-03-02T01:00:00Z")),
    channels: [memoryChannel({ id: "webchat" })],
  });
  for (const e of events(2000, 500)) await warm.ingest(e);

  const raw = await timeIt(() => rawMapWrites(list));
  const desk = createDesk({
    store: memoryStore(),
    clock: manualClock(new Date("2026-03-02T01:00:00Z")),
    channels: [memoryChannel({ id: "webchat" })],
  });
  const full = await timeIt(async () => {
    for (const e of list) await desk.ingest(e);
  });
  const fullCpu = lastCpu;
  const rawRate = N / raw;
  const deskRate = N / full;
  console.log(`messages: ${N} (${(list.length / 4) | 0} customers, 4 messages each: 1 new ticket + 3 threaded)`);
  console.log(`raw Map writes      : ${Math.round(rawRate).toLocaleString("en-US")} messages/s`);
  console.log(`createDesk.ingest   : ${Math.round(deskRate).toLocaleString("en-US")} messages/s (one core)`);
  console.log(
    `  per CPU-second    : ${Math.round(N / fullCpu).toLocaleString("en-US")} messages (CPU time of the process; load ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log(`ratio desk/raw      : ${(deskRate / rawRate).toFixed(4)}  (goal: desk ≥ 20,000 messages/s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
