/**
 * The plugins' `afterTicketCreated` hooks (commerce context and other provider calls), run
 * after the ingest's commit within a budget: a slow or unreachable provider never holds the
 * webhook's answer longer than `commerceContext.budgetMs` (default 1,500 ms); past it the work
 * goes on in the background and `desk.close()` stops waiting for it.
 */
import type { Customer } from "../../domain/customer.js";
import type { Message } from "../../domain/message.js";
import type { Ticket } from "../../domain/ticket.js";
import type { DeskContext } from "../context.js";
import { mutateTicket } from "../save-ticket.js";
import { applyPatch } from "./run-hooks.js";
import { pluginRecords } from "./plugin-records.js";

/** How long ingest waits for after-commit hooks by default. */
export const DEFAULT_AFTER_COMMIT_BUDGET_MS = 1_500;

/**
 * Runs the after-commit hooks of a new ticket; returns the ticket as they left it (re-read),
 * or as it was when the budget ran out first.
 *
 * @example
 * ticket = await runAfterTicketCreated(ctx, ticket, customer, message);
 */
export async function runAfterTicketCreated(
  ctx: DeskContext,
  ticket: Ticket,
  customer: Customer,
  message: Message | null,
): Promise<Ticket> {
  const plugins = ctx.hooks.afterTicketCreated;
  if (plugins.length === 0) return ticket;
  const work = (async () => {
    for (const plugin of plugins) {
      const now = ctx.clock.now();
      try {
        const records = pluginRecords(plugin.id, ctx.store, () => ctx.clock.now());
        const decision = await plugin.hooks!.afterTicketCreated!({ ticket, customer, message, now, records });
        if (decision && (decision.ticket || decision.events?.length || decision.effects?.length)) {
          await mutateTicket(ctx, ticket.id, { kind: "system", id: plugin.id }, (current) => ({
            ok: true,
            value: applyPatch(current, decision.ticket),
            events: decision.events ?? [],
            effects: decision.effects ?? [],
          }));
        }
      } catch (error) {
        ctx.emitter.emit("error", { error, context: `${plugin.id} after ticket ${ticket.id} was created` });
      }
    }
    return true;
  })();
  const budgetMs = ctx.options.commerceContext?.budgetMs ?? DEFAULT_AFTER_COMMIT_BUDGET_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<false>((resolve) => {
    // Not unref'd: a script awaiting ingest must not exit mid-way; it is cleared as soon as the race ends.
    timer = setTimeout(() => resolve(false), budgetMs);
  });
  const done = await Promise.race([work, budget]);
  clearTimeout(timer);
  if (!done) {
    ctx.background.add(work);
    void work.finally(() => ctx.background.delete(work));
    return ticket;
  }
  return (await ctx.store.getTicket(ticket.id)) ?? ticket;
}
