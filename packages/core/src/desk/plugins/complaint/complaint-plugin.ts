/**
 * The built-in complaint workflow as a plugin: a complaint ticket opens a case (listen →
 * apologize → resolve → inform → confirm); a customer who turns angry in an ongoing
 * conversation moves it into the workflow; cases that take time get periodic updates.
 */
import type { Classification } from "../../../classify/classify-text.js";
import { openComplaint } from "../../../complaint/advance-complaint.js";
import { priorityRank, type Priority } from "../../../domain/enums.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { EventDraft } from "../../../decision.js";
import type { DeskPlugin, HookDecision } from "../../../ports/desk-plugin.js";
import type { DeskContext } from "../../context.js";
import { complaintUpdateJob } from "./complaint-update-job.js";

/** Job type of a complaint's periodic update. */
export const COMPLAINT_JOB = "complaint.update_due";

/**
 * A customer who turns angry in an ongoing conversation gets the complaint workflow: the
 * ticket becomes a complaint (faster SLA), its priority rises to what the message suggests,
 * and a case opens. The original topic stays in `meta.topicBeforeComplaint`.
 *
 * @example
 * const decision = escalateOnComplaint(ctx, ticket, classification, now);
 */
export function escalateOnComplaint(
  ctx: DeskContext,
  ticket: Ticket,
  classification: Classification,
  now: Date,
): HookDecision | undefined {
  if (!classification.complaint.signal || ticket.category === "complaint") return undefined;
  const suggested = classification.suggestedPriority;
  const priority: Priority = priorityRank(suggested) > priorityRank(ticket.priority) ? suggested : ticket.priority;
  const events: EventDraft[] = [
    {
      type: "category.changed",
      data: {
        from: ticket.category,
        to: "complaint",
        reason: "complaint_signal",
        score: classification.complaint.score,
      },
    },
  ];
  if (priority !== ticket.priority)
    events.push({
      type: "priority.changed",
      data: { from: ticket.priority, to: priority, reason: "complaint_signal" },
    });
  if (!ticket.complaint)
    events.push({ type: "complaint.opened", data: { step: "listen", reason: "complaint_signal" } });
  const plan = ctx.actionPlans.get("complaint");
  return {
    ticket: {
      category: "complaint",
      priority,
      team: plan?.responsibleTeam ?? ticket.team,
      complaint:
        ticket.complaint ?? openComplaint(now, { updateIntervalMinutes: ctx.settings.complaintIntervalMinutes }),
      meta: { topicBeforeComplaint: ticket.category },
    },
    events,
  };
}

/**
 * The built-in complaint plugin (`createDesk({ complaint })`; off with `builtins: { complaint: false }`).
 *
 * @example
 * const plugin = complaintPlugin(ctx);
 */
export function complaintPlugin(ctx: DeskContext): DeskPlugin<"complaint"> {
  return {
    specVersion: 1,
    id: "complaint",
    hooks: {
      ticketCreated: ({ ticket, classification, now }) => {
        if (classification?.category !== "complaint" || ticket.complaint) return undefined;
        const complaint = openComplaint(now, {
          updateIntervalMinutes: ctx.settings.complaintIntervalMinutes,
          summary: null,
        });
        return { ticket: { complaint }, events: [{ type: "complaint.opened", data: { step: "listen" } }] };
      },
      customerMessage: ({ ticket, classification, now }) => escalateOnComplaint(ctx, ticket, classification, now),
    },
    jobs: { [COMPLAINT_JOB]: ({ job, now }) => complaintUpdateJob(ctx, job, now) },
  };
}
