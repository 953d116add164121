/** Job: a solved ticket nobody answered closes. */
import type { Job } from "../../../domain/job.js";
import { act } from "../../actions/ticket-fields.js";
import type { DeskContext } from "../../context.js";

/**
 * Closes the ticket if it is still solved and has been for the auto-close delay.
 *
 * @example
 * await autoCloseJob(ctx, job, now, 96 * 3_600_000);
 */
export async function autoCloseJob(ctx: DeskContext, job: Job, now: Date, afterMs: number): Promise<void> {
  if (!job.ticketId) return;
  const ticket = await ctx.store.getTicket(job.ticketId);
  if (ticket?.status !== "solved" || !ticket.solvedAt || now.getTime() - ticket.solvedAt.getTime() < afterMs - 1000)
    return;
  await act(ctx, job.ticketId, { type: "set_status", status: "closed" }, { system: "auto-close" }, now);
}
