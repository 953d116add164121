/**
 * The one place a decision's effects are carried out, for every `Effect` variant:
 * `schedule` and `cancel_job` inside the decision's transaction; `send` through the outbox
 * (queued in the decision's transaction by the callers that hold one, see
 * `outbox/queue.ts`, sent after commit); `emit` after commit; `create_follow_up` is refused
 * (the ingest's decide stage opens follow-ups itself).
 */
import type { Ticket } from "../domain/ticket.js";
import type { Effect } from "../decision.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import type { DeskContext } from "./context.js";
import { queueSendEffects, type RefusedSend } from "./outbox/queue.js";
import { sendQueued } from "./outbox/sender.js";
import { withTx } from "./transaction.js";

/**
 * Carries out the effects that belong in the transaction (`schedule`, `cancel_job`) and returns
 * the others, which run after commit ({@link performLaterEffects}) or, for `send`, are queued
 * in the same transaction by the caller.
 *
 * @example
 * const later = await performStoreEffects(ctx, tx, decision.effects);
 */
export async function performStoreEffects(ctx: DeskContext, tx: StoreOps, effects: Effect[]): Promise<Effect[]> {
  const later: Effect[] = [];
  for (const effect of effects) {
    if (effect.type === "schedule") {
      const { key, type, ticketId, runAt, payload } = effect.job;
      // Field by field: `{ ...job, id, … }` adds keys to a spread copy, V8's slow path on Node 20 (see bench/README.md, perf-d).
      await tx.scheduleJob({
        id: ctx.newId(),
        key,
        type,
        ticketId,
        runAt,
        payload,
        attempts: 0,
        lockedBy: null,
        lockedUntil: null,
      });
    } else if (effect.type === "cancel_job") await tx.cancelJob(effect.key);
    else later.push(effect);
  }
  return later;
}

/**
 * Reports the sends the outbox refused at queue time (the decision stands; the message never
 * existed) on the desk's `error` event.
 *
 * @example
 * reportRefusedSends(ctx, refused);
 */
export function reportRefusedSends(ctx: DeskContext, refused: readonly RefusedSend[]): void {
  for (const { effect, error } of refused) {
    const what = effect.reason === "auto_ack" ? "auto-acknowledgement" : `${effect.reason} message`;
    ctx.emitter.emit("error", { error, context: `${what} of ticket ${effect.ticketId}` });
  }
}

/**
 * Carries out the effects left for after commit on the saved `ticket`: `emit` fires the desk
 * event with the ticket; a `send` that reached here (a caller without a transaction to queue
 * it in) is queued in its own transaction and sent; `create_follow_up` is reported as refused.
 *
 * @example
 * await performLaterEffects(ctx, saved.ticket, saved.later);
 */
export async function performLaterEffects(ctx: DeskContext, ticket: Ticket, effects: readonly Effect[]): Promise<void> {
  const sends = effects.filter((e) => e.type === "send");
  for (const effect of effects) {
    if (effect.type === "emit") {
      (ctx.emitter.emit as (event: string, payload: unknown) => boolean)(effect.event, { ticket, ...effect.data });
    } else if (effect.type === "create_follow_up") {
      const error = new StoredeskError({
        code: "UNSUPPORTED",
        message: "create_follow_up is opened by ingest, not as an effect",
      });
      ctx.emitter.emit("error", { error, context: `effect on ticket ${effect.closedTicketId}` });
    }
  }
  if (sends.length === 0) return;
  const { queued, refused } = await withTx(ctx, (tx) =>
    queueSendEffects(ctx, tx, { ticket, customer: null, effects: sends, now: ctx.clock.now() }),
  );
  reportRefusedSends(ctx, refused);
  await sendQueued(ctx, ticket, queued, "queued");
}
