/**
 * What closing a ticket cancels, as data: shared by the auto-close plugin (a ticket closes) and
 * the desk's merge action (a ticket is merged away), so neither depends on the other.
 */
import { complaintUpdateJobKey } from "../complaint/advance-complaint.js";
import type { Effect } from "../decision.js";

/**
 * Every timer a ticket can have (its SLA check, complaint update and auto-close jobs), as
 * `cancel_job` effects: cancelled when it closes or is merged away.
 *
 * @example
 * await performStoreEffects(ctx, tx, closingEffects(ticket.id));
 */
export function closingEffects(ticketId: string): Effect[] {
  return [`sla:${ticketId}`, complaintUpdateJobKey(ticketId), `autoclose:${ticketId}`].map((key) => ({
    type: "cancel_job" as const,
    key,
  }));
}
