/**
 * Runs a commerce action for a ticket: validates it, applies the guardrail (over
 * the limit → an approval request), keeps it idempotent under the caller's key,
 * and writes the audit event. Self-contained over a `Store` so the desk can adopt it.
 *
 * Exactly-once toward the shop: before calling the provider a run claims its key
 * (`putIdempotency` in scope `commerce-claim`, which the store makes unique across
 * processes). Concurrent runs with the same key wait for the holder's stored outcome
 * instead of calling the shop themselves. A failed call releases its claim (a record in
 * `commerce-claim-release`), so a retry with the same key may try again; a claim whose
 * holder died (process crash, or the outcome could not be stored after the shop acted)
 * stays "running": retries then get a retryable CONFLICT instead of a second refund.
 * An operator checks the shop (Shopify admin → the order's refunds / the discount code)
 * and either lets the agent use a new key, or, when nothing happened there, calls
 * {@link CommerceActions.releaseClaim} so the same key may run again.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  ActionPlanSchema,
  StoredeskError,
  parseInput,
  systemClock,
  type ActionPlan,
  type ActionPlanInput,
  type Actor,
  type Clock,
  type CommerceAction,
  type CommerceActionResult,
  type CommerceProvider,
  type Store,
  type StoreOps,
  type Ticket,
} from "@storedesk/core";
import { claimOnce, failClaim, releaseRunningClaim, type ClaimContext, type ClaimScopes } from "./claim.js";
import { checkActionAllowed, type GuardrailDecision } from "./guardrails.js";
import { CommerceActionSchema } from "./schemas.js";

/** Idempotency scope of action results (the caller's key). */
export const COMMERCE_SCOPE = "commerce";
/** Idempotency scope holding approval requests (key = approval id). */
export const APPROVAL_SCOPE = "commerce-approval";
/** Idempotency scope of in-flight claims (key = `<generation>:<idempotency key>`). */
export const CLAIM_SCOPE = "commerce-claim";
/** Idempotency scope marking a claim generation as finished without an outcome (failed or released by an operator). */
export const CLAIM_RELEASE_SCOPE = "commerce-claim-release";
const ACTION_SCOPES: ClaimScopes = { done: COMMERCE_SCOPE, claim: CLAIM_SCOPE, release: CLAIM_RELEASE_SCOPE };
/** Prefix of the keys approvals are recorded under; callers' keys may not start with it. */
const APPROVAL_KEY_PREFIX = "approval:";

/** An agent as the guardrail sees them. */
export interface ActionAgent {
  id: string;
  role: string;
  team?: string | null;
}

/** Options of {@link createCommerceActions}. */
export interface CommerceActionsOptions {
  commerce: CommerceProvider;
  store: Store;
  clock?: Clock;
  /** One action plan per category; a ticket whose category has none uses the `other` plan. */
  plans: ActionPlanInput[];
  agents: ActionAgent[];
  /** Id generator for events and approvals (default `randomUUID`). */
  newId?: () => string;
  /** Waits between polls while another run holds the same key (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How a run waits for a concurrent run with the same key: poll every `pollMs`
   * (default 250) up to `maxWaitMs` in total (default 15 000), then CONFLICT (retryable).
   */
  claimWait?: { pollMs?: number; maxWaitMs?: number };
}

/** A request to run an action on a ticket's behalf. */
export interface RunActionInput {
  ticketId: string;
  agentId: string;
  action: CommerceAction;
  /** Same key → same outcome, never a second refund. */
  idempotencyKey: string;
}

/** What running an action led to. `replayed` is true when a stored outcome was returned. */
export type RunActionOutcome =
  | { status: "done"; result: CommerceActionResult; replayed: boolean }
  | {
      status: "pending_approval";
      approvalId: string;
      reason: "over_limit" | "kind_not_allowed";
      approverRole: string;
      replayed: boolean;
    };

/** The object returned by {@link createCommerceActions}. */
export interface CommerceActions {
  /** Runs the action, or files it for approval when it exceeds the agent's authority. */
  run(input: RunActionInput): Promise<RunActionOutcome>;
  /** Performs a pending action; the approver must hold the plan's approver role. */
  approve(approvalId: string, approverAgentId: string): Promise<Extract<RunActionOutcome, { status: "done" }>>;
  /**
   * Operator tool for a key left "running" by a crashed process: after checking in the
   * shop that the action did NOT happen, releases the claim so a run with the same key
   * performs it. For an approval pass `approval:<approvalId>`. Returns false when no claim
   * is running (never claimed, already released, or finished with a stored outcome).
   */
  releaseClaim(idempotencyKey: string, operator: string): Promise<boolean>;
}

const RunInputSchema = z.object({
  ticketId: z.string().min(1),
  agentId: z.string().min(1),
  action: CommerceActionSchema,
  idempotencyKey: z
    .string()
    .min(1)
    .max(255)
    .refine((k) => !k.startsWith(APPROVAL_KEY_PREFIX), {
      message: `keys starting with "${APPROVAL_KEY_PREFIX}" are reserved`,
    }),
});

interface StoredOutcome {
  status: "done" | "pending_approval";
  fingerprint: string;
  ticketId: string;
  result?: CommerceActionResult;
  approvalId?: string;
  reason?: "over_limit" | "kind_not_allowed";
  approverRole?: string;
}

interface StoredApproval {
  ticketId: string;
  action: CommerceAction;
  idempotencyKey: string;
  requestedBy: string;
  approverRole: string;
  reason: "over_limit" | "kind_not_allowed";
  amount: number | null;
  percent: number | null;
  requestedAt: string;
}

function fingerprint(ticketId: string, action: CommerceAction): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sorted(x)]),
          )
        : v;
  return JSON.stringify([ticketId, sorted(action)]);
}

/**
 * Creates the guarded action runner.
 *
 * @example
 * const actions = createCommerceActions({ commerce, store, plans, agents });
 * const out = await actions.run({ ticketId, agentId: "kim", action: { type: "refund", orderId, reason: "broken" }, idempotencyKey: "t42-refund" });
 * if (out.status === "pending_approval") await actions.approve(out.approvalId, "lead-park");
 */
export function createCommerceActions(options: CommerceActionsOptions): CommerceActions {
  const { commerce, store } = options;
  const clock = options.clock ?? systemClock();
  const newId = options.newId ?? randomUUID;
  const plans: ActionPlan[] = options.plans.map((p, i) => parseInput(ActionPlanSchema, p, `action plan ${i}`));
  const agents = new Map(options.agents.map((a) => [a.id, a]));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = Math.max(1, options.claimWait?.pollMs ?? 250);
  const maxPolls = Math.max(0, Math.ceil((options.claimWait?.maxWaitMs ?? 15_000) / pollMs));
  const claims: ClaimContext = { store, clock, sleep, pollMs, maxPolls };

  function agentOf(id: string): ActionAgent {
    const agent = agents.get(id);
    if (!agent) throw new StoredeskError({ code: "NOT_FOUND", message: `unknown agent ${id}`, path: ["agentId"] });
    return agent;
  }

  function planFor(ticket: Ticket): ActionPlan {
    const plan = plans.find((p) => p.category === ticket.category) ?? plans.find((p) => p.category === "other");
    if (!plan)
      throw new StoredeskError({
        code: "UNSUPPORTED",
        message: `no action plan for category ${ticket.category}`,
        details: { category: ticket.category },
      });
    return plan;
  }

  async function loadTicket(id: string): Promise<Ticket> {
    const ticket = await store.getTicket(id);
    if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `ticket ${id} not found`, path: ["ticketId"] });
    return ticket;
  }

  async function totals(action: CommerceAction): Promise<{ orderTotal: number | null; linesTotal: number | null }> {
    const needsOrder =
      (action.type === "refund" && action.amount === undefined) || (action.type === "cancel" && action.refund);
    if (!needsOrder) return { orderTotal: null, linesTotal: null };
    const order = await commerce.getOrder(action.orderId);
    if (!order)
      throw new StoredeskError({
        code: "NOT_FOUND",
        message: `order ${action.orderId} not found`,
        path: ["action", "orderId"],
      });
    let linesTotal: number | null = null;
    if (action.type === "refund" && action.lines) {
      linesTotal = 0;
      for (const l of action.lines) {
        const line = order.lines.find((x) => x.id === l.lineId || x.id.endsWith(`/${l.lineId}`));
        if (!line)
          throw new StoredeskError({
            code: "INVALID_INPUT",
            message: `order has no line ${l.lineId}`,
            path: ["action", "lines"],
          });
        linesTotal += line.price * l.quantity;
      }
    }
    return { orderTotal: order.total, linesTotal };
  }

  /** Appends one event and bumps the ticket version, inside `tx`. */
  async function audit(
    tx: StoreOps,
    ticketId: string,
    type: string,
    actor: Actor,
    data: Record<string, unknown>,
  ): Promise<void> {
    const ticket = await tx.getTicket(ticketId);
    if (!ticket) throw new StoredeskError({ code: "NOT_FOUND", message: `ticket ${ticketId} not found` });
    const events = await tx.listEvents(ticketId);
    const seq = events.reduce((max, e) => Math.max(max, e.seq), 0) + 1;
    const at = clock.now();
    await tx.appendEvent({ id: newId(), ticketId, seq, type, at, actor, data });
    await tx.updateTicket({ ...ticket, version: ticket.version + 1, updatedAt: at }, ticket.version);
  }

  /**
   * A concurrent ticket write makes the transaction fail with CONFLICT (stale version); the
   * unit is run again at once, re-reading the ticket. A CONFLICT on the idempotency key itself
   * is final: `doneKey` then exists and the caller answers with the stored outcome.
   */
  async function inTransaction(doneKey: string, fn: (tx: StoreOps) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await store.transaction(fn);
        return;
      } catch (err) {
        const keyTaken = (await store.getIdempotency(COMMERCE_SCOPE, doneKey)) !== null;
        if (!StoredeskError.is(err, "CONFLICT") || keyTaken || attempt >= 5) throw err;
      }
    }
  }

  /**
   * Calls the shop at most once per key across concurrent runs and processes. Returns
   * `{ performed }` to the one run that called it (it then stores the outcome), or
   * `{ stored }` when another run's outcome under `finalKey` is the answer. The claim is
   * released only when `call` throws; once the shop has acted it stays, so a failure to
   * store the outcome blocks the key instead of risking a second refund.
   */
  async function claimAndCall(
    finalKey: string,
    owner: { ticketId: string; agentId: string },
    call: () => Promise<CommerceActionResult>,
  ): Promise<{ performed: CommerceActionResult } | { stored: StoredOutcome }> {
    const claimed = await claimOnce(
      claims,
      ACTION_SCOPES,
      finalKey,
      owner,
      ({ key, runningSince }) =>
        new StoredeskError({
          code: "CONFLICT",
          message: "another request is performing the action with this idempotency key; retry shortly",
          path: ["idempotencyKey"],
          retryable: true,
          details: { scope: CLAIM_SCOPE, claimKey: key, runningSince },
        }),
    );
    if ("stored" in claimed) return { stored: claimed.stored.result as StoredOutcome };
    try {
      return { performed: await call() };
    } catch (err) {
      await failClaim(claims, ACTION_SCOPES, claimed.key, err);
      throw err;
    }
  }

  async function replay(stored: StoredOutcome): Promise<RunActionOutcome> {
    if (stored.status === "done" && stored.result) return { status: "done", result: stored.result, replayed: true };
    const approvalId = stored.approvalId!;
    const executed = await store.getIdempotency(COMMERCE_SCOPE, `approval:${approvalId}`);
    if (executed) {
      const rec = executed.result as StoredOutcome;
      if (rec.result) return { status: "done", result: rec.result, replayed: true };
    }
    return {
      status: "pending_approval",
      approvalId,
      reason: stored.reason!,
      approverRole: stored.approverRole!,
      replayed: true,
    };
  }

  return {
    async run(rawInput) {
      const input = parseInput(RunInputSchema, rawInput, "commerce action request");
      const action: CommerceAction = input.action;
      const print = fingerprint(input.ticketId, action);
      const prior = await store.getIdempotency(COMMERCE_SCOPE, input.idempotencyKey);
      if (prior) {
        const stored = prior.result as StoredOutcome;
        if (stored.fingerprint !== print) {
          throw new StoredeskError({
            code: "CONFLICT",
            message: "idempotency key was used for a different action",
            path: ["idempotencyKey"],
            retryable: false,
          });
        }
        return replay(stored);
      }
      const agent = agentOf(input.agentId);
      const ticket = await loadTicket(input.ticketId);
      const plan = planFor(ticket);
      const { orderTotal, linesTotal } = await totals(action);
      const decision: GuardrailDecision = checkActionAllowed(action, {
        role: agent.role,
        plan,
        orderTotal,
        linesTotal,
      });
      const actor: Actor = { kind: "agent", id: agent.id };

      if (!decision.allowed) {
        const approvalId = newId();
        const now = clock.now();
        const approval: StoredApproval = {
          ticketId: ticket.id,
          action,
          idempotencyKey: input.idempotencyKey,
          requestedBy: agent.id,
          approverRole: decision.approverRole,
          reason: decision.reason,
          amount: decision.amount,
          percent: decision.percent,
          requestedAt: now.toISOString(),
        };
        const outcome: StoredOutcome = {
          status: "pending_approval",
          fingerprint: print,
          ticketId: ticket.id,
          approvalId,
          reason: decision.reason,
          approverRole: decision.approverRole,
        };
        try {
          await inTransaction(input.idempotencyKey, async (tx) => {
            await tx.putIdempotency({ scope: APPROVAL_SCOPE, key: approvalId, result: approval, createdAt: now });
            await tx.putIdempotency({
              scope: COMMERCE_SCOPE,
              key: input.idempotencyKey,
              result: outcome,
              createdAt: now,
            });
            await audit(tx, ticket.id, "commerce.approval_requested", actor, {
              approvalId,
              action,
              reason: decision.reason,
              approverRole: decision.approverRole,
              kind: decision.kind,
              amount: decision.amount,
              percent: decision.percent,
              limit: decision.limit,
              idempotencyKey: input.idempotencyKey,
            });
          });
        } catch (err) {
          const raced = await store.getIdempotency(COMMERCE_SCOPE, input.idempotencyKey);
          if (raced) return replay(raced.result as StoredOutcome);
          throw err;
        }
        return {
          status: "pending_approval",
          approvalId,
          reason: decision.reason,
          approverRole: decision.approverRole,
          replayed: false,
        };
      }

      const claimed = await claimAndCall(input.idempotencyKey, { ticketId: ticket.id, agentId: agent.id }, () =>
        commerce.performAction(action, input.idempotencyKey),
      );
      if ("stored" in claimed) {
        if (claimed.stored.fingerprint !== print) {
          throw new StoredeskError({
            code: "CONFLICT",
            message: "idempotency key was used for a different action",
            path: ["idempotencyKey"],
            retryable: false,
          });
        }
        return replay(claimed.stored);
      }
      const result = claimed.performed;
      const outcome: StoredOutcome = { status: "done", fingerprint: print, ticketId: ticket.id, result };
      try {
        await inTransaction(input.idempotencyKey, async (tx) => {
          await tx.putIdempotency({
            scope: COMMERCE_SCOPE,
            key: input.idempotencyKey,
            result: outcome,
            createdAt: clock.now(),
          });
          await audit(tx, ticket.id, "commerce.action", actor, {
            action,
            result,
            kind: decision.kind,
            idempotencyKey: input.idempotencyKey,
            approvedBy: null,
          });
        });
      } catch (err) {
        // A concurrent run with the same key stored first: its outcome is the answer.
        const raced = await store.getIdempotency(COMMERCE_SCOPE, input.idempotencyKey);
        if (raced) return replay(raced.result as StoredOutcome);
        throw err;
      }
      return { status: "done", result, replayed: false };
    },

    async approve(approvalId, approverAgentId) {
      if (typeof approvalId !== "string" || approvalId.length === 0)
        throw new StoredeskError({ code: "INVALID_INPUT", message: "approvalId is required", path: ["approvalId"] });
      const rec = await store.getIdempotency(APPROVAL_SCOPE, approvalId);
      if (!rec)
        throw new StoredeskError({
          code: "NOT_FOUND",
          message: `approval ${approvalId} not found`,
          path: ["approvalId"],
        });
      const approval = rec.result as StoredApproval;
      const executedKey = `approval:${approvalId}`;
      const executed = await store.getIdempotency(COMMERCE_SCOPE, executedKey);
      if (executed) {
        const done = executed.result as StoredOutcome;
        if (done.result) return { status: "done", result: done.result, replayed: true };
      }
      const approver = agentOf(approverAgentId);
      if (approver.role !== approval.approverRole) {
        throw new StoredeskError({
          code: "APPROVAL_REQUIRED",
          message: `approval ${approvalId} needs an agent with role ${approval.approverRole}`,
          path: ["approverAgentId"],
          details: { approverRole: approval.approverRole, role: approver.role },
        });
      }
      await loadTicket(approval.ticketId);
      // The original key goes to the provider, so its own deduplication also covers a retried approval.
      const claimed = await claimAndCall(executedKey, { ticketId: approval.ticketId, agentId: approver.id }, () =>
        commerce.performAction(approval.action, approval.idempotencyKey),
      );
      if ("stored" in claimed) {
        if (claimed.stored.result) return { status: "done", result: claimed.stored.result, replayed: true };
        throw new StoredeskError({
          code: "PROVIDER_ERROR",
          message: `approval ${approvalId} has a stored outcome without a result`,
        });
      }
      const result = claimed.performed;
      const outcome: StoredOutcome = {
        status: "done",
        fingerprint: fingerprint(approval.ticketId, approval.action),
        ticketId: approval.ticketId,
        result,
      };
      try {
        await inTransaction(executedKey, async (tx) => {
          await tx.putIdempotency({ scope: COMMERCE_SCOPE, key: executedKey, result: outcome, createdAt: clock.now() });
          await audit(
            tx,
            approval.ticketId,
            "commerce.action",
            { kind: "agent", id: approver.id },
            {
              action: approval.action,
              result,
              idempotencyKey: approval.idempotencyKey,
              approvalId,
              requestedBy: approval.requestedBy,
              approvedBy: approver.id,
            },
          );
        });
      } catch (err) {
        const raced = await store.getIdempotency(COMMERCE_SCOPE, executedKey);
        const done = raced?.result as StoredOutcome | undefined;
        if (done?.result) return { status: "done", result: done.result, replayed: true };
        throw err;
      }
      return { status: "done", result, replayed: false };
    },

    async releaseClaim(idempotencyKey, operator) {
      if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "idempotencyKey is required",
          path: ["idempotencyKey"],
        });
      if (typeof operator !== "string" || operator.length === 0)
        throw new StoredeskError({ code: "INVALID_INPUT", message: "operator is required", path: ["operator"] });
      return releaseRunningClaim(claims, ACTION_SCOPES, idempotencyKey, operator);
    },
  };
}
