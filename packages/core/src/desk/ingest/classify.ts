/** Stage: classify the message (category, language, sentiment, complaint signal). */
import type { Classification } from "../../classify/classify-text.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { DeskContext } from "../context.js";

/**
 * Classifies an inbound message: a plugin's `beforeClassify` may answer instead of the desk's
 * classifier, `afterClassify` hooks may correct the result. Runs before the transaction: a
 * classifier may be slow (a language model) and must hold no store locks.
 *
 * @example
 * const classification = await classifyMessage(ctx, event);
 */
export async function classifyMessage(ctx: DeskContext, event: InboundMessageEvent): Promise<Classification> {
  const input = {
    text: event.text,
    subject: event.subject ?? null,
    channel: event.channel,
    localeHint: event.from.locale ?? null,
  };
  let classification: Classification | undefined;
  for (const plugin of ctx.hooks.beforeClassify) {
    classification = (await plugin.hooks!.beforeClassify!({ event, input })) ?? undefined;
    if (classification) break;
  }
  classification ??= await ctx.classifier(input);
  for (const plugin of ctx.hooks.afterClassify) {
    classification = (await plugin.hooks!.afterClassify!({ event, classification })) ?? classification;
  }
  return classification;
}
