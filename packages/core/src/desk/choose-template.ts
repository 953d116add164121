/** The plugins' `chooseTemplate` hooks: which registered template an outbound message renders. */
import type { Template } from "../domain/template.js";
import type { Ticket } from "../domain/ticket.js";
import type { EventDraft } from "../decision.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import type { DeskContext } from "./context.js";
import { pluginRecords } from "./plugins/plugin-records.js";

/**
 * The template to render for `templateId` on `ticket`: each `chooseTemplate` hook (an A/B test)
 * may name another registered template; their audit events are returned for the caller to write
 * with the message. NOT_FOUND when the template (or a chosen one) is not registered.
 *
 * @example
 * const { template, events } = await chooseTemplate(ctx, tx, { ticket, templateId: "auto_ack", now });
 */
export async function chooseTemplate(
  ctx: DeskContext,
  ops: StoreOps,
  args: { ticket: Ticket; templateId: string; now: Date },
): Promise<{ template: Template; events: EventDraft[] }> {
  let templateId = args.templateId;
  const events: EventDraft[] = [];
  for (const plugin of ctx.hooks.chooseTemplate) {
    const records = pluginRecords(plugin.id, ops, () => args.now);
    const choice = await plugin.hooks!.chooseTemplate!({ ticket: args.ticket, templateId, now: args.now, records });
    if (!choice) continue;
    if (choice.templateId) templateId = choice.templateId;
    if (choice.events) events.push(...choice.events.map(({ type, data }) => ({ type, data })));
  }
  const template = ctx.templates.get(templateId);
  if (!template)
    throw new StoredeskError({
      code: "NOT_FOUND",
      message: `Template ${templateId} not found`,
      path: ["templateId"],
    });
  return { template, events };
}
