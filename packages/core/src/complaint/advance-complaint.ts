import { z } from "zod";
import type { ComplaintCase, ComplaintStep } from "../domain/complaint.js";
import { StoredeskError } from "../errors.js";
import { decided, refused, type Decision, type Effect } from "../decision.js";

/** What moves a complaint forward. */
export const ComplaintActionSchema = z.discriminatedUnion("type", [
  /** The agent has heard the customer out and summarized the problem. */
  z.object({ type: z.literal("listened"), summary: z.string().trim().min(1).max(5000) }),
  /** The agent has apologized to the customer. */
  z.object({ type: z.literal("apologized") }),
  /** A resolution from the action plan is under way (refund started, replacement shipped…). */
  z.object({ type: z.literal("resolution_started"), resolution: z.string().trim().min(1).max(2000) }),
  /** The customer was updated while the resolution takes time. */
  z.object({ type: z.literal("update_sent") }),
  /** The resolution is complete; ask the customer to confirm. */
  z.object({ type: z.literal("resolution_done"), resolution: z.string().trim().min(1).max(2000).optional() }),
  /** The customer's answer to the confirmation. Satisfied requires the root cause. */
  z.object({
    type: z.literal("customer_confirmed"),
    satisfied: z.boolean(),
    rootCause: z.string().trim().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
  }),
]);
/** A complaint action (input form). */
export type ComplaintActionInput = z.input<typeof ComplaintActionSchema>;
/** A complaint action. */
export type ComplaintAction = z.output<typeof ComplaintActionSchema>;

/** Which action each step waits for. */
const ALLOWED: Record<ComplaintStep, ReadonlyArray<ComplaintAction["type"]>> = {
  listen: ["listened"],
  apologize: ["apologized"],
  resolve: ["resolution_started", "resolution_done"],
  inform: ["update_sent", "resolution_done"],
  confirm: ["customer_confirmed"],
  closed: [],
};

/** Job key of a ticket's complaint update reminder. */
export function complaintUpdateJobKey(ticketId: string): string {
  return `complaint-update:${ticketId}`;
}

/**
 * Opens a complaint case in the `listen` step.
 *
 * @example
 * const complaint = openComplaint(now, { updateIntervalMinutes: 24 * 60 });
 */
export function openComplaint(
  now: Date,
  options: { updateIntervalMinutes?: number; summary?: string | null } = {},
): ComplaintCase {
  const at = now.toISOString();
  return {
    step: "listen",
    openedAt: at,
    stepEnteredAt: at,
    history: [{ step: "listen", at, by: null, note: null }],
    summary: options.summary ?? null,
    resolution: null,
    updateIntervalMinutes: options.updateIntervalMinutes ?? 24 * 60,
    nextUpdateDueAt: null,
    reopenCount: 0,
    rootCause: null,
  };
}

/**
 * The complaint recovery workflow as a pure function:
 * listen → apologize → resolve → inform (updates every `updateIntervalMinutes`
 * while unresolved) → confirm → closed with a root cause. "Not satisfied" at
 * confirmation goes back to resolve. Out-of-order actions are refused with
 * ILLEGAL_TRANSITION and change nothing.
 *
 * @example
 * const d = advanceComplaint(c, { type: "listened", summary: "Box arrived crushed" }, now, { ticketId, by: "agent-1" });
 */
export function advanceComplaint(
  current: ComplaintCase,
  action: ComplaintAction,
  now: Date,
  context: { ticketId: string; by: string | null },
): Decision<ComplaintCase> {
  if (!ALLOWED[current.step].includes(action.type)) {
    return refused(
      new StoredeskError({
        code: "ILLEGAL_TRANSITION",
        message: `Complaint is at "${current.step}"; "${action.type}" is not possible now (expected ${ALLOWED[current.step].join(" or ") || "nothing: it is closed"})`,
        details: { step: current.step, action: action.type },
      }),
    );
  }
  const at = now.toISOString();
  const updateKey = complaintUpdateJobKey(context.ticketId);
  const enter = (step: ComplaintStep, patch: Partial<ComplaintCase>, note: string | null = null): ComplaintCase => ({
    ...current,
    ...patch,
    step,
    stepEnteredAt: step === current.step ? current.stepEnteredAt : at,
    history: [...current.history, { step, at, by: context.by, note }],
  });
  const scheduleUpdate = (): { due: string; effect: Effect } => {
    const due = new Date(now.getTime() + current.updateIntervalMinutes * 60_000);
    return {
      due: due.toISOString(),
      effect: {
        type: "schedule",
        job: { key: updateKey, type: "complaint.update_due", ticketId: context.ticketId, runAt: due, payload: {} },
      },
    };
  };
  const event = (step: ComplaintStep, extra: Record<string, unknown> = {}) => ({
    type: "complaint.advanced",
    data: { from: current.step, to: step, action: action.type, ...extra },
  });

  switch (action.type) {
    case "listened": {
      const next = enter("apologize", { summary: action.summary }, action.summary);
      return decided(next, [event("apologize")]);
    }
    case "apologized":
      return decided(enter("resolve", {}), [event("resolve")]);
    case "resolution_started":
    case "update_sent": {
      const { due, effect } = scheduleUpdate();
      const resolution = action.type === "resolution_started" ? action.resolution : current.resolution;
      return decided(
        enter(
          "inform",
          { resolution, nextUpdateDueAt: due },
          action.type === "resolution_started" ? action.resolution : null,
        ),
        [event("inform", { nextUpdateDueAt: due })],
        [effect],
      );
    }
    case "resolution_done": {
      const resolution = action.resolution ?? current.resolution;
      if (!resolution) {
        return refused(
          new StoredeskError({
            code: "INVALID_INPUT",
            message: "Say what resolved the complaint",
            path: ["resolution"],
          }),
        );
      }
      return decided(
        enter("confirm", { resolution, nextUpdateDueAt: null }, resolution),
        [event("confirm")],
        [{ type: "cancel_job", key: updateKey }],
      );
    }
    case "customer_confirmed": {
      if (!action.satisfied) {
        const next = enter(
          "resolve",
          { reopenCount: current.reopenCount + 1 },
          action.note ?? "customer not satisfied",
        );
        return decided(next, [event("resolve", { satisfied: false })]);
      }
      if (!action.rootCause) {
        return refused(
          new StoredeskError({
            code: "INVALID_INPUT",
            message: "Record the root cause before closing a complaint",
            path: ["rootCause"],
          }),
        );
      }
      const next = enter("closed", { rootCause: action.rootCause, nextUpdateDueAt: null }, action.note ?? null);
      return decided(
        next,
        [event("closed", { satisfied: true, rootCause: action.rootCause })],
        [{ type: "cancel_job", key: updateKey }],
      );
    }
  }
}
