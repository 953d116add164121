/** Stage: classify the message (category, language, sentiment, complaint signal). */
import type { Classification } from "../../classify/classify-text.js";
import type { InboundMessageEvent } from "../../domain/inbound.js";
import type { DeskContext } from "../context.js";

/**
 * Classifies an inbound message with the desk's classifier. Runs before the transaction:
 * a classifier may be slow (a language model) and must hold no store locks.
 *
 * @example
 * const classification = await classifyMessage(ctx, event);
 */
export function classifyMessage(ctx: DeskContext, event: InboundMessageEvent): Promise<Classification> | Classification {
  return ctx.classifier({ text: event.text, subject: event.subject ?? null, channel: event.channel, localeHint: event.from.locale ?? null });
}
