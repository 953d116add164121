/** Action: an audit event on a ticket from outside the desk (commerce actions, integrations). */
import { z } from "zod";
import { asJson } from "../../domain/inbound.js";
import type { DeskContext } from "../context.js";
import { mutateTicket } from "../save-ticket.js";
import { accept, toActor } from "../schemas.js";
import type { Desk } from "../types.js";

const EventInputSchema = z.object({
  type: z.string().regex(/^[a-z][a-z0-9_.-]{1,99}$/, "event type: lowercase words with . _ -"),
  data: z.record(z.string(), z.unknown()),
});

/**
 * The desk's `recordEvent`.
 *
 * @example
 * const { recordEvent } = recordEventAction(ctx);
 */
export function recordEventAction(ctx: DeskContext): Pick<Desk, "recordEvent"> {
  return {
    async recordEvent(ticketId, type, data, actor) {
      const parsed = accept(EventInputSchema, { type, data }, "event");
      const { ticket } = await mutateTicket(ctx, ticketId, toActor(actor), (current) => ({
        ok: true,
        value: current,
        events: [{ type: parsed.type, data: asJson(parsed.data) }],
        effects: [],
      }));
      return ticket;
    },
  };
}
