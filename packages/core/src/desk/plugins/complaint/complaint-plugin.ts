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
import type { Template } from "../../../domain/template.js";
import { complaintUpdateJob } from "./complaint-update-job.js";

/** Options of {@link complaintPlugin} (from `createDesk({ complaint, actionPlans, templates })`). */
export interface ComplaintPluginOptions {
  /** Minutes between the periodic updates to the customer. */
  updateIntervalMinutes: number;
  /** The team the complaint action plan names (null: the ticket keeps its team). */
  responsibleTeam: string | null;
  /** The `complaint_update` template. */
  updateTemplate: Template;
}

/** Job type of a complaint's periodic update. */
export const COMPLAINT_JOB = "complaint.update_due";

/**
 * A customer who turns angry in an ongoing conversation gets the complaint workflow: the
 * ticket becomes a complaint (faster SLA), its priority rises to what the message suggests,
 * and a case opens. The original topic stays in `meta.topicBeforeComplaint`.
 *
 * @example
 * const decision = escalateOnComplaint(options, ticket, classification, now);
 */
export function escalateOnComplaint(
  options: Pick<ComplaintPluginOptions, "updateIntervalMinutes" | "responsibleTeam">,
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
  return {
    ticket: {
      category: "complaint",
      priority,
      team: options.responsibleTeam ?? ticket.team,
      complaint: ticket.complaint ?? openComplaint(now, { updateIntervalMinutes: options.updateIntervalMinutes }),
      meta: { topicBeforeComplaint: ticket.category },
    },
    events,
  };
}

/**
 * The built-in complaint plugin (`createDesk({ complaint })`; off with `builtins: { complaint: false }`).
 *
 * @example
 * const plugin = complaintPlugin({ updateIntervalMinutes: 1440, responsibleTeam: null, updateTemplate });
 */
export function complaintPlugin(options: ComplaintPluginOptions): DeskPlugin<"complaint"> {
  return {
    specVersion: 1,
    id: "complaint",
    hooks: {
      ticketCreated: ({ ticket, classification, now }) => {
        if (classification?.category !== "complaint" || ticket.complaint) return undefined;
        const complaint = openComplaint(now, {
          updateIntervalMinutes: options.updateIntervalMinutes,
          summary: null,
        });
        return { ticket: { complaint }, events: [{ type: "complaint.opened", data: { step: "listen" } }] };
      },
      customerMessage: ({ ticket, classification, now }) => escalateOnComplaint(options, ticket, classification, now),
    },
    jobs: { [COMPLAINT_JOB]: (context) => complaintUpdateJob(context, options.updateTemplate) },
  };
}
