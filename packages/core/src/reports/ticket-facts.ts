/**
 * Folds a ticket's audit log into the few facts reports need, in one pass, so every metric
 * reads the same interpretation of the log (which reply is human, when a ticket was solved…).
 */
import type { TicketEvent } from "../domain/event.js";

/** SLA outcome of one metric on one ticket: breached wins over a later fulfilment. */
export type SlaOutcome = "attained" | "breached";

/**
 * One bot hand-off (`bot.handoff`) as the FAQ gap report reads it. The question fields come from
 * the knowledge bot (`question`, `questionKey`, `language`); older events have none (null here).
 */
export interface HandoffFact {
  at: number;
  seq: number;
  /** The event's `questionKey` (null when absent or empty). */
  key: string | null;
  question: string | null;
  language: string | null;
  /** The article the bot handed off with (`articleId`), else the nearest hit (`topArticleId`). */
  articleId: string | null;
  /** That article's search score (null when absent). */
  score: number | null;
}

/** What one ticket's events say, as reports read it. Times are epoch ms. */
export interface TicketFacts {
  ticketId: string;
  createdAt: number;
  channel: string;
  category: string;
  priority: string;
  tags: string[];
  team: string | null;
  assigneeId: string | null;
  /**
   * Where a ticket the shop opened began (`provider_inbox`: an agent's message in the provider's
   * own inbox, from the creation event's `origin`); null for a customer's ticket. A first reply
   * time is measured only for a customer's ticket.
   */
  origin: string | null;
  /** First non-automatic reply by an agent (bots, acknowledgements and system messages left out). */
  firstHumanReplyAt: number | null;
  /** Last human reply, epoch ms. */
  lastHumanReplyAt: number | null;
  humanReplies: number;
  /** Agents who sent a human reply. */
  repliedBy: string[];
  /** Last time the ticket became solved (or closed without a solve), null while unresolved. */
  resolvedAt: number | null;
  solvedCount: number;
  reopened: boolean;
  /** First time the ticket became solved, epoch ms. */
  firstSolvedAt: number | null;
  /** First reopen after a solve (survey answers left out), epoch ms. */
  firstReopenAt: number | null;
  /** Template experiments the ticket is in: experiment id → variant (first `experiment.assigned`). */
  experiments: Map<string, string>;
  policyId: string | null;
  sla: Map<string, SlaOutcome>;
  complaintRootCause: string | null;
  /** When the complaint closed with that root cause (the same `complaint.advanced` event), epoch ms. */
  complaintClosedAt: number | null;
  /** Product linked to the ticket (last `product.linked` event's `productId`). */
  productId: string | null;
  /** First bot hand-off (`bot.handoff`), epoch ms. */
  handoffAt: number | null;
  botAnswered: boolean;
  botHandedOff: boolean;
  /** Every bot hand-off, in log order. */
  handoffs: HandoffFact[];
  /** Next reply waits: from the first customer message after a human reply to the next human reply ([start, end] ms). */
  nextReplies: Array<[number, number]>;
  /** Surveys sent on the ticket (`csat.sent`). */
  surveysSent: number;
  /** Survey answers recorded on the ticket (`csat.received`). */
  csat: Array<{
    ticketId: string;
    rating: number;
    agentId: string | null;
    category: string | null;
    channel: string;
    at: number;
  }>;
}

/** The reason of the status change a survey answer makes (`desk/plugins/csat`): it undoes the reopen before it. */
const SURVEY_ANSWER_REASON = "csat_answer";

const REOPEN_TARGETS = new Set(["new", "open", "pending", "on_hold"]);

function str(v: unknown, fallback: string): string {
  return typeof v === "string" ? v : fallback;
}

/**
 * Facts of one ticket from its events (in `seq` order; sorted here when they are not).
 * Returns null for a log without a creation event (it cannot be placed in a period).
 *
 * @example
 * const facts = ticketFacts(await store.listEvents(ticket.id));
 * facts?.firstHumanReplyAt; // epoch ms of the first agent reply
 */
export function ticketFacts(events: readonly TicketEvent[]): TicketFacts | null {
  let ordered = events;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.seq < events[i - 1]!.seq) {
      ordered = [...events].sort((a, b) => a.seq - b.seq);
      break;
    }
  }
  let f: TicketFacts | null = null;
  const repliedBy = new Set<string>();
  let waitStart: number | null = null;
  let beforeReopen: { reopened: boolean; resolvedAt: number | null; firstReopenAt: number | null } = {
    reopened: false,
    resolvedAt: null,
    firstReopenAt: null,
  };
  for (const e of ordered) {
    const d = e.data;
    const at = e.at.getTime();
    // Only the first creation event: a closed ticket's log also holds a pointer to its follow-up.
    if ((e.type === "ticket.created" || e.type === "ticket.follow_up_created") && f === null) {
      f = {
        ticketId: e.ticketId,
        createdAt: at,
        channel: str(d.channel, "unknown"),
        category: str(d.category, "other"),
        priority: str(d.priority, "normal"),
        tags: Array.isArray(d.tags) ? (d.tags as string[]) : [],
        team: null,
        assigneeId: null,
        origin: typeof d.origin === "string" ? d.origin : null,
        firstHumanReplyAt: null,
        lastHumanReplyAt: null,
        humanReplies: 0,
        repliedBy: [],
        resolvedAt: null,
        solvedCount: 0,
        reopened: false,
        firstSolvedAt: null,
        firstReopenAt: null,
        experiments: new Map(),
        policyId: null,
        sla: new Map(),
        complaintRootCause: null,
        complaintClosedAt: null,
        productId: null,
        handoffAt: null,
        botAnswered: false,
        botHandedOff: false,
        handoffs: [],
        nextReplies: [],
        surveysSent: 0,
        csat: [],
      };
      waitStart = null;
      continue;
    }
    if (f === null) continue;
    switch (e.type) {
      case "reply.sent": {
        // The desk marks bot and system replies automatic; authorKind is checked too for older logs.
        const human = d.automatic !== true && (d.authorKind ?? "agent") === "agent" && e.actor.kind !== "bot";
        if (!human) break;
        if (waitStart !== null) f.nextReplies.push([waitStart, at]);
        waitStart = null;
        f.humanReplies++;
        f.firstHumanReplyAt ??= at;
        f.lastHumanReplyAt = Math.max(f.lastHumanReplyAt ?? at, at);
        if (e.actor.kind === "agent" && e.actor.id) repliedBy.add(e.actor.id);
        break;
      }
      case "status.changed": {
        const to = d.to;
        if (d.reason === SURVEY_ANSWER_REASON) {
          // A survey answer reopened the ticket for a moment and put it back: not a reopen.
          f.reopened = beforeReopen.reopened;
          f.resolvedAt = beforeReopen.resolvedAt;
          f.firstReopenAt = beforeReopen.firstReopenAt;
          break;
        }
        if (to === "solved" || (to === "closed" && d.from !== "solved")) {
          f.resolvedAt = at;
          if (to === "solved") {
            f.solvedCount++;
            f.firstSolvedAt ??= at;
          }
        } else if (d.from === "solved" && typeof to === "string" && REOPEN_TARGETS.has(to)) {
          beforeReopen = { reopened: f.reopened, resolvedAt: f.resolvedAt, firstReopenAt: f.firstReopenAt };
          f.reopened = true;
          f.firstReopenAt ??= at;
          f.resolvedAt = null;
        }
        break;
      }
      case "category.changed":
        f.category = str(d.to, f.category);
        break;
      case "priority.changed":
        f.priority = str(d.to, f.priority);
        break;
      case "tags.changed":
        if (Array.isArray(d.to)) f.tags = d.to as string[];
        break;
      case "assigned":
        f.assigneeId = typeof d.to === "string" ? d.to : null;
        if (d.toTeam !== undefined) f.team = typeof d.toTeam === "string" ? d.toTeam : null;
        break;
      case "sla.applied":
        f.policyId = typeof d.policyId === "string" ? d.policyId : null;
        break;
      case "sla.breached":
        f.sla.set(str(d.metric, "unknown"), "breached");
        break;
      case "sla.fulfilled": {
        const metric = str(d.metric, "unknown");
        if (f.sla.get(metric) !== "breached") f.sla.set(metric, "attained");
        break;
      }
      case "message.received":
        if (f.humanReplies >= 1) waitStart ??= at;
        break;
      case "bot.answered":
        f.botAnswered = true;
        break;
      case "bot.handoff":
        f.botHandedOff = true;
        f.handoffAt ??= at;
        f.handoffs.push({
          at,
          seq: e.seq,
          key: typeof d.questionKey === "string" && d.questionKey !== "" ? d.questionKey : null,
          question: typeof d.question === "string" ? d.question : null,
          language: typeof d.language === "string" ? d.language : null,
          articleId:
            typeof d.articleId === "string" ? d.articleId : typeof d.topArticleId === "string" ? d.topArticleId : null,
          score: typeof d.score === "number" && Number.isFinite(d.score) ? d.score : null,
        });
        break;
      case "experiment.assigned":
        if (typeof d.experimentId === "string" && typeof d.variant === "string" && !f.experiments.has(d.experimentId))
          f.experiments.set(d.experimentId, d.variant);
        break;
      case "product.linked":
        if (typeof d.productId === "string") f.productId = d.productId;
        break;
      case "csat.sent":
        f.surveysSent++;
        break;
      case "csat.received":
        if (typeof d.rating === "number" && Number.isInteger(d.rating) && d.rating >= 1 && d.rating <= 5) {
          f.csat.push({
            ticketId: str(d.ticketId, e.ticketId),
            rating: d.rating,
            agentId: typeof d.agentId === "string" ? d.agentId : null,
            category: typeof d.category === "string" ? d.category : null,
            channel: str(d.channel, f.channel),
            at,
          });
        }
        break;
      case "complaint.advanced":
        if (d.to === "closed" && typeof d.rootCause === "string") {
          f.complaintRootCause = d.rootCause;
          f.complaintClosedAt = at;
        }
        break;
    }
  }
  if (f) f.repliedBy = [...repliedBy];
  return f;
}

/**
 * Groups a mixed history of many tickets by ticket and folds each into {@link TicketFacts}.
 *
 * @example
 * const facts = factsByTicket(allEvents); // one entry per ticket with a creation event
 */
export function factsByTicket(history: readonly TicketEvent[]): TicketFacts[] {
  const groups = new Map<string, TicketEvent[]>();
  for (const e of history) {
    const g = groups.get(e.ticketId);
    if (g) g.push(e);
    else groups.set(e.ticketId, [e]);
  }
  const out: TicketFacts[] = [];
  for (const events of groups.values()) {
    const f = ticketFacts(events);
    if (f) out.push(f);
  }
  return out;
}
