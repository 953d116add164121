/** Agent action: two tickets of one customer become one. */
import { closingEffects } from "../../domain/closing-effects.js";
import { StoredeskError } from "../../errors.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import { parseInput } from "../../validate.js";
import { appendEvents } from "../audit-log.js";
import type { DeskContext } from "../context.js";
import { performStoreEffects } from "../perform-effects.js";
import { saveTicket } from "../save-ticket.js";
import { IdSchema, toActor } from "../schemas.js";
import { withTx } from "../transaction.js";
import type { Desk } from "../types.js";

/**
 * The desk's `merge`: the source's messages move to the target, the source closes with
 * `mergedInto`, both get an audit event.
 *
 * @example
 * const { merge } = mergeTicketActions(ctx);
 */
export function mergeTicketActions(ctx: DeskContext): Pick<Desk, "merge"> {
  return {
    async merge(sourceId, targetId, actor) {
      parseInput(IdSchema, sourceId, "source ticket id");
      parseInput(IdSchema, targetId, "target ticket id");
      if (sourceId === targetId)
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: "A ticket cannot be merged into itself",
          path: ["targetId"],
        });
      const who = toActor(actor);
      const result = await withTx(ctx, async (tx) => {
        const now = ctx.clock.now();
        const [source, target] = [await tx.getTicket(sourceId), await tx.getTicket(targetId)];
        if (!source || !target)
          throw new StoredeskError({ code: "NOT_FOUND", message: `Ticket ${!source ? sourceId : targetId} not found` });
        if (source.customerId !== target.customerId) {
          throw new StoredeskError({
            code: "INVALID_INPUT",
            message: "Only tickets of one customer can be merged",
            path: ["targetId"],
          });
        }
        if (target.status === "closed")
          throw new StoredeskError({
            code: "TICKET_CLOSED",
            message: "Cannot merge into a closed ticket",
            path: ["targetId"],
          });
        const s = applyTicketAction(source, { type: "merge_into", targetTicketId: target.id }, now);
        if (!s.ok) throw s.error;
        const t = applyTicketAction(
          target,
          { type: "absorb", sourceTicketId: source.id, sourceNumber: source.number },
          now,
        );
        if (!t.ok) throw t.error;
        const moved = await tx.moveMessages(source.id, target.id);
        await performStoreEffects(ctx, tx, [...s.effects, ...closingEffects(source.id)]);
        await appendEvents(ctx, tx, source.id, s.events, who, now);
        await tx.updateTicket(s.value, source.version);
        const tags = [...new Set([...target.tags, ...source.tags])];
        const drafts = t.events.map((e) => ({ ...e, data: { ...e.data, movedMessages: moved } }));
        return saveTicket(ctx, tx, target, { ...t.value, tags }, drafts, who, now);
      });
      ctx.emitter.emit("ticket.updated", { ticket: result.ticket, events: result.events });
      return result.ticket;
    },
  };
}
