/**
 * The built-in auto-acknowledgement as a plugin: a new ticket (not a comment, not an automatic
 * mail) gets the `auto_ack` template naming the expected handling time from its SLA.
 */
import type { Ticket } from "../../../domain/ticket.js";
import type { DeskPlugin } from "../../../ports/desk-plugin.js";

/** Options of {@link autoAcknowledgePlugin}. */
export interface AutoAcknowledgePluginOptions {
  /** Whether a new ticket is acknowledged at all (the desk's `autoAcknowledge` setting and channels). */
  acknowledges: (ticket: Ticket) => boolean;
}

/**
 * The built-in auto-acknowledgement plugin (`createDesk({ autoAcknowledge })`; `false` or
 * `builtins: { autoAcknowledge: false }` turns it off). It decides in `ticketSaving`, after every
 * plugin's `ticketCreated` hook: a plugin that answers the first message itself (the knowledge
 * bot) sets `ticket.meta.firstContact` to its id there, and no acknowledgement goes out on top.
 *
 * @example
 * const plugin = autoAcknowledgePlugin({ acknowledges: (ticket) => ticket.kind !== "comment" });
 */
export function autoAcknowledgePlugin(options: AutoAcknowledgePluginOptions): DeskPlugin<"auto-acknowledge"> {
  return {
    specVersion: 1,
    id: "auto-acknowledge",
    hooks: {
      ticketSaving: ({ before, ticket, log }) => {
        // A new ticket from a customer's own message (an automatic mail is logged as auto_reply_received).
        if (before !== null || !log.some((e) => e.type === "message.received") || !options.acknowledges(ticket))
          return undefined;
        if (ticket.meta.firstContact) return undefined;
        return {
          effects: [{ type: "send", ticketId: ticket.id, templateId: "auto_ack", automatic: true, reason: "auto_ack" }],
        };
      },
    },
  };
}
