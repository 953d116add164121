/** An incident (crisis mode) as data: what it matches, what it answers, and whether it matches a new ticket. */
import type { Message } from "../../../domain/message.js";
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";

/** A message in Korean and English (or one text for every language). */
export type LocalizedText = string | { ko: string; en: string };

/**
 * Which new tickets an incident takes: every condition given must hold; `text` holds when the
 * first message contains any of the phrases (case- and space-insensitive, e.g. "택배 파업").
 */
export interface IncidentMatch {
  text?: string[];
  categories?: string[];
  channels?: string[];
  /** The ticket has at least one of these tags (set by the classifier, routing or rules). */
  tags?: string[];
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

/**
 * Whether an open incident takes a new ticket with this first message.
 *
 * @example
 * incidentMatches(incident, ticket, message); // true for "택배파업 때문에 늦나요?" and match.text ["택배 파업"]
 */
export function incidentMatches(incident: Incident, ticket: Ticket, message: Message | null): boolean {
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
  const lists = [m.text, m.categories, m.channels, m.tags];
  if (lists.every((l) => l === undefined)) throw bad("An incident needs at least one match condition", ["match"]);
  for (const l of lists) {
    if (l !== undefined && (!Array.isArray(l) || l.length === 0 || l.some((x) => typeof x !== "string" || !x.trim()))) {
      throw bad("Match conditions are non-empty lists of non-empty strings", ["match"]);
    }
  }
  const r = input.autoReply;
  if (r != null && !(typeof r === "string" ? r.trim() : typeof r.ko === "string" && typeof r.en === "string")) {
    throw bad("autoReply is a text or { ko, en }", ["autoReply"]);
  }
}
