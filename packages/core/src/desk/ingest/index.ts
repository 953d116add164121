/** The ingest pipeline: one inbound event (a message or a delivery receipt) into the desk. */
import { InboundEventSchema, type InboundEventInput } from "../../domain/inbound.js";
import { parseInput } from "../../validate.js";
import type { DeskContext } from "../context.js";
import { ingestDelivery } from "../receipts.js";
import type { IngestResult } from "../types.js";
import { ingestMessage } from "./ingest-message.js";

/**
 * Validates an inbound event and runs it through the pipeline.
 *
 * @example
 * await ingest(ctx, { type: "message", channel: "email", externalId: "m1", occurredAt: new Date(), from, text: "배송 언제 와요?" });
 */
export async function ingest(ctx: DeskContext, input: InboundEventInput): Promise<IngestResult> {
  const event = parseInput(InboundEventSchema, input, "inbound event");
  if (event.type === "delivery") return ingestDelivery(ctx, event);
  return ingestMessage(ctx, event);
}
