/** Job: a solved ticket nobody answered closes. */
import type { Job } from "../../../domain/job.js";
import type { PluginDesk } from "../../../ports/desk-plugin.js";

/**
 * Closes the ticket if it is still solved and has been for the auto-close delay.
 *
 * @example
 * await autoCloseJob(desk, job, now, 96 * 3_600_000);
 */
export async function autoCloseJob(desk: PluginDesk, job: Job, now: Date, afterMs: number): Promise<void> {
  if (!job.ticketId) return;
  const ticket = await desk.readTicket(job.ticketId);
  if (ticket?.status !== "solved" || !ticket.solvedAt || now.getTime() - ticket.solvedAt.getTime() < afterMs - 1000)
    return;
  await desk.act(
    job.ticketId,
    { type: "set_status", status: "closed" },
    { kind: "system", id: "auto-close" },
    { at: now },
  );
}
