/** The plugins' `beforeSend` hooks: a last say over an outbound message before it is queued. */
import type { Customer } from "../../domain/customer.js";
import type { Ticket } from "../../domain/ticket.js";
import { StoredeskError } from "../../errors.js";
import type { DeskContext } from "../context.js";
import { pluginRecords } from "../plugins/plugin-records.js";
import type { ReplyInput } from "../types.js";

/**
 * Runs `beforeSend` hooks in order: a hook may change the text or cancel the message (INVALID_INPUT,
 * with the plugin and its reason).
 *
 * @example
 * input = await runBeforeSend(ctx, { ticket, customer, input, now });
 */
export async function runBeforeSend(
  ctx: DeskContext,
  args: { ticket: Ticket; customer: Customer; input: ReplyInput; now: Date },
): Promise<ReplyInput> {
  let { input } = args;
  for (const plugin of ctx.hooks.beforeSend) {
    const records = pluginRecords(plugin.id, ctx.store, () => args.now);
    const verdict = await plugin.hooks!.beforeSend!({
      ticket: args.ticket,
      customer: args.customer,
      text: input.text,
      purpose: input.purpose ?? null,
      now: args.now,
      records,
    });
    if (!verdict) continue;
    if (verdict.cancel) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `The ${plugin.id} plugin kept the message from leaving: ${verdict.cancel}`,
        path: ["text"],
        details: { plugin: plugin.id, reason: verdict.cancel },
      });
    }
    if (verdict.text !== undefined) input = { ...input, text: verdict.text };
  }
  return input;
}
