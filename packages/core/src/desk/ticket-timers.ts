/** Timers that follow a ticket's status: auto-close after solving, nothing left once closed. */
import type { Ticket } from "../domain/ticket.js";
import type { Decision, Effect } from "../decision.js";
import { complaintUpdateJobKey } from "../complaint/advance-complaint.js";
import type { DeskContext } from "./context.js";

/** Job type that closes a solved ticket nobody answered. */
export const AUTO_CLOSE_JOB = "ticket.auto_close";

/**
 * How long a solved ticket waits before it closes.
 *
 * @example
 * autoCloseMs(ctx); // 96 h by default
 */
export function autoCloseMs(ctx: DeskContext): number {
  return (ctx.options.autoCloseAfterHours ?? 96) * 3_600_000;
}

/**
 * Every timer a ticket can have, cancelled when it closes or is merged away.
 *
 * @example
 * await performStoreEffects(ctx, tx, closingEffects(ticket.id));
 */
export function closingEffects(ticketId: string): Effect[] {
  return [`sla:${ticketId}`, complaintUpdateJobKey(ticketId), `autoclose:${ticketId}`].map((key) => ({ type: "cancel_job" as const, key }));
}

/**
 * Adds the timers a status change asks for to a decision: auto-close once solved, every timer
 * cancelled once closed.
 *
 * @example
 * withStatusTimers(ctx, current, applyTicketAction(current, action, now), now);
 */
export function withStatusTimers(ctx: DeskContext, before: Ticket, decision: Decision<Ticket>, now: Date): Decision<Ticket> {
  if (!decision.ok) return decision;
  const status = decision.value.status;
  if (status === "solved" && before.status !== "solved") {
    decision.effects.push({
      type: "schedule",
      job: { key: `autoclose:${before.id}`, type: AUTO_CLOSE_JOB, ticketId: before.id, runAt: new Date(now.getTime() + autoCloseMs(ctx)), payload: {} },
    });
  }
  if (status === "closed" && before.status !== "closed") decision.effects.push(...closingEffects(before.id));
  return decision;
}
