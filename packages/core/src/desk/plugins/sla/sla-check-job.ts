/** Job: the SLA timer fired (a warning or breach is due): re-evaluate the ticket's SLA. */
import { mutateTicket } from "../../save-ticket.js";
import type { JobHandler } from "../../jobs/job-handler.js";

/**
 * Records `sla.checked`; saving the ticket re-evaluates its SLA, writes what fell due and
 * re-times the next check.
 *
 * @example
 * await slaCheckJob(ctx, job, now);
 */
export const slaCheckJob: JobHandler = async (ctx, job, now) => {
  if (!job.ticketId) return;
  const ticket = await ctx.store.getTicket(job.ticketId);
  if (!ticket || ticket.status === "closed") return;
  await mutateTicket(
    ctx,
    job.ticketId,
    { kind: "system", id: "sla" },
    (current) => ({
      ok: true,
      value: current,
      events: [{ type: "sla.checked", data: { at: now.toISOString() } }],
      effects: [],
    }),
    undefined,
    { at: now },
  );
};
