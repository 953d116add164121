/** Agent action: a complaint through listen → apologize → resolve → inform → confirm → closed. */
import {
  advanceComplaint,
  ComplaintActionSchema,
  openComplaint,
  type ComplaintActionInput,
} from "../../complaint/advance-complaint.js";
import { resolveRootCause } from "../../complaint/root-causes.js";
import { ticketRef, type Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import { renderTemplate } from "../../template/render-template.js";
import type { DeskContext } from "../context.js";
import { sendOnTicket } from "../outbox/send-on-ticket.js";
import { mutateTicket } from "../save-ticket.js";
import { accept, ActorSchema, toActor } from "../schemas.js";
import { parseInput } from "../../validate.js";
import type { ActorInput } from "../types.js";

/**
 * Takes one step of the complaint workflow (opening a case when there is none); after
 * `resolution_done` the customer gets the confirmation unless `notifyCustomer` is false.
 *
 * @example
 * await advance(ctx, ticketId, { type: "apologized" }, { agentId: "kim" });
 */
export async function advance(
  ctx: DeskContext,
  ticketId: string,
  input: ComplaintActionInput,
  actor: ActorInput,
  opts: { notifyCustomer?: boolean } = {},
): Promise<Ticket> {
  let action = accept(ComplaintActionSchema, input, "complaint action");
  // The cause is recorded by the shop's taxonomy id, whether the agent gave the id or its name.
  if (action.type === "customer_confirmed" && action.rootCause)
    action = { ...action, rootCause: resolveRootCause(ctx.settings.rootCauses, action.rootCause) };
  const who = toActor(parseInput(ActorSchema, actor, "actor")); // required here: someone takes the step
  const interval = ctx.settings.complaintIntervalMinutes;
  const { ticket } = await mutateTicket(ctx, ticketId, who, (current, _tx, now) => {
    if (!current.complaint) {
      if (current.status === "closed")
        return { ok: false, error: new StoredeskError({ code: "TICKET_CLOSED", message: "Ticket is closed" }) };
      current = { ...current, complaint: openComplaint(now, { updateIntervalMinutes: interval }) };
    }
    const d = advanceComplaint(current.complaint!, action, now, { ticketId, by: who.id });
    if (!d.ok) return d;
    return { ok: true, value: { ...current, complaint: d.value }, events: d.events, effects: d.effects };
  });
  ctx.emitter.emit("complaint.advanced", { ticket, complaint: ticket.complaint! });
  if (action.type === "resolution_done" && opts.notifyCustomer !== false) {
    const customer = await ctx.store.getCustomer(ticket.customerId);
    const variables = {
      ticket: { ref: ticketRef(ticket) },
      customer: { name: customer?.name ?? null },
      resolution: ticket.complaint?.resolution,
    };
    const rendered = renderTemplate(
      ctx.templates.get("complaint_confirm")!,
      variables,
      customer?.locale ?? ticket.language,
      { onMissing: "empty" },
    );
    // The step is taken; a failed confirmation is on record as a failed message for an agent to resend.
    const send = {
      text: rendered.body,
      authorKind: "system" as const,
      automatic: true,
      purpose: "complaint_confirm" as const,
    };
    await sendOnTicket(ctx, ticketId, send, { kind: "system", id: "complaint" }).catch((error: unknown) =>
      ctx.emitter.emit("error", { error, context: `complaint confirmation on ticket ${ticketId}` }),
    );
  }
  return (await ctx.store.getTicket(ticketId)) ?? ticket;
}
