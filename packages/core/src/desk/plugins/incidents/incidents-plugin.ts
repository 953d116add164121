/**
 * Crisis mode as a desk plugin (`desk.incidents.*`): an open incident takes every new ticket it
 * matches (tags `incident` and `incident:<id>`, a link, an optional instant answer), can answer
 * all its tickets at once through the desk (`broadcast`), and on close can solve them with a
 * final message. SLA targets follow the tag: a policy with `conditions: { tagsAny: ["incident"] }`
 * placed first applies to linked tickets while they carry it (the plugin contract lets no plugin
 * change the SLA engine's targets at run time, so the shop's policies decide).
 */
import { randomUUID } from "node:crypto";
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import {
  defineDeskPlugin,
  type DeskPlugin,
  type HookDecision,
  type PluginRecords,
} from "../../../ports/desk-plugin.js";
import type { CsatDesk } from "../csat/send-survey-job.js";
import {
  checkIncidentInput,
  hasOrderConditions,
  localized,
  orderConditionsHold,
  ticketConditionsHold,
  type Incident,
  type IncidentInput,
  type LocalizedText,
} from "./incident.js";

/** Progress of a broadcast or a close, after each ticket. */
export interface IncidentProgress {
  done: number;
  total: number;
  sent: number;
  skipped: number;
  failed: number;
}

/** What `broadcast` and `close` did to each linked ticket, and the counts. */
export interface IncidentRunResult extends IncidentProgress {
  results: Array<{ ticketId: string; outcome: "sent" | "solved" | "skipped" | "failed"; reason?: string }>;
}

/** A broadcast's message: a text (ko/en), and the channel template to use where the reply window closed. */
export interface BroadcastInput {
  text: LocalizedText;
  template?: { name: string; language: string; parameters?: Record<string, unknown> };
  onProgress?: (progress: IncidentProgress) => void;
}

/** What the plugin puts under `desk.incidents`. */
export interface IncidentsMethods {
  /** Opens an incident: from now on, new tickets it matches are tagged, linked and (optionally) answered. */
  open(input: IncidentInput): Promise<Incident>;
  /** An incident with its count of linked tickets; NOT_FOUND otherwise. */
  get(id: string): Promise<Incident>;
  /** Every incident, open and closed. */
  list(): Promise<Incident[]>;
  /** Ids of the tickets linked to an incident. */
  tickets(id: string): Promise<string[]>;
  /** Links a ticket by hand (an agent's call): tags it like a matched one. */
  link(id: string, ticketId: string): Promise<void>;
  /** Replies to every linked ticket that is not closed, through `desk.reply` (outbox, reply windows, `beforeSend`). */
  broadcast(id: string, input: BroadcastInput): Promise<IncidentRunResult>;
  /**
   * Closes the incident (no new links) and takes the `incident` tag off its tickets (their SLA
   * policy goes back to the usual one); `solve` solves its open tickets, with `finalMessage` as
   * the solving reply (or sends `finalMessage` alone). Counts: `sent` holds messages sent and tickets solved.
   */
  close(
    id: string,
    opts?: { solve?: boolean; finalMessage?: LocalizedText; onProgress?: (p: IncidentProgress) => void },
  ): Promise<IncidentRunResult>;
}

function linkDecision(incident: Incident, ticket: Ticket, how: "matched" | "manual"): HookDecision {
  const tags = [...new Set([...ticket.tags, "incident", incident.tag])];
  const ids = Array.isArray(ticket.meta.incidents) ? (ticket.meta.incidents as string[]) : [];
  return {
    ticket: { tags, meta: { incidents: [...new Set([...ids, incident.id])] } },
    // tags.changed too: the SLA engine reads tags from the log, so an `incident` policy applies at once.
    events: [
      { type: "incident.linked", data: { incidentId: incident.id, title: incident.title, how } },
      ...(tags.length !== ticket.tags.length ? [{ type: "tags.changed", data: { from: ticket.tags, to: tags } }] : []),
    ],
    effects: [
      { type: "emit", event: "plugin.incidents.linked", data: { incidentId: incident.id, ticketId: ticket.id } },
    ],
  };
}

async function allKeys(records: PluginRecords, namespace: string): Promise<string[]> {
  const keys: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await records.list(namespace, { limit: 1000, ...(after ? { afterKey: after } : {}) });
    keys.push(...page.map((r) => r.key));
    if (page.length < 1000) return keys;
    after = page[page.length - 1]!.key;
  }
}

const openIncidents = async (records: PluginRecords) =>
  (await records.list("incidents")).map((r) => r.value as Incident).filter((i) => i.status === "open");

/** Links a ticket to the incidents it matched (tags, meta, events, link records) and sends the first one's answer. */
async function linkMatched(
  matched: Incident[],
  ticket: Ticket,
  records: PluginRecords,
  now: Date,
): Promise<HookDecision | undefined> {
  if (matched.length === 0) return undefined;
  let current = ticket;
  const decision: HookDecision = { events: [], effects: [] };
  for (const incident of matched) {
    const d = linkDecision(incident, current, "matched");
    current = { ...current, tags: d.ticket!.tags!, meta: { ...current.meta, ...d.ticket!.meta } };
    decision.events!.push(...d.events!);
    decision.effects!.push(...d.effects!);
    await records.put({ namespace: `links.${incident.id}`, key: ticket.id, value: { at: now.toISOString() } });
  }
  decision.ticket = { tags: current.tags, meta: { incidents: current.meta.incidents } };
  const reply = matched.find((i) => i.autoReply)?.autoReply;
  if (reply)
    decision.effects!.push({
      type: "send",
      ticketId: ticket.id,
      text: localized(reply, ticket.language),
      automatic: true,
      reason: "incident",
    });
  return decision;
}

/**
 * The incidents plugin.
 *
 * @example
 * const desk = createDesk({ store, channels, plugins: [incidentsPlugin()] });
 * const strike = await desk.incidents.open({ title: "택배 파업", match: { text: ["택배 파업", "courier strike"] },
 *   autoReply: { ko: "택배 파업으로 배송이 늦어지고 있습니다.", en: "Deliveries are delayed by a courier strike." } });
 * await desk.incidents.broadcast(strike.id, { text: { ko: "배송이 재개되었습니다.", en: "Deliveries resumed." } });
 */
export function incidentsPlugin(): DeskPlugin<"incidents", IncidentsMethods> {
  return defineDeskPlugin({
    specVersion: 1,
    id: "incidents",
    events: ["plugin.incidents.opened", "plugin.incidents.linked", "plugin.incidents.closed"],
    hooks: {
      async ticketCreated({ ticket, message, records, now }) {
        const matched: Incident[] = [];
        for (const incident of await openIncidents(records)) {
          if (!ticketConditionsHold(incident, ticket, message)) continue;
          const orders = orderConditionsHold(incident.match, ticket);
          if (orders === true) matched.push(incident);
          // The commerce context lands after the ticket: ticketSaving finishes the match then.
          else if (orders === null)
            await records.put({ namespace: `waiting.${incident.id}`, key: ticket.id, value: {} });
        }
        return linkMatched(matched, ticket, records, now);
      },
      async ticketSaving({ before, ticket, records, now }) {
        if (!before || before.meta.commerce !== undefined || ticket.meta.commerce === undefined) return undefined;
        const linked = Array.isArray(ticket.meta.incidents) ? (ticket.meta.incidents as string[]) : [];
        const matched: Incident[] = [];
        for (const incident of await openIncidents(records)) {
          if (!hasOrderConditions(incident.match) || linked.includes(incident.id)) continue;
          if (!(await records.delete(`waiting.${incident.id}`, ticket.id))) continue;
          if (orderConditionsHold(incident.match, ticket) === true) matched.push(incident);
        }
        return linkMatched(matched, ticket, records, now);
      },
    },
    methods: ({ desk: pluginDesk, records }) => {
      const desk = pluginDesk as CsatDesk;
      const load = async (id: string): Promise<{ incident: Incident; version: number }> => {
        const r = await records.get("incidents", id);
        if (!r) throw new StoredeskError({ code: "NOT_FOUND", message: `Incident ${id} not found`, path: ["id"] });
        return { incident: r.value as Incident, version: r.version };
      };
      const tickets = (id: string) => allKeys(records, `links.${id}`);
      /** Runs `step` on each linked ticket that is not closed, counting outcomes and reporting progress. */
      const eachTicket = async (
        id: string,
        onProgress: ((p: IncidentProgress) => void) | undefined,
        step: (ticket: Ticket) => Promise<IncidentRunResult["results"][number]["outcome"]>,
      ): Promise<IncidentRunResult> => {
        const ids = await tickets(id);
        const run: IncidentRunResult = { done: 0, total: ids.length, sent: 0, skipped: 0, failed: 0, results: [] };
        for (const ticketId of ids) {
          let outcome: IncidentRunResult["results"][number]["outcome"];
          let reason: string | undefined;
          try {
            const ticket = await desk.getTicket(ticketId);
            if (ticket.status === "closed") {
              outcome = "skipped";
              reason = "closed";
            } else outcome = await step(ticket);
          } catch (err) {
            outcome = StoredeskError.is(err, "REPLY_WINDOW_CLOSED") ? "skipped" : "failed";
            reason = StoredeskError.is(err) ? err.code : "INTERNAL";
          }
          run.results.push({ ticketId, outcome, ...(reason ? { reason } : {}) });
          if (outcome === "skipped") run.skipped++;
          else if (outcome === "failed") run.failed++;
          else run.sent++;
          run.done++;
          onProgress?.({ done: run.done, total: run.total, sent: run.sent, skipped: run.skipped, failed: run.failed });
        }
        return run;
      };
      return {
        async open(input) {
          checkIncidentInput(input);
          const id = `inc-${randomUUID().slice(0, 8)}`;
          const incident: Incident = {
            id,
            title: input.title.trim(),
            match: input.match,
            autoReply: input.autoReply ?? null,
            tag: `incident:${id}`,
            status: "open",
            openedAt: desk.clock.now().toISOString(),
            closedAt: null,
            linked: 0,
          };
          await records.put({ namespace: "incidents", key: id, value: incident }, null);
          desk.emit("plugin.incidents.opened", { incidentId: id, title: incident.title });
          return incident;
        },
        async get(id) {
          const { incident } = await load(id);
          return { ...incident, linked: (await tickets(id)).length };
        },
        async list() {
          return (await records.list("incidents")).map((r) => r.value as Incident);
        },
        tickets,
        async link(id, ticketId) {
          const { incident } = await load(id);
          await desk.decide(ticketId, (ticket) => linkDecision(incident, ticket, "manual"));
          await records.put({ namespace: `links.${id}`, key: ticketId, value: { at: desk.clock.now().toISOString() } });
        },
        async broadcast(id, input) {
          await load(id);
          return eachTicket(id, input.onProgress, async (ticket) => {
            const reply = {
              text: localized(input.text, ticket.language),
              automatic: true,
              authorKind: "system" as const,
            };
            try {
              await desk.reply(ticket.id, reply);
            } catch (err) {
              // Outside the reply window only a template passes: the broadcast's, if it has one.
              if (!StoredeskError.is(err, "REPLY_WINDOW_CLOSED") || !input.template) throw err;
              await desk.reply(ticket.id, { ...reply, template: input.template });
            }
            return "sent";
          });
        },
        async close(id, opts = {}) {
          const { incident, version } = await load(id);
          if (incident.status === "open") {
            await records.put(
              {
                namespace: "incidents",
                key: id,
                value: { ...incident, status: "closed", closedAt: desk.clock.now().toISOString() },
              },
              version,
            );
            desk.emit("plugin.incidents.closed", { incidentId: id });
          }
          return eachTicket(id, opts.onProgress, async (ticket) => {
            // The incident's SLA targets end with it: the `incident` tag goes (its own tag stays as history).
            const others = (await records.list("incidents"))
              .map((r) => r.value as Incident)
              .filter((i) => i.id !== id && i.status === "open");
            if (ticket.tags.includes("incident") && !others.some((i) => ticket.tags.includes(i.tag))) {
              ticket = await desk.setTags(
                ticket.id,
                ticket.tags.filter((t) => t !== "incident"),
                { system: "incidents" },
              );
            }
            if (!opts.solve && !opts.finalMessage) return "skipped";
            if (ticket.status === "solved" && !opts.finalMessage) return "skipped";
            if (opts.finalMessage) {
              await desk.reply(ticket.id, {
                text: localized(opts.finalMessage, ticket.language),
                automatic: true,
                authorKind: "system",
                ...(opts.solve ? { status: "solved" as const } : {}),
              });
              return opts.solve ? "solved" : "sent";
            }
            await desk.setStatus(ticket.id, "solved", { system: "incidents" });
            return "solved";
          });
        },
      };
    },
  });
}
