/**
 * The ingest pipeline: one inbound event (a message, a delivery receipt, or an echo of a message
 * the shop sent from the provider's own inbox) into the desk, or a batch of them.
 */
import type { Classification } from "../../classify/classify-text.js";
import { InboundEventSchema, type InboundEventInput, type InboundMessageEvent } from "../../domain/inbound.js";
import { parseInput } from "../../validate.js";
import type { DeskContext } from "../context.js";
import { ingestDelivery } from "../receipts.js";
import { withTx } from "../transaction.js";
import type { IngestResult } from "../types.js";
import { classifyMessage } from "./classify.js";
import { ingestEcho } from "./echo.js";
import { ingestMessage, persistInbound, type Persisted } from "./ingest-message.js";

/**
 * Validates an inbound event and runs it through the pipeline.
 *
 * @example
 * await ingest(ctx, { type: "message", channel: "email", externalId: "m1", occurredAt: new Date(), from, text: "배송 언제 와요?" });
 */
export async function ingest(ctx: DeskContext, input: InboundEventInput): Promise<IngestResult> {
  const event = parseInput(InboundEventSchema, input, "inbound event");
  if (event.type === "delivery") return ingestDelivery(ctx, event);
  if (event.type === "echo") return ingestEcho(ctx, event);
  return ingestMessage(ctx, event);
}

/** How many messages of a batch share one transaction. */
export const INGEST_CHUNK = 100;

/** One event's outcome in {@link ingestBatch}: its result, or the error it failed with. */
export type BatchOutcome = { ok: true; result: IngestResult } | { ok: false; error: unknown };

/**
 * Ingests a batch (the events of one webhook body) in as few transactions as correctness allows:
 * the messages of a chunk ({@link INGEST_CHUNK}) are classified, then written in one transaction,
 * then each runs its steps after commit. When a chunk's transaction fails (a redelivered message,
 * a race, an invalid event), its messages are ingested again one by one, each in its own
 * transaction, so each keeps the guarantees of {@link ingest}: a duplicate is a no-op, a failure
 * is that event's alone. Outcomes are in input order; nothing is thrown.
 *
 * @example
 * const outcomes = await ingestBatch(ctx, handled.events);
 * if (outcomes.some((o) => !o.ok)) return retryLater();
 */
export async function ingestBatch(ctx: DeskContext, inputs: readonly InboundEventInput[]): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = new Array(inputs.length);
  let chunk: Array<{ index: number; event: InboundMessageEvent }> = [];
  const flush = async () => {
    if (chunk.length > 0) await ingestChunk(ctx, chunk, outcomes);
    chunk = [];
  };
  for (let i = 0; i < inputs.length; i++) {
    let event;
    try {
      event = parseInput(InboundEventSchema, inputs[i], "inbound event");
    } catch (error) {
      outcomes[i] = { ok: false, error };
      continue;
    }
    if (event.type === "delivery" || event.type === "echo") {
      await flush(); // in input order: a receipt or an echo may name a message of the chunk before it
      outcomes[i] = await settle(event.type === "delivery" ? ingestDelivery(ctx, event) : ingestEcho(ctx, event));
      continue;
    }
    chunk.push({ index: i, event });
    if (chunk.length >= INGEST_CHUNK) await flush();
  }
  await flush();
  return outcomes;
}

async function settle(run: Promise<IngestResult>): Promise<BatchOutcome> {
  try {
    return { ok: true, result: await run };
  } catch (error) {
    return { ok: false, error };
  }
}

async function ingestChunk(
  ctx: DeskContext,
  chunk: ReadonlyArray<{ index: number; event: InboundMessageEvent }>,
  outcomes: BatchOutcome[],
): Promise<void> {
  if (chunk.length === 1) {
    outcomes[chunk[0]!.index] = await settle(ingestMessage(ctx, chunk[0]!.event));
    return;
  }
  const classified: Classification[] = [];
  for (const { event } of chunk) {
    try {
      classified.push(await classifyMessage(ctx, event));
    } catch {
      // A classifier that fails on one message: each goes alone, and that one reports its error.
      for (const { index, event: e } of chunk) outcomes[index] = await settle(ingestMessage(ctx, e));
      return;
    }
  }
  let persisted: Persisted[];
  try {
    persisted = await withTx(ctx, async (tx) => {
      const written: Persisted[] = [];
      for (let k = 0; k < chunk.length; k++)
        written.push(await persistInbound(ctx, tx, chunk[k]!.event, classified[k]!));
      return written;
    });
  } catch {
    // Nothing of the chunk was written: one by one, each judged on its own (duplicates are no-ops).
    for (let k = 0; k < chunk.length; k++) {
      outcomes[chunk[k]!.index] = await settle(ingestMessage(ctx, chunk[k]!.event));
    }
    return;
  }
  for (let k = 0; k < chunk.length; k++) {
    outcomes[chunk[k]!.index] = await settle(
      ingestMessage(ctx, chunk[k]!.event, { classification: classified[k]!, persisted: persisted[k]! }),
    );
  }
}
