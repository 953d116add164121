/** The channel's reply window: free text inside it, a template (or a refusal) outside. */
import type { Customer } from "../../domain/customer.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { ChannelAdapter } from "../../ports/channel.js";
import type { DeskContext } from "../context.js";
import type { ReplyInput } from "../types.js";

/**
 * Checks a message against the channel's reply window. Returns the input to send (with the
 * shop's template for an automatic message outside the window, or the channel's message tag);
 * throws REPLY_WINDOW_CLOSED when only a template would pass and there is none.
 *
 * @example
 * input = checkReplyWindow(ctx, adapter, { ticket, customer, input, authorKind: "agent", visibility: "private", now });
 */
export function checkReplyWindow(
  ctx: DeskContext,
  adapter: ChannelAdapter,
  args: {
    ticket: Ticket;
    customer: Customer;
    input: ReplyInput;
    authorKind: "agent" | "bot" | "system";
    visibility: string;
    now: Date;
  },
): ReplyInput {
  const { ticket, customer, authorKind, visibility, now } = args;
  let input = args.input;
  if (!adapter.capabilities.replyWindow || !adapter.replyWindow || input.template || visibility === "public")
    return input;
  const channel = adapter.id;
  const window = adapter.replyWindow({ ticket, lastInboundAt: ticket.lastCustomerMessageAt, authorKind }, now);
  const outside = ctx.options.templateOutsideWindow;
  const fallback =
    window.kind === "template_only" && input.automatic && input.purpose && outside
      ? outside({
          channel,
          purpose: input.purpose,
          ticket,
          customer,
          text: input.text,
          suggestedTemplate: window.suggestedTemplate ?? null,
        })
      : null;
  if (fallback) {
    input = { ...input, template: fallback };
  } else if (window.kind === "template_only") {
    const closed = window.closedAt ? ` at ${window.closedAt.toISOString()}` : "";
    const such = window.suggestedTemplate ? ` such as "${window.suggestedTemplate}"` : "";
    throw new StoredeskError({
      code: "REPLY_WINDOW_CLOSED",
      message: `The ${channel} reply window closed${closed}: send a template${such}`,
      details: {
        channel,
        closedAt: window.closedAt?.toISOString() ?? null,
        suggestedTemplate: window.suggestedTemplate ?? null,
        reason: window.reason,
      },
    });
  }
  if (window.kind === "open" && window.tag) input = { ...input, options: { tag: window.tag, ...input.options } };
  return input;
}
