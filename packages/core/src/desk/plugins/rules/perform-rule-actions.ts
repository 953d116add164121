/**
 * Performs the actions rules queued (everything but the field changes a new ticket or a
 * customer's message takes at once), through the desk's public methods so every lifecycle and
 * reply-window rule applies, each action audited with its rule id (`rule.action`).
 */
import { randomUUID } from "node:crypto";
import { openComplaint } from "../../../complaint/advance-complaint.js";
import type { Job } from "../../../domain/job.js";
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import type { Macro } from "../../../rules/macro.js";
import { renderTemplate } from "../../../template/render-template.js";
import { heldActions } from "../../../rules/decision-authority.js";
import { macroActions, performApproved, requestApproval } from "./approvals.js";
import { RULE_NAMESPACES } from "./rule-records.js";
import { RULE_TEMPLATES } from "./rule-templates.js";
import {
  PERFORM_JOB,
  performOnce,
  ruleActor,
  WAKE_JOB,
  type QueuedRuleAction,
  type RulesRuntime,
} from "./rules-runtime.js";

const DAY = 86_400_000;

function pickBody(body: Record<string, string>, language: string): string {
  const base = language.split("-")[0] ?? language;
  return body[language] ?? body[base] ?? body["ko"] ?? body["en"] ?? Object.values(body)[0]!;
}

/** Renders a template for the ticket: the desk's own (a shop template) first, else the plugin's default. */
async function renderFor(
  rt: RulesRuntime,
  templateId: string,
  ticket: Ticket,
): Promise<{ subject: string | null; body: string }> {
  try {
    return await rt.desk.renderForTicket(templateId, ticket.id);
  } catch (error) {
    const fallback = RULE_TEMPLATES.find((t) => t.id === templateId);
    if (!fallback || !StoredeskError.is(error, "NOT_FOUND")) throw error;
    const customer = await rt.desk.getCustomer(ticket.customerId);
    const variables = {
      ticket: { ref: `SD-${ticket.number}`, number: ticket.number },
      customer: { name: customer?.name ?? (ticket.language.startsWith("ko") ? "고객" : "there") },
    };
    return renderTemplate(fallback, variables, customer?.locale ?? ticket.language);
  }
}

/**
 * Applies one queued action to the ticket (fresh from the store) through the desk's methods.
 *
 * @example
 * await performOne(rt, ticket, { ruleId: "r1", action, depth: 0, event: "status_changed" }, now);
 */
export async function performOne(rt: RulesRuntime, ticket: Ticket, queued: QueuedRuleAction, now: Date): Promise<void> {
  const { desk } = rt;
  const actor = ruleActor(queued.ruleId);
  const a = queued.action;
  switch (a.type) {
    case "set_status":
      await desk.setStatus(ticket.id, a.status, actor);
      return;
    case "set_priority":
      await desk.setPriority(ticket.id, a.priority, actor);
      return;
    case "set_category":
      await desk.setCategory(ticket.id, a.category, actor);
      return;
    case "add_tags":
      await desk.setTags(ticket.id, [...new Set([...ticket.tags, ...a.tags])], actor);
      return;
    case "remove_tags":
      await desk.setTags(
        ticket.id,
        ticket.tags.filter((t) => !a.tags.includes(t)),
        actor,
      );
      return;
    case "set_team":
      await desk.assign(ticket.id, { agentId: ticket.assigneeId, team: a.team }, actor);
      return;
    case "set_assignee":
      await desk.assign(ticket.id, { agentId: a.assigneeId }, actor);
      return;
    case "add_note":
      await desk.note(ticket.id, { text: a.text });
      return;
    case "reply": {
      const customer = await desk.getCustomer(ticket.customerId);
      await desk.reply(ticket.id, {
        text: pickBody(a.body, customer?.locale ?? ticket.language),
        authorKind: "system",
        automatic: true,
        purpose: "proactive",
      });
      return;
    }
    case "send_template": {
      const rendered = await renderFor(rt, a.templateId, ticket);
      await desk.reply(ticket.id, {
        text: rendered.body,
        subject: rendered.subject,
        authorKind: "system",
        automatic: true,
        purpose: "proactive",
      });
      return;
    }
    case "run_macro": {
      // The macro's field changes were expanded into their own actions; here only its reply.
      const record = await rt.records.get(RULE_NAMESPACES.macros, a.macroId);
      if (!record) throw new StoredeskError({ code: "NOT_FOUND", message: `No macro "${a.macroId}"` });
      const macro = (record.value as { rule: Macro }).rule;
      const reply = (await macroActions(desk, { ...macro, actions: [] }, ticket.id))[0];
      if (reply?.type === "reply")
        await desk.reply(ticket.id, {
          text: Object.values(reply.body)[0]!,
          authorKind: "system",
          automatic: true,
          purpose: "proactive",
        });
      return;
    }
    case "start_complaint":
      await desk.decide(
        ticket.id,
        (t, at) =>
          t.complaint
            ? undefined
            : {
                ticket: { category: "complaint", complaint: openComplaint(at) },
                events: [
                  { type: "complaint.opened", data: { step: "listen", reason: `rule:${queued.ruleId}` } },
                  ...(t.category !== "complaint"
                    ? [
                        {
                          type: "category.changed",
                          data: { from: t.category, to: "complaint", reason: `rule:${queued.ruleId}` },
                        },
                      ]
                    : []),
                ],
              },
        { kind: "system", id: `rules:${queued.ruleId}` },
      );
      return;
    case "snooze": {
      if (ticket.status !== "pending") await desk.setStatus(ticket.id, "pending", actor);
      const until = a.hours !== undefined ? new Date(now.getTime() + a.hours * 3_600_000) : null;
      const snooze = {
        until: until?.toISOString() ?? null,
        untilCustomerReply: a.untilCustomerReply === true,
        ruleId: queued.ruleId,
      };
      // A customer's reply reopens a pending ticket by itself; the wake job covers "until a time".
      await desk.decide(
        ticket.id,
        () => ({
          ticket: { meta: { rulesSnooze: snooze } },
          events: [{ type: "ticket.snoozed", data: snooze }],
          effects: until
            ? [
                {
                  type: "schedule",
                  job: {
                    key: `rules-wake:${ticket.id}`,
                    type: WAKE_JOB,
                    ticketId: ticket.id,
                    runAt: until,
                    payload: { until: snooze.until },
                  },
                },
              ]
            : [],
        }),
        { kind: "system", id: `rules:${queued.ruleId}` },
      );
      return;
    }
    case "notify":
      return; // sent by its own job (see NOTIFY_JOB), scheduled with the decision
  }
}

/**
 * Performs a `rules.perform` job's actions in order. Each action is claimed first (an
 * insert-only record), so two instances (the one that committed the change and a scheduler
 * on another) never perform one twice; a crash between the claim and the action loses that
 * action (its `rule.action` audit event is then missing). Stops when the ticket is closed. A
 * caller arriving while this instance performs the job waits for that run.
 *
 * @example
 * await performQueued(rt, job, now);
 */
export function performQueued(
  rt: RulesRuntime,
  job: Pick<Job, "key" | "ticketId" | "payload">,
  now: Date,
): Promise<void> {
  return performOnce(rt, job.key, () => performQueuedNow(rt, job, now));
}

async function performQueuedNow(
  rt: RulesRuntime,
  job: Pick<Job, "key" | "ticketId" | "payload">,
  now: Date,
): Promise<void> {
  if (!job.ticketId) return;
  const actions = (job.payload["actions"] ?? []) as QueuedRuleAction[];
  // An approved request's actions: performed as the approval says, never held again.
  if (job.payload["approval"]) return performApproved(rt, job, now);
  for (const [i, queued] of actions.entries()) {
    if (!(await claimAction(rt, `${job.key}#${i}`, now))) continue; // performed (or being performed) elsewhere
    const ticket = await rt.desk.getTicket(job.ticketId);
    if (ticket.status === "closed") return; // rules never act on closed tickets
    const data = { ruleId: queued.ruleId, action: queued.action.type, event: queued.event, depth: queued.depth };
    // The action plan reserves this action to its decision maker: a request instead of the action.
    if (heldActions(rt.desk.actionPlans.get(ticket.category), null, [queued.action]).length > 0) {
      const approval = await requestApproval(rt, ticket, {
        actions: [queued.action],
        macroId: null,
        requestedBy: `rules:${queued.ruleId}`,
        held: [queued.action],
      });
      await rt.desk.recordEvent(
        ticket.id,
        "rule.action",
        { ...data, held: true, approvalId: approval.id },
        ruleActor(queued.ruleId),
      );
      continue;
    }
    try {
      await performOne(rt, ticket, queued, now);
      await rt.desk.recordEvent(ticket.id, "rule.action", data, ruleActor(queued.ruleId));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await rt.desk.recordEvent(ticket.id, "rule.action_failed", { ...data, error: reason }, ruleActor(queued.ruleId));
    }
  }
}

/**
 * Claims one action of a job (an insert-only record kept 14 days): true for the one caller that
 * may perform it, false when another run (this instance or another) claimed it first.
 *
 * @example
 * if (await claimAction(rt, `${job.key}#0`, now)) await performOne(rt, ticket, queued, now);
 */
export async function claimAction(rt: RulesRuntime, key: string, now: Date): Promise<boolean> {
  try {
    await rt.records.put(
      { namespace: "performed", key, value: { at: now.toISOString() }, expiresAt: new Date(now.getTime() + 14 * DAY) },
      null,
    );
    return true;
  } catch (error) {
    if (StoredeskError.is(error, "CONFLICT")) return false;
    throw error;
  }
}

/**
 * Performs, right after a commit, the queued actions of a ticket that are due, then removes
 * their jobs (the scheduler would find them claimed anyway).
 *
 * @example
 * await performPending(rt, ticketId);
 */
export async function performPending(rt: RulesRuntime, ticketId: string, at?: Date): Promise<void> {
  const clock = rt.desk.clock.now();
  const now = at && at > clock ? at : clock;
  const jobs = await rt.desk.store.listJobs({ ticketId });
  for (const job of jobs) {
    if (job.type !== PERFORM_JOB || job.runAt > now) continue;
    await performQueued(rt, job, now);
    await rt.desk.store.cancelJob(job.key);
  }
}

/** A unique key for one decision's perform job. */
export function performJobKey(ticketId: string): string {
  return `rules:${ticketId}:${randomUUID()}`;
}
