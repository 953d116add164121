/** Job: a complaint that takes time gets its periodic update to the customer. */
import { ticketRef } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import type { PluginJobContext } from "../../../ports/desk-plugin.js";
import { renderTemplate } from "../../../template/render-template.js";
import type { Template } from "../../../domain/template.js";

const COMPLAINT_ACTOR = { kind: "system", id: "complaint" } as const;

/**
 * Sends the `complaint_update` template while the case is in resolve or inform, then records
 * `update_sent` (which schedules the next one). Outside a reply window with no template the
 * agents get `complaint.update_blocked` once and the updates stop.
 *
 * @example
 * jobs: { "complaint.update_due": (context) => complaintUpdateJob(context, template) }
 */
export async function complaintUpdateJob({ job, now, desk }: PluginJobContext, template: Template): Promise<void> {
  if (!job.ticketId) return;
  const ticketId = job.ticketId;
  const ticket = await desk.readTicket(ticketId);
  if (
    !ticket?.complaint ||
    ticket.status === "closed" ||
    (ticket.complaint.step !== "inform" && ticket.complaint.step !== "resolve")
  )
    return;
  const customer = await desk.readCustomer(ticket.customerId);
  const locale = customer?.locale ?? ticket.language;
  const variables = { ticket: { ref: ticketRef(ticket) }, customer: { name: customer?.name ?? null } };
  const rendered = renderTemplate(template, variables, locale, { onMissing: "empty" });
  try {
    await desk.send(
      ticketId,
      { text: rendered.body, authorKind: "system", automatic: true, purpose: "complaint_update" },
      COMPLAINT_ACTOR,
    );
  } catch (err) {
    if (!StoredeskError.is(err, "REPLY_WINDOW_CLOSED")) throw err;
    // The channel only takes templates now and the shop maps this update to none: tell the
    // agents once and stop (no retry loop); a new customer message reopens the window.
    await desk.decide(
      ticketId,
      () => ({
        events: [
          {
            type: "complaint.update_blocked",
            data: { reason: "reply_window_closed", suggestedTemplate: err.details?.suggestedTemplate ?? null },
          },
        ],
      }),
      COMPLAINT_ACTOR,
      { at: now },
    );
    desk.reportError(err, `complaint update of ticket ${ticketId}: the channel needs a template; an agent must write`);
    return;
  }
  await desk.advanceComplaint(ticketId, { type: "update_sent" }, { system: "complaint" }, { notifyCustomer: false });
}
