/** Agent actions that add to the conversation: a reply to the customer, an internal note. */
import { z } from "zod";
import type { Actor } from "../../domain/event.js";
import type { Message } from "../../domain/message.js";
import { applyTicketAction } from "../../ticket/apply-ticket-action.js";
import type { DeskContext } from "../context.js";
import { sendOnTicket } from "../outbox/send-on-ticket.js";
import { mutateTicket } from "../save-ticket.js";
import { accept, ReplyInputSchema, SendOptionsSchema } from "../schemas.js";
import type { Desk } from "../types.js";

/**
 * The conversation actions of the desk (`reply`, `note`).
 *
 * @example
 * const { reply } = conversationActions(ctx);
 */
export function conversationActions(ctx: DeskContext): Pick<Desk, "reply" | "note"> {
  return {
    async reply(ticketId, input, opts) {
      const parsed = accept(ReplyInputSchema, input, "reply");
      const { wait } = accept(SendOptionsSchema, opts ?? {}, "reply options");
      const actor: Actor = parsed.agentId
        ? { kind: "agent", id: parsed.agentId }
        : { kind: parsed.authorKind ?? "system", id: null };
      return sendOnTicket(ctx, ticketId, parsed, actor, { wait });
    },
    async note(ticketId, input) {
      const parsed = accept(
        z.object({ text: z.string().trim().min(1).max(100_000), agentId: z.string().min(1).nullable().optional() }),
        input,
        "note",
      );
      const actor: Actor = parsed.agentId ? { kind: "agent", id: parsed.agentId } : { kind: "system", id: null };
      const messageId = ctx.newId();
      let message!: Message;
      await mutateTicket(
        ctx,
        ticketId,
        actor,
        (current, _tx, now) => {
          message = {
            id: messageId,
            ticketId,
            direction: "note",
            authorKind: actor.kind,
            authorId: actor.id,
            channel: current.channel,
            externalId: null,
            text: parsed.text,
            html: null,
            attachments: [],
            deliveryStatus: "received",
            deliveryError: null,
            visibility: "internal",
            automatic: false,
            createdAt: now,
            meta: {},
          };
          const d = applyTicketAction(current, { type: "note", messageId }, now);
          return d.ok
            ? {
                ...d,
                events: [{ type: "note.added", data: { messageId, authorKind: actor.kind, channel: current.channel } }],
              }
            : d;
        },
        async (tx) => {
          await tx.insertMessage(message);
        },
      );
      return message;
    },
  };
}
