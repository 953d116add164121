/**
 * Approvals for the action plan's `decisionMaker`: an action that is the plan's decision (its
 * `decisions`), asked for by a rule, a macro or an agent without that role, is filed as an
 * approval request (a record `rules.approvals`, audited `approval.requested`) instead of being
 * performed; an agent with the role approves it (`approval.approved`, then the actions are
 * performed as that agent) or declines it (`approval.declined`). Like the commerce approval path
 * (`createCommerceActions` in `@storedesk/shopify`, for refunds over a compensation limit), the
 * request names the role, keeps who asked, and is decided once: the decision is a
 * compare-and-set on the record, so two approvers (or two instances) never perform it twice.
 */
import { randomUUID } from "node:crypto";
import type { Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import { heldActions } from "../../../rules/decision-authority.js";
import { applyMacro, type Macro } from "../../../rules/macro.js";
import type { RuleAction } from "../../../rules/rule-action.js";
import type { Desk } from "../../types.js";
import type { Job } from "../../../domain/job.js";
import { claimAction, performOne, performQueued } from "./perform-rule-actions.js";
import { RULE_NAMESPACES } from "./rule-records.js";
import { PERFORM_JOB, ruleActor, type RulesRuntime } from "./rules-runtime.js";

/** Records namespace of approval requests (stored as `rules.approvals`). */
export const APPROVALS_NS = "approvals";

/** An approval request as stored and returned. */
export interface ApprovalRequest {
  id: string;
  ticketId: string;
  status: "pending" | "approved" | "declined";
  /** The role that decides (the plan's `decisionMaker`). */
  approverRole: string;
  /** `agent:<id>` or `rules:<ruleId>`. */
  requestedBy: string;
  /** A macro applied whole on approval, or the listed actions. */
  macroId: string | null;
  actions: RuleAction[];
  /** The held actions' types, for lists and audit. */
  held: string[];
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

/** What asking for actions led to. */
export type ActionOutcome =
  { status: "done"; ticket: Ticket } | { status: "pending_approval"; approval: ApprovalRequest };

/** The role of a desk agent (`createDesk({ agents })`); null for an unknown agent. */
export function roleOf(desk: Pick<Desk, "agents">, agentId: string): string | null {
  return desk.agents.get(agentId)?.role ?? null;
}

/**
 * Files an approval request for the ticket's plan's decision maker, audited on the ticket.
 *
 * @example
 * const approval = await requestApproval(rt, ticket, { actions, macroId: null, requestedBy: "agent:kim", held });
 */
export async function requestApproval(
  rt: RulesRuntime,
  ticket: Ticket,
  input: { actions: RuleAction[]; macroId: string | null; requestedBy: string; held: RuleAction[] },
): Promise<ApprovalRequest> {
  const plan = rt.desk.actionPlans.get(ticket.category);
  if (!plan) throw new StoredeskError({ code: "INVALID_INPUT", message: `No action plan for ${ticket.category}` });
  const now = rt.desk.clock.now();
  const approval: ApprovalRequest = {
    id: randomUUID(),
    ticketId: ticket.id,
    status: "pending",
    approverRole: plan.decisionMaker,
    requestedBy: input.requestedBy,
    macroId: input.macroId,
    actions: input.actions,
    held: input.held.map((a) => a.type),
    requestedAt: now.toISOString(),
    decidedBy: null,
    decidedAt: null,
    note: null,
  };
  await rt.records.put({ namespace: APPROVALS_NS, key: approval.id, value: approval }, null);
  const actor = input.requestedBy.startsWith("agent:")
    ? { agentId: input.requestedBy.slice("agent:".length) }
    : { system: input.requestedBy };
  await rt.desk.recordEvent(
    ticket.id,
    "approval.requested",
    {
      approvalId: approval.id,
      approverRole: approval.approverRole,
      macroId: approval.macroId,
      held: approval.held,
      actions: approval.actions.map((a) => a.type),
    },
    actor,
  );
  return approval;
}

/**
 * A macro's reply rendered for a ticket with the desk's template variables (ticket, customer,
 * order, tracking, plan, information) in the customer's language.
 *
 * @example
 * const actions = await macroActions(desk, macro, ticket.id);
 */
export async function macroActions(desk: Desk, macro: Macro, ticketId: string): Promise<RuleAction[]> {
  const { variables, locale } = await desk.templateVariables(ticketId);
  return applyMacro(macro, variables, locale);
}

/**
 * Performs an agent's actions on a ticket: the reply (in the customer's language, through
 * `desk.reply`, so the reply window applies), then the field changes in one `desk.update` (and
 * `desk.assign` for team/assignee). Notes go through `desk.note`; other kinds are refused.
 *
 * @example
 * await performAsAgent(desk, ticketId, [{ type: "set_status", status: "solved" }], "kim");
 */
export async function performAsAgent(
  desk: Desk,
  ticketId: string,
  actions: readonly RuleAction[],
  agentId: string,
): Promise<Ticket> {
  const actor = { agentId };
  const ticket = await desk.getTicket(ticketId);
  const customer = await desk.getCustomer(ticket.customerId);
  let tags = ticket.tags;
  const fields: { status?: string; priority?: string; category?: string; tags?: string[] } = {};
  let assignment = null as { agentId: string | null; team?: string | null } | null;
  for (const a of actions) {
    if (a.type === "reply") {
      const lang = customer?.locale ?? ticket.language;
      const body = a.body[lang] ?? a.body[lang.split("-")[0]!] ?? Object.values(a.body)[0]!;
      await desk.reply(ticketId, { text: body, agentId });
    } else if (a.type === "add_note") await desk.note(ticketId, { text: a.text, agentId });
    else if (a.type === "set_status") fields.status = a.status;
    else if (a.type === "set_priority") fields.priority = a.priority;
    else if (a.type === "set_category") fields.category = a.category;
    else if (a.type === "add_tags") fields.tags = tags = [...new Set([...tags, ...a.tags])];
    else if (a.type === "remove_tags") fields.tags = tags = tags.filter((t) => !a.tags.includes(t));
    else if (a.type === "set_team") assignment = { agentId: assignment?.agentId ?? ticket.assigneeId, team: a.team };
    else if (a.type === "set_assignee") assignment = { team: assignment?.team ?? ticket.team, agentId: a.assigneeId };
    else
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `An agent's actions are a reply, a note and field changes, not ${a.type}`,
        path: ["actions"],
      });
  }
  if (assignment) await desk.assign(ticketId, assignment, actor);
  if (Object.keys(fields).length > 0) return desk.update(ticketId, fields as Parameters<Desk["update"]>[1], actor);
  return desk.getTicket(ticketId);
}

/**
 * An agent asks for actions (or a macro): performed when none is the plan's decision or the
 * agent holds the `decisionMaker` role, else filed for approval.
 *
 * @example
 * const out = await askAsAgent(rt, ticketId, { actions, macro: null }, "kim");
 */
export async function askAsAgent(
  rt: RulesRuntime,
  ticketId: string,
  what: { actions: RuleAction[]; macro: Macro | null },
  agentId: string,
): Promise<ActionOutcome> {
  const ticket = await rt.desk.getTicket(ticketId);
  const plan = rt.desk.actionPlans.get(ticket.category);
  const role = roleOf(rt.desk, agentId);
  // A macro's own field changes count too: held later, they would stop it after its reply went out.
  const asked: RuleAction[] = what.macro
    ? [{ type: "run_macro", macroId: what.macro.id }, ...what.macro.actions, ...what.actions]
    : what.actions;
  const held = heldActions(plan, role, asked);
  if (held.length > 0) {
    const approval = await requestApproval(rt, ticket, {
      actions: what.actions,
      macroId: what.macro?.id ?? null,
      requestedBy: `agent:${agentId}`,
      held,
    });
    return { status: "pending_approval", approval };
  }
  return { status: "done", ticket: await perform(rt, ticketId, what, agentId) };
}

async function perform(
  rt: RulesRuntime,
  ticketId: string,
  what: { actions: RuleAction[]; macro: Macro | null },
  agentId: string,
): Promise<Ticket> {
  if (!what.macro) return performAsAgent(rt.desk, ticketId, what.actions, agentId);
  // Rendered first: a missing variable refuses the whole macro before anything is written.
  const actions = await macroActions(rt.desk, what.macro, ticketId);
  await rt.desk.recordEvent(
    ticketId,
    "macro.applied",
    { macroId: what.macro.id, title: what.macro.title, actions: actions.map((a) => a.type) },
    { agentId },
  );
  return performAsAgent(rt.desk, ticketId, actions, agentId);
}

async function load(rt: RulesRuntime, approvalId: string) {
  const record = await rt.records.get(APPROVALS_NS, approvalId);
  if (!record)
    throw new StoredeskError({ code: "NOT_FOUND", message: `No approval "${approvalId}"`, path: ["approvalId"] });
  return { record, approval: record.value as ApprovalRequest };
}

/** Ticket meta key: the approvals decided on the ticket (`{ [approvalId]: verdict }`), the decision's own marker. */
export const APPROVALS_DECIDED = "rulesApprovalsDecided";

function decidedAlready(approvalId: string, status: string, decidedBy: string | null): StoredeskError {
  return new StoredeskError({
    code: "CONFLICT",
    message: `Approval ${approvalId} was ${status} already`,
    path: ["approvalId"],
    retryable: false,
    details: { status, decidedBy },
  });
}

/** Brings the request's record up to its decision (after the ticket's commit, or by the job after a crash). */
async function storeDecision(rt: RulesRuntime, decided: ApprovalRequest): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const record = await rt.records.get(APPROVALS_NS, decided.id);
    if (!record || (record.value as ApprovalRequest).status !== "pending") return;
    try {
      await rt.records.put({ namespace: APPROVALS_NS, key: decided.id, value: decided }, record.version);
      return;
    } catch (error) {
      if (!StoredeskError.is(error, "CONFLICT")) throw error;
    }
  }
}

/**
 * Approves or declines a pending request. The agent must hold the request's role
 * (APPROVAL_REQUIRED otherwise); a request decided already is a CONFLICT. The decision is one
 * ticket write: the audit event (`approval.approved` / `approval.declined`), a marker on the
 * ticket (`meta.rulesApprovalsDecided`, so a second decision, on any instance, is a CONFLICT)
 * and, for an approval, a `rules.perform` job carrying the actions. Then the request's record
 * follows and this instance performs the job at once; a process that dies in between leaves the
 * job to any instance's scheduler (`desk.runDue`), which performs the actions once.
 *
 * @example
 * await decideApproval(rt, approvalId, "lead-park", "approved", null);
 */
export async function decideApproval(
  rt: RulesRuntime,
  approvalId: string,
  agentId: string,
  verdict: "approved" | "declined",
  note: string | null,
): Promise<ApprovalRequest> {
  const { approval } = await load(rt, approvalId);
  const role = roleOf(rt.desk, agentId);
  if (role !== approval.approverRole) {
    throw new StoredeskError({
      code: "APPROVAL_REQUIRED",
      message: `Approval ${approvalId} is for an agent with role ${approval.approverRole}`,
      path: ["agentId"],
      details: { approverRole: approval.approverRole, role },
    });
  }
  if (approval.status !== "pending") throw decidedAlready(approvalId, approval.status, approval.decidedBy);
  const now = rt.desk.clock.now();
  const decided: ApprovalRequest = {
    ...approval,
    status: verdict,
    decidedBy: agentId,
    decidedAt: now.toISOString(),
    note,
  };
  const job = { key: `rules-approval:${approvalId}`, ticketId: approval.ticketId, payload: { approval: decided } };
  await rt.desk.decide(
    approval.ticketId,
    (ticket, at) => {
      const done = (ticket.meta[APPROVALS_DECIDED] as Record<string, string> | undefined) ?? {};
      if (done[approvalId]) throw decidedAlready(approvalId, done[approvalId], null);
      return {
        ticket: { meta: { [APPROVALS_DECIDED]: { ...done, [approvalId]: verdict } } },
        events: [
          {
            type: verdict === "approved" ? "approval.approved" : "approval.declined",
            data: { approvalId, approverRole: approval.approverRole, requestedBy: approval.requestedBy, note },
          },
        ],
        effects:
          verdict === "approved"
            ? [{ type: "schedule", job: { ...job, type: PERFORM_JOB, runAt: at, payload: { ...job.payload } } }]
            : [],
      };
    },
    { kind: "agent", id: agentId },
  );
  await storeDecision(rt, decided);
  if (verdict === "approved") {
    // Through performQueued: the commit's after-commit run may have started this job already.
    await performQueued(rt, job, now);
    await rt.desk.store.cancelJob(job.key);
  }
  return decided;
}

/**
 * Performs an approved request's actions (the `rules.perform` job its approval scheduled): a
 * rule's actions one by one as the rule, each claimed first and audited `rule.action` with the
 * approval's id; an agent's actions (or macro) as the approving agent, claimed as one. The
 * request's record is brought up to the decision first (a crash may have left it pending).
 *
 * @example
 * await performApproved(rt, job, now);
 */
export async function performApproved(
  rt: RulesRuntime,
  job: Pick<Job, "key" | "ticketId" | "payload">,
  now: Date,
): Promise<void> {
  const approval = job.payload["approval"] as ApprovalRequest;
  await storeDecision(rt, approval);
  const approvalId = approval.id;
  if (approval.requestedBy.startsWith("rules:")) {
    // A rule's held action: performed as the rule would have, after the approval in the log.
    const ruleId = approval.requestedBy.slice("rules:".length);
    for (const [i, action] of approval.actions.entries()) {
      if (!(await claimAction(rt, `${job.key}#${i}`, now))) continue;
      const ticket = await rt.desk.getTicket(approval.ticketId);
      if (ticket.status === "closed") return;
      const data = { ruleId, action: action.type, approvalId };
      try {
        await performOne(rt, ticket, { ruleId, action, depth: 0, event: "approval" }, now);
        await rt.desk.recordEvent(ticket.id, "rule.action", data, ruleActor(ruleId));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await rt.desk.recordEvent(ticket.id, "rule.action_failed", { ...data, error: reason }, ruleActor(ruleId));
      }
    }
    return;
  }
  if (!(await claimAction(rt, `${job.key}#0`, now))) return;
  const agentId = approval.decidedBy!;
  try {
    const record = approval.macroId ? await rt.records.get(RULE_NAMESPACES.macros, approval.macroId) : null;
    const macro = record ? (record.value as { rule: Macro }).rule : null;
    if (approval.macroId && !macro)
      throw new StoredeskError({ code: "NOT_FOUND", message: `No macro "${approval.macroId}"`, path: ["macroId"] });
    await perform(rt, approval.ticketId, { actions: macro ? [] : approval.actions, macro }, agentId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await rt.desk.recordEvent(approval.ticketId, "approval.failed", { approvalId, error: reason }, { agentId });
    throw error;
  }
}

/**
 * Approval requests, newest first, optionally only one status or one ticket's.
 *
 * @example
 * await listApprovals(rt, { status: "pending" });
 */
export async function listApprovals(
  rt: RulesRuntime,
  filter: { status?: ApprovalRequest["status"]; ticketId?: string } = {},
): Promise<ApprovalRequest[]> {
  return (await rt.records.list(APPROVALS_NS))
    .map((r) => r.value as ApprovalRequest)
    .filter(
      (a) => (!filter.status || a.status === filter.status) && (!filter.ticketId || a.ticketId === filter.ticketId),
    )
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}
