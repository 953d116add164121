/** Job: a complaint that takes time gets its periodic update to the customer. */
import { ticketRef } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import { renderTemplate } from "../../../template/render-template.js";
import { advance } from "../../actions/complaint.js";
import { sendOnTicket } from "../../outbox/send-on-ticket.js";
import { mutateTicket } from "../../save-ticket.js";
import type { JobHandler } from "../../jobs/job-handler.js";

/**
 * Sends the `complaint_update` template while the case is in resolve or inform, then records
 * `update_sent` (which schedules the next one). Outside a reply window with no template the
 * agents get `complaint.update_blocked` once and the updates stop.
 *
 * @example
 * handlers.set("complaint.update_due", complaintUpdateJob);
 */
export const complaintUpdateJob: JobHandler = async (ctx, job, now) => {
  if (!job.ticketId) return;
  const ticketId = job.ticketId;
  const ticket = await ctx.store.getTicket(ticketId);
  if (
    !ticket?.complaint ||
    ticket.status === "closed" ||
    (ticket.complaint.step !== "inform" && ticket.complaint.step !== "resolve")
  )
    return;
  const customer = await ctx.store.getCustomer(ticket.customerId);
  const locale = customer?.locale ?? ticket.language;
  const variables = { ticket: { ref: ticketRef(ticket) }, customer: { name: customer?.name ?? null } };
  const rendered = renderTemplate(ctx.templates.get("complaint_update")!, variables, locale, { onMissing: "empty" });
  try {
    const send = {
      text: rendered.body,
      authorKind: "system" as const,
      automatic: true,
      purpose: "complaint_update" as const,
    };
    await sendOnTicket(ctx, ticketId, send, { kind: "system", id: "complaint" });
  } catch (err) {
    if (!StoredeskError.is(err, "REPLY_WINDOW_CLOSED")) throw err;
    // The channel only takes templates now and the shop maps this update to none: tell the
    // agents once and stop (no retry loop); a new customer message reopens the window.
    await mutateTicket(
      ctx,
      ticketId,
      { kind: "system", id: "complaint" },
      (current) => ({
        ok: true,
        value: current,
        events: [
          {
            type: "complaint.update_blocked",
            data: { reason: "reply_window_closed", suggestedTemplate: err.details?.suggestedTemplate ?? null },
          },
        ],
        effects: [],
      }),
      undefined,
      { at: now },
    );
    ctx.emitter.emit("error", {
      error: err,
      context: `complaint update of ticket ${ticketId}: the channel needs a template; an agent must write`,
    });
    return;
  }
  await advance(ctx, ticketId, { type: "update_sent" }, { system: "complaint" }, { notifyCustomer: false });
};
