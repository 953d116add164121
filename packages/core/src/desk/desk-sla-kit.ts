/**
 * What the desk SLA tests share: the Seoul and New York calendars, a wall-clock helper, a fixed
 * classifier and a desk on a manual clock (see desk-sla.test.ts for how expected instants are worked out).
 */
import { createDesk } from "./create-desk.js";
import { memoryStore } from "../store-memory/memory-store.js";
import { memoryChannel } from "../testing/memory-channel.js";
import { manualClock } from "../ports/clock.js";
import { classifyText, type Classifier } from "../classify/classify-text.js";
import { defineSlaPolicy, type SlaPolicy } from "../sla/index.js";
import { defineCalendar, type BusinessCalendar } from "../calendar/index.js";
import type { Category, Priority } from "../domain/enums.js";
import type { InboundEventInput } from "../domain/inbound.js";
import type { Ticket } from "../domain/ticket.js";
import type { Store } from "../ports/store.js";

/** Seoul office: Mon–Fri 09:00–12:00 and 13:00–18:00 (lunch 12–13). */
export function seoulCalendar(holidays: Parameters<typeof defineCalendar>[0]["holidays"] = []): BusinessCalendar {
  const day = [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "18:00" },
  ];
  return defineCalendar({
    id: "seoul",
    timeZone: "Asia/Seoul",
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays,
  });
}

/** New York office: Mon–Fri 09:00–17:00. */
export const newYork = defineCalendar({
  id: "nyc",
  timeZone: "America/New_York",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "17:00" }]])),
});

/** A wall-clock time in Seoul, e.g. kst("2026-03-06 20:00"). */
export const kst = (local: string): Date => new Date(`${local.replace(" ", "T")}:00+09:00`);

/** A classifier that always answers one category and priority, so policies are chosen by the test. */
export function fixedClassifier(category: Category, priority: Priority = "normal"): Classifier {
  return (input) => ({
    ...classifyText(input),
    category,
    topic: category,
    suggestedPriority: priority,
    complaint: { signal: false, score: 0 },
  });
}

let n = 0;
/** A webchat message from visitor-1 on conversation chat-1, with a fresh external id. */
export function msg(
  text: string,
  overrides: Partial<Extract<InboundEventInput, { type: "message" }>> = {},
): InboundEventInput {
  n += 1;
  return {
    type: "message",
    channel: "webchat",
    externalId: `sla-ext-${n}`,
    occurredAt: new Date(0),
    from: { identities: [{ kind: "webchat", value: "visitor-1" }], name: "김민수" },
    text,
    conversationKey: "chat-1",
    ...overrides,
  };
}

/** What {@link setup} builds a desk with. */
export interface SetupOptions {
  start: Date;
  policies: SlaPolicy[];
  calendar: BusinessCalendar;
  category?: Category;
  priority?: Priority;
  store?: Store;
  autoAcknowledge?: boolean;
}

/** A desk on a memory store and a manual clock at `start`; `restart` builds another desk on the same store. */
export function setup(o: SetupOptions) {
  const store = o.store ?? memoryStore();
  const clock = manualClock(o.start);
  const chat = memoryChannel();
  const make = () => {
    const desk = createDesk({
      store,
      clock,
      channels: [chat],
      sla: { policies: o.policies, calendar: o.calendar },
      classifier: fixedClassifier(o.category ?? "other", o.priority ?? "normal"),
      autoAcknowledge: o.autoAcknowledge ?? false,
    });
    const notices: string[] = [];
    desk.on("sla.warning", ({ metric, dueAt }) => notices.push(`warning:${metric}@${dueAt?.toISOString() ?? "-"}`));
    desk.on("sla.breached", ({ metric, dueAt }) => notices.push(`breached:${metric}@${dueAt?.toISOString() ?? "-"}`));
    desk.on("sla.fulfilled", ({ metric }) => notices.push(`fulfilled:${metric}`));
    desk.on("sla.escalated", ({ metric, notify }) => notices.push(`escalated:${metric}:${notify.join(",")}`));
    return { desk, notices };
  };
  const { desk, notices } = make();
  /** Moves the clock to `at` and fires what is due there. */
  const runAt = (at: Date, d = desk) => {
    clock.set(at);
    return d.runDue(at);
  };
  const slaJobs = async (ticketId: string) =>
    (await store.listJobs({ ticketId })).filter((j) => j.type === "sla.check").map((j) => j.runAt.toISOString());
  return { store, clock, chat, desk, notices, runAt, slaJobs, restart: make };
}

/** The SLA metric `name` of a ticket. */
export const metric = (t: Ticket | null | undefined, name: string) => t?.sla?.metrics.find((m) => m.metric === name);

/** The ticket's events whose type starts with `prefix`. */
export async function eventsOf(desk: ReturnType<typeof createDesk>, ticketId: string, prefix = "sla.") {
  return (await desk.listEvents(ticketId)).filter((e) => e.type.startsWith(prefix));
}

/** First reply within 4 business hours. */
export const firstReply4h = defineSlaPolicy({
  id: "business",
  name: "Business hours",
  warnBeforeMinutes: 30,
  targets: { default: { first_reply: { minutes: 240, time: "business" } } },
});
