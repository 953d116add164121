/**
 * SLA engine benchmark: addBusinessTime against a minute-stepping reference on a Seoul calendar
 * with lunch breaks and a year of holidays, and evaluateSla throughput.
 * Run: node --conditions=storedesk-source --import tsx bench/sla.bench.ts
 */
import { pathToFileURL } from "node:url";
import { refAdd } from "../packages/core/src/calendar/minute-reference.js";
import type { TimeInterval } from "../packages/core/src/calendar/index.js";
import { addBusinessTime, defineCalendar } from "../packages/core/src/calendar/index.js";
import type { SlaHistoryEvent, TicketStatus } from "../packages/core/src/sla/index.js";
import {
  defaultSlaPolicies,
  evaluateSla,
  evaluateSlaFold,
  foldSlaEvent,
  forgetSlaBefore,
  startSlaFold,
} from "../packages/core/src/sla/index.js";

const MIN = 60_000;
const H = 60 * MIN;
const PAIRS = 1_000_000;
const REFERENCE_PAIRS = 100; // the reference is slow (Intl on every minute): ~90 ms a pair
const HISTORIES = 100_000;

const lunch: TimeInterval[] = [
  { start: "09:00", end: "12:00" },
  { start: "13:00", end: "18:00" },
];
/** Korean public holidays of 2025 (Seollal and Chuseok with substitute days). */
const seoul = defineCalendar({
  id: "seoul-office",
  timeZone: "Asia/Seoul",
  weekly: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch },
  holidays: [
    { yearly: "01-01", name: "New Year" },
    { from: "2025-01-28", to: "2025-01-30", name: "Seollal" },
    { yearly: "03-01", name: "Independence Movement Day" },
    { date: "2025-03-03", name: "Substitute holiday" },
    { yearly: "05-05", name: "Children's Day" },
    { date: "2025-05-06", name: "Buddha's Birthday (substitute)" },
    { date: "2025-06-03", name: "Presidential election" },
    { yearly: "06-06", name: "Memorial Day" },
    { yearly: "08-15", name: "Liberation Day" },
    { yearly: "10-03", name: "National Foundation Day" },
    { from: "2025-10-05", to: "2025-10-08", name: "Chuseok" },
    { yearly: "10-09", name: "Hangul Day" },
    { yearly: "12-25", name: "Christmas" },
  ],
});

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

// The deliberately simple minute-stepping reference, shared with the property tests.

// ---- Inputs

function starts(n: number, seed: number): Date[] {
  const rnd = prng(seed);
  const from = Date.UTC(2024, 11, 31, 15); // 2025-01-01 00:00 KST
  const out: Date[] = new Array<Date>(n);
  for (let i = 0; i < n; i++) out[i] = new Date(from + Math.floor(rnd() * 365 * 24 * 60) * MIN);
  return out;
}

function histories(n: number, seed: number): Array<{ history: SlaHistoryEvent[]; now: Date }> {
  const rnd = prng(seed);
  const categories = [
    "product",
    "shipping",
    "refund_exchange",
    "order_change",
    "payment",
    "complaint",
    "other",
  ] as const;
  const from = Date.UTC(2024, 11, 31, 15);
  const out: Array<{ history: SlaHistoryEvent[]; now: Date }> = [];
  for (let i = 0; i < n; i++) {
    let t = from + Math.floor(rnd() * 360 * 24 * 60) * MIN;
    const at = (): Date => new Date((t += Math.floor(1 + rnd() * 8 * 60) * MIN));
    const s = (status: TicketStatus): SlaHistoryEvent => ({ type: "status", at: at(), status });
    const msg = (inbound: boolean): SlaHistoryEvent => ({
      type: "message",
      at: at(),
      direction: inbound ? "inbound" : "outbound",
      authorKind: inbound ? "customer" : "agent",
      channel: "email",
      public: true,
    });
    const history: SlaHistoryEvent[] = [
      {
        type: "created",
        at: new Date(t),
        status: "new",
        priority: "normal",
        category: categories[Math.floor(rnd() * categories.length)]!,
        channel: "email",
        tags: [],
      },
      s("open"),
      msg(false),
      s("pending"),
      msg(true),
      s("open"),
      { type: "priority", at: at(), priority: rnd() < 0.5 ? "high" : "urgent" },
      msg(false),
      s("solved"),
      msg(true),
    ];
    out.push({ history, now: new Date(t + 24 * H) });
  }
  return out;
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString("en-US")}/s`;
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const pairs = starts(PAIRS, 1);
  const duration = 48 * H;
  // Warm up the JIT and the per-day cache (a year of day blocks).
  for (let i = 0; i < 20_000; i++) addBusinessTime(pairs[i]!, duration, seoul);

  let t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < PAIRS; i++) sink += addBusinessTime(pairs[i]!, duration, seoul).getTime();
  const fastMs = performance.now() - t0;
  const fastRate = (PAIRS / fastMs) * 1000;

  const sample = starts(REFERENCE_PAIRS, 2);
  let mismatches = 0;
  t0 = performance.now();
  for (const s of sample) {
    const r = refAdd(seoul, s.getTime(), duration);
    sink += r;
    if (r !== addBusinessTime(s, duration, seoul).getTime()) mismatches++;
  }
  const refMs = performance.now() - t0;
  const refRate = (REFERENCE_PAIRS / refMs) * 1000;

  const inputs = histories(HISTORIES, 3);
  const policies = defaultSlaPolicies({ time: "business" });
  for (let i = 0; i < 2_000; i++) evaluateSla(inputs[i]!.history, policies, seoul, inputs[i]!.now);
  t0 = performance.now();
  for (const { history, now } of inputs) sink += evaluateSla(history, policies, seoul, now).metrics.length;
  const evalMs = performance.now() - t0;

  const ratio = fastRate / refRate;
  console.log("SLA bench (Asia/Seoul, 09–12 + 13–18 Mon–Fri, 2025 holidays)");
  console.log(
    `  addBusinessTime(start, 48h)  ${PAIRS.toLocaleString("en-US")} pairs in ${fastMs.toFixed(0)} ms: ${rate(PAIRS, fastMs)}  (goal ≥ 1,000,000/s: ${fastRate >= 1e6 ? "met" : "NOT met"})`,
  );
  console.log(
    `  minute-stepping reference    ${REFERENCE_PAIRS} pairs in ${refMs.toFixed(0)} ms: ${rate(REFERENCE_PAIRS, refMs)}  (mismatches: ${mismatches})`,
  );
  console.log(
    `  ratio                        ${Math.round(ratio).toLocaleString("en-US")}×  (goal ≥ 1000×: ${ratio >= 1000 ? "met" : "NOT met"})`,
  );
  console.log(
    `  evaluateSla (10 events)      ${HISTORIES.toLocaleString("en-US")} histories in ${evalMs.toFixed(0)} ms: ${rate(HISTORIES, evalMs)}`,
  );

  // A ticket's life as the desk sees it: after each of its events the SLA is evaluated. Replaying
  // the whole history each time is quadratic; the fold adds the new event only (linear).
  for (const length of [100, 1_000]) {
    const life = ticketLife(length);
    t0 = performance.now();
    for (let k = 1; k <= life.length; k++)
      sink += evaluateSla(
        life.slice(0, k),
        policies,
        seoul,
        life[k - 1]!.at,
        k > 1 ? { evaluatedAt: life[k - 2]!.at } : undefined,
      ).metrics.length;
    const replayMs = performance.now() - t0;
    t0 = performance.now();
    const fold = startSlaFold(policies);
    for (let k = 1; k <= life.length; k++) {
      foldSlaEvent(fold, life[k - 1]!);
      sink += evaluateSlaFold(fold, seoul, life[k - 1]!.at, k > 1 ? { evaluatedAt: life[k - 2]!.at } : undefined)
        .metrics.length;
      forgetSlaBefore(fold, life[k - 1]!.at.getTime());
    }
    const foldMs = performance.now() - t0;
    console.log(
      `  a ticket of ${String(length).padStart(5)} events, evaluated after each: replay ${((replayMs * 1000) / length).toFixed(1)} µs/event, fold ${((foldMs * 1000) / length).toFixed(1)} µs/event (${(replayMs / foldMs).toFixed(0)}× less)`,
    );
  }
  if (sink === 42) console.log(""); // keeps the results alive
}

/** A ticket created, then customer messages and agent replies alternating every 10 minutes, a pause now and then. */
function ticketLife(length: number): SlaHistoryEvent[] {
  const t0 = Date.parse("2025-03-03T00:00:00Z");
  const life: SlaHistoryEvent[] = [
    {
      type: "created",
      at: new Date(t0),
      status: "new",
      priority: "normal",
      category: "shipping",
      channel: "email",
      tags: [],
    },
  ];
  for (let i = 1; i < length; i++) {
    const at = new Date(t0 + i * 600_000);
    if (i % 25 === 0) life.push({ type: "status", at, status: i % 50 === 0 ? "pending" : "open" });
    else if (i % 2 === 0)
      life.push({ type: "message", at, direction: "outbound", authorKind: "agent", channel: "email", public: true });
    else
      life.push({ type: "message", at, direction: "inbound", authorKind: "customer", channel: "email", public: true });
  }
  return life;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
