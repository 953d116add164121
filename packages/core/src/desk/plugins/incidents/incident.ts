/** An incident (crisis mode) as data: what it matches, what it answers, and whether it matches a new ticket. */
import type { Message } from "../../../domain/message.js";
import type { CustomerContext, OrderSummary } from "../../../ports/commerce.js";
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";

/** A message in Korean and English (or one text for every language). */
export type LocalizedText = string | { ko: string; en: string };

/**
 * Which new tickets an incident takes: every condition given must hold; `text` holds when the
 * first message contains any of the phrases (case- and space-insensitive, e.g. "택배 파업").
 * The order conditions (`orderedBetween`, `products`) read the commerce context attached to the
 * ticket (`meta.commerce.recentOrders`): they hold when ONE of the customer's recent orders meets
 * both. That context arrives after the ticket is created, so such an incident links the ticket
 * when it arrives (a ticket whose customer has no commerce context is never taken).
 */
export interface IncidentMatch {
  text?: string[];
  categories?: string[];
  channels?: string[];
  /** The ticket has at least one of these tags (set by the classifier, routing or rules). */
  tags?: string[];
  /**
   * An order placed in this span (ISO instants or dates; `from` inclusive, `to` exclusive, a
   * date-only `to` covers that whole day in UTC), e.g. the days a warehouse shipped late.
   */
  orderedBetween?: { from: string; to: string };
  /**
   * An order with a line of one of these products: an SKU (exact, case-insensitive) or a phrase
   * of the line's title (case- and space-insensitive), e.g. `["SKU-123", "무선 이어폰"]`.
   */
  products?: string[];
}

/** Input of `desk.incidents.open`. */
export interface IncidentInput {
  title: string;
  match: IncidentMatch;
  /** Answered at once to every ticket the incident takes (an automatic message through the desk). */
  autoReply?: LocalizedText | null;
}

/** An incident as kept in the plugin's records (`incidents.incidents`). */
export interface Incident {
  id: string;
  title: string;
  match: IncidentMatch;
  autoReply: LocalizedText | null;
  /** Tags put on linked tickets: `incident` and `incident:<id>` (an SLA policy can select them with `conditions.tagsAny`). */
  tag: string;
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  linked: number;
}

/**
 * The text of a localized message for a language.
 *
 * @example
 * localized({ ko: "택배 파업으로 늦어지고 있어요", en: "Delayed by a courier strike" }, "ko");
 */
export function localized(text: LocalizedText, language: string | null | undefined): string {
  if (typeof text === "string") return text;
  return language?.toLowerCase().startsWith("ko") ? text.ko : text.en;
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** Whether the match has conditions on the ticket's orders (read from the commerce context). */
export function hasOrderConditions(m: IncidentMatch): boolean {
  return m.orderedBetween !== undefined || m.products !== undefined;
}

const spanEnd = (to: string) => Date.parse(to) + (/^\d{4}-\d{2}-\d{2}$/.test(to) ? 86_400_000 : 0);

/**
 * Whether the ticket's orders meet the match's order conditions: null while the ticket has no
 * commerce context (not known yet), true when there are no order conditions.
 *
 * @example
 * orderConditionsHold({ products: ["SKU-1"] }, ticket); // true when a recent order has a line with SKU-1
 */
export function orderConditionsHold(m: IncidentMatch, ticket: Ticket): boolean | null {
  if (!hasOrderConditions(m)) return true;
  const commerce = ticket.meta.commerce as Partial<CustomerContext> | undefined;
  if (!commerce || !Array.isArray(commerce.recentOrders)) return null;
  const from = m.orderedBetween ? Date.parse(m.orderedBetween.from) : -Infinity;
  const to = m.orderedBetween ? spanEnd(m.orderedBetween.to) : Infinity;
  const products = (m.products ?? []).map((p) => ({ sku: p.trim().toLowerCase(), phrase: squash(p) }));
  const hasProduct = (order: OrderSummary) =>
    (order.lines ?? []).some((line) =>
      products.some((p) => line.sku?.trim().toLowerCase() === p.sku || squash(line.title ?? "").includes(p.phrase)),
    );
  return commerce.recentOrders.some((order) => {
    const at = Date.parse(order.createdAt);
    if (m.orderedBetween && !(at >= from && at < to)) return false;
    return m.products ? hasProduct(order) : true;
  });
}

/**
 * Whether an open incident takes a new ticket with this first message, leaving out the order
 * conditions (see {@link orderConditionsHold}).
 *
 * @example
 * ticketConditionsHold(incident, ticket, message); // true for "택배파업 때문에 늦나요?" and match.text ["택배 파업"]
 */
export function ticketConditionsHold(incident: Incident, ticket: Ticket, message: Message | null): boolean {
  if (incident.status !== "open") return false;
  const m = incident.match;
  if (m.categories && !m.categories.includes(ticket.category)) return false;
  if (m.channels && !m.channels.includes(ticket.channel)) return false;
  if (m.tags && !m.tags.some((t) => ticket.tags.includes(t))) return false;
  if (m.text) {
    const body = squash(`${ticket.subject ?? ""} ${message?.text ?? ""}`);
    if (!m.text.some((phrase) => body.includes(squash(phrase)))) return false;
  }
  return true;
}

/**
 * Whether an open incident takes a ticket with this first message: every condition, the order
 * conditions included (false while the ticket's commerce context is not there).
 *
 * @example
 * incidentMatches(incident, ticket, message); // true for "택배파업 때문에 늦나요?" and match.text ["택배 파업"]
 */
export function incidentMatches(incident: Incident, ticket: Ticket, message: Message | null): boolean {
  return ticketConditionsHold(incident, ticket, message) && orderConditionsHold(incident.match, ticket) === true;
}

/**
 * Checks an incident's input (INVALID_INPUT otherwise): a title, at least one match condition.
 *
 * @example
 * checkIncidentInput({ title: "택배 파업", match: { text: ["택배 파업"] } });
 */
export function checkIncidentInput(input: IncidentInput): void {
  const bad = (message: string, path: string[]) => new StoredeskError({ code: "INVALID_INPUT", message, path });
  if (typeof input?.title !== "string" || !input.title.trim() || input.title.length > 200)
    throw bad("An incident needs a title (up to 200 characters)", ["title"]);
  const m = input.match ?? {};
  const lists = [m.text, m.categories, m.channels, m.tags, m.products];
  if (lists.every((l) => l === undefined) && m.orderedBetween === undefined)
    throw bad("An incident needs at least one match condition", ["match"]);
  for (const l of lists) {
    if (l !== undefined && (!Array.isArray(l) || l.length === 0 || l.some((x) => typeof x !== "string" || !x.trim()))) {
      throw bad("Match conditions are non-empty lists of non-empty strings", ["match"]);
    }
  }
  const span = m.orderedBetween;
  if (span !== undefined) {
    const ok =
      typeof span === "object" &&
      span !== null &&
      typeof span.from === "string" &&
      typeof span.to === "string" &&
      !Number.isNaN(Date.parse(span.from)) &&
      !Number.isNaN(Date.parse(span.to)) &&
      Date.parse(span.from) < spanEnd(span.to);
    if (!ok)
      throw bad("orderedBetween is { from, to }: dates or ISO instants, from before to", ["match", "orderedBetween"]);
  }
  const r = input.autoReply;
  if (r != null && !(typeof r === "string" ? r.trim() : typeof r.ko === "string" && typeof r.en === "string")) {
    throw bad("autoReply is a text or { ko, en }", ["autoReply"]);
  }
}
