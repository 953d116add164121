/** Job: the SLA timer fired (a warning or breach is due): re-evaluate the ticket's SLA. */
import type { PluginJobContext } from "../../../ports/desk-plugin.js";

/**
 * Records `sla.checked`; saving the ticket re-evaluates its SLA (the plugin's `ticketSaving`),
 * writes what fell due and re-times the next check.
 *
 * @example
 * jobs: { "sla.check": slaCheckJob }
 */
export async function slaCheckJob({ job, now, desk }: PluginJobContext): Promise<void> {
  if (!job.ticketId) return;
  const ticket = await desk.readTicket(job.ticketId);
  if (!ticket || ticket.status === "closed") return;
  await desk.decide(
    job.ticketId,
    () => ({ events: [{ type: "sla.checked", data: { at: now.toISOString() } }] }),
    { kind: "system", id: "sla" },
    { at: now },
  );
}
