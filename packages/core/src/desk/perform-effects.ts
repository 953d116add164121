/**
 * The one place a decision's effects are carried out, for every `Effect` variant:
 * `schedule` and `cancel_job` inside the decision's transaction; `send` and `emit` after its
 * commit (in that order of the list).
 */
import type { Message } from "../domain/message.js";
import type { Ticket } from "../domain/ticket.js";
import type { Effect } from "../decision.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import type { DeskContext } from "./context.js";
import { sendEffect } from "./outbox/send-effect.js";
import type { KnownState } from "./outbox/send-on-ticket.js";

/**
 * Carries out the effects that belong in the transaction (`schedule`, `cancel_job`) and returns
 * the others, which run after commit ({@link performLaterEffects}).
 *
 * @example
 * const later = await performStoreEffects(ctx, tx, decision.effects);
 */
export async function performStoreEffects(ctx: DeskContext, tx: StoreOps, effects: Effect[]): Promise<Effect[]> {
  const later: Effect[] = [];
  for (const effect of effects) {
    if (effect.type === "schedule") {
      await tx.scheduleJob({ ...effect.job, id: ctx.newId(), attempts: 0, lockedBy: null, lockedUntil: null });
    } else if (effect.type === "cancel_job") await tx.cancelJob(effect.key);
    else later.push(effect);
  }
  return later;
}

/**
 * Carries out the effects left for after commit on the saved `ticket`: `emit` fires the desk
 * event with the ticket; `send` renders and sends (a failure is on record as a failed message
 * and reported on `error`, never thrown: the decision is committed). Returns the messages sent.
 *
 * @example
 * await performLaterEffects(ctx, saved.ticket, saved.later);
 */
export async function performLaterEffects(
  ctx: DeskContext, ticket: Ticket, effects: readonly Effect[], known?: KnownState,
): Promise<Array<{ effect: Effect; message: Message | null }>> {
  const sent: Array<{ effect: Effect; message: Message | null }> = [];
  for (const effect of effects) {
    if (effect.type === "emit") {
      (ctx.emitter.emit as (event: string, payload: unknown) => boolean)(effect.event, { ticket, ...effect.data });
    } else if (effect.type === "send") {
      const message = await sendEffect(ctx, effect, effect.ticketId === ticket.id ? known : undefined).catch((error: unknown) => {
        const what = effect.reason === "auto_ack" ? "auto-acknowledgement" : `${effect.reason} message`;
        ctx.emitter.emit("error", { error, context: `${what} of ticket ${effect.ticketId}` });
        return null;
      });
      sent.push({ effect, message });
    } else if (effect.type === "create_follow_up") {
      // Only applyTicketAction on a closed ticket asks for it; the ingest's decide stage opens follow-ups itself.
      const error = new StoredeskError({ code: "UNSUPPORTED", message: "create_follow_up is opened by ingest, not as an effect" });
      ctx.emitter.emit("error", { error, context: `effect on ticket ${effect.closedTicketId}` });
    }
  }
  return sent;
}
