/** Job: a solved ticket nobody answered closes. */
import { act } from "../actions/ticket-fields.js";
import { autoCloseMs } from "../ticket-timers.js";
import type { JobHandler } from "./job-handler.js";

/**
 * Closes the ticket if it is still solved and has been for the auto-close delay.
 *
 * @example
 * handlers.set("ticket.auto_close", autoCloseJob);
 */
export const autoCloseJob: JobHandler = async (ctx, job, now) => {
  if (!job.ticketId) return;
  const ticket = await ctx.store.getTicket(job.ticketId);
  if (ticket?.status !== "solved" || !ticket.solvedAt || now.getTime() - ticket.solvedAt.getTime() < autoCloseMs(ctx) - 1000) return;
  await act(ctx, job.ticketId, { type: "set_status", status: "closed" }, { system: "auto-close" }, now);
};
