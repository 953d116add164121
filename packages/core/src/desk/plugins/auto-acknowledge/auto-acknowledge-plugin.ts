/**
 * The built-in auto-acknowledgement as a plugin: a new ticket (not a comment, not an automatic
 * mail) gets the `auto_ack` template naming the expected handling time from its SLA.
 */
import type { DeskPlugin } from "../../../ports/desk-plugin.js";
import type { DeskContext } from "../../context.js";
import { shouldAcknowledge } from "../../ingest/acknowledge.js";

/**
 * The built-in auto-acknowledgement plugin (`createDesk({ autoAcknowledge })`; `false` or
 * `builtins: { autoAcknowledge: false }` turns it off).
 *
 * @example
 * const plugin = autoAcknowledgePlugin(ctx);
 */
export function autoAcknowledgePlugin(ctx: DeskContext): DeskPlugin<"auto-acknowledge"> {
  return {
    specVersion: 1,
    id: "auto-acknowledge",
    hooks: {
      ticketCreated: ({ ticket, message }) => {
        if (!message || message.automatic || !shouldAcknowledge(ctx, ticket)) return undefined;
        return { effects: [{ type: "send", ticketId: ticket.id, templateId: "auto_ack", automatic: true, reason: "auto_ack" }] };
      },
    },
  };
}
