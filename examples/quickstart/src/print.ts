/**
 * How the quickstart prints: one numbered header per scenario (numbered here, so a module adds
 * a scenario without renumbering the others), the shop's clock for every time shown, and words
 * for the desk's enums.
 */
import type { Category, Clock, Desk, IngestResult, Store, Ticket, TicketStatus } from "@storedesk/core";

/** The demo shops' zone: every time the quickstart prints is in it, with its name. */
export const SHOP_ZONE = { id: "Asia/Seoul", abbreviation: "KST" } as const;

const storeLabels = new WeakMap<Store, string>();
let sectionCount = 0;

/**
 * Names a store for the section headers ("embedded PostgreSQL (PGlite) in …", "in memory, a
 * fresh one"); returns the store, so it can wrap the call that makes it.
 *
 * @example
 * await shopifyDemo(labelStore(memoryStore(), "in memory, a fresh one (fixed demo ids)"));
 */
export function labelStore<S extends Store>(store: S, label: string): S {
  storeLabels.set(store, label);
  return store;
}

/** Where a section runs: its store and, when it has one, the simulated clock it starts at. */
export interface SectionSetting {
  /** The store the scenario writes to (named with {@link labelStore}), or a description. */
  store?: Store | string;
  /** The scenario's clock or its start time, shown in the shop's zone. */
  clock?: Clock | Date;
  /** Why the scenario runs at that time, when the time matters to what it shows. */
  why?: string;
}

/**
 * Prints the next scenario's header, numbered in the order the scenarios run, and a line saying
 * which store it runs on and when. Returns the section's number.
 *
 * @example
 * section("Email: SMTP in, acknowledgement out, a reply threaded back", { store, clock, why: "a Monday morning" });
 */
export function section(title: string, setting: SectionSetting = {}): number {
  sectionCount += 1;
  console.log(`\n━━ ${sectionCount}. ${title} ━━`);
  const where: string[] = [];
  if (setting.store !== undefined) {
    const label =
      typeof setting.store === "string" ? setting.store : (storeLabels.get(setting.store) ?? "the store passed in");
    where.push(`store: ${label}`);
  }
  if (setting.clock !== undefined) {
    const start = setting.clock instanceof Date ? setting.clock : setting.clock.now();
    where.push(`shop time: ${shopTime(start)}${setting.why ? ` (${setting.why})` : ""}`);
  }
  if (where.length) console.log(where.join(" · "));
  return sectionCount;
}

const shopTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: SHOP_ZONE.id,
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * A time on the shop's clock with the zone named, e.g. "Mon 2 Mar 2026, 22:00 KST".
 *
 * @example
 * shopTime(new Date("2026-03-02T13:00:00Z")) // "Mon 2 Mar 2026, 22:00 KST"
 */
export function shopTime(at: Date | string): string {
  return `${shopTimeFormat.format(new Date(at)).replace(/^(\w+),? /, "$1 ")} ${SHOP_ZONE.abbreviation}`;
}

const STATUS_WORDS: Record<TicketStatus, string> = {
  new: "new",
  open: "open",
  pending: "waiting on the customer",
  on_hold: "on hold",
  solved: "solved",
  closed: "closed",
};
const CATEGORY_WORDS: Record<Category, string> = {
  product: "product question",
  shipping: "shipping",
  refund_exchange: "refund or exchange",
  order_change: "order change",
  payment: "payment",
  complaint: "complaint",
  other: "other",
};
const OUTCOME_WORDS: Record<IngestResult["outcome"], string> = {
  created: "a new ticket",
  threaded: "added to its ticket",
  reopened: "its ticket reopened",
  follow_up: "a follow-up ticket",
  duplicate: "a redelivery, ignored",
  delivery: "a delivery receipt",
  auto_reply: "an auto-reply, recorded (never acknowledged)",
  parked: "a receipt kept until its message exists",
  external_reply: "a reply typed in the provider's inbox, recorded on its ticket",
  unmatched: "an echo for no open ticket, ignored",
};
const METRIC_WORDS: Record<string, string> = {
  first_reply: "first reply",
  next_reply: "next reply",
  requester_wait: "the customer's wait",
  resolution: "resolution",
};
const CLOCK_WORDS: Record<string, string> = {
  active: "running",
  paused: "paused",
  fulfilled: "met",
  breached: "breached",
  inactive: "stopped",
};

/** A ticket status in words ("waiting on the customer" for `pending`). */
export const statusWords = (status: TicketStatus): string => STATUS_WORDS[status];
/** A category (or a classifier label) in words ("refund or exchange" for `refund_exchange`). */
export const categoryWords = (category: Category | (string & {})): string =>
  CATEGORY_WORDS[category as Category] ?? category.replaceAll("_", " ");
/** What an ingest did, in words ("a follow-up ticket" for `follow_up`). */
export const outcomeWords = (outcome: IngestResult["outcome"]): string => OUTCOME_WORDS[outcome];
/** An SLA metric in words ("first reply" for `first_reply`). */
export const metricWords = (metric: string): string => METRIC_WORDS[metric] ?? metric.replaceAll("_", " ");

/** How many tickets the inbox prints (the newest). */
const INBOX_LINES = 12;

/** Prints the inbox the way an agent's list view would show it. */
export async function printInbox(desk: Desk, title: string): Promise<void> {
  const tickets = await desk.listTickets({});
  console.log(`\n── ${title}: ${tickets.length} tickets ──`);
  // A kept store grows with every run: the newest tickets, the rest counted.
  const shown = tickets.slice(-INBOX_LINES);
  if (shown.length < tickets.length)
    console.log(`(${tickets.length - shown.length} older tickets from earlier runs not shown)`);
  for (const t of shown) {
    const customer = await desk.getCustomer(t.customerId);
    const messages = await desk.listMessages(t.id);
    const inbound = messages.filter((m) => m.direction === "inbound").length;
    const acks = messages.filter((m) => m.automatic && m.direction === "outbound");
    console.log(
      `SD-${t.number}  ${statusWords(t.status).padEnd(8)} ${categoryWords(t.category).padEnd(18)} ${t.priority.padEnd(6)} ${t.channel.padEnd(8)} ${customer?.name ?? "?"} — "${t.subject ?? ""}"`,
    );
    console.log(
      `       ${inbound} customer message(s), team ${t.team ?? "-"}, ${slaLine(t)}${t.complaint ? `, complaint step: ${t.complaint.step}` : ""}${t.followUpOf ? ", a follow-up ticket" : ""}`,
    );
    // The acknowledgement is the customer's text, written by the desk in the shop's zone.
    for (const ack of acks)
      console.log(
        `       auto-reply (${SHOP_ZONE.abbreviation}) → ${ack.text.split("\n").find((l) => /SD-|접수|reply by|답변/.test(l) && /\d{4}|by/.test(l)) ?? ack.text.split("\n")[0]}`,
      );
  }
}

function slaLine(t: Ticket): string {
  const due = (t.sla?.metrics ?? []).filter((m) => m.dueAt && (m.status === "active" || m.status === "breached"));
  if (due.length === 0) return "no SLA clock running";
  return due
    .map((m) => `${metricWords(m.metric)} due ${shopTime(m.dueAt!)} (${CLOCK_WORDS[m.status] ?? m.status})`)
    .join(", ");
}
