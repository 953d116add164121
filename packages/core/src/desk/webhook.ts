/** The Web-standard webhook handler of a channel: verify and parse, ingest each event, answer. */
import { errorResponse } from "../channel-kit/http-responses.js";
import type { InboundEventInput } from "../domain/inbound.js";
import { cutDeepJson } from "../domain/json-value.js";
import { StoredeskError } from "../errors.js";
import type { DeskContext } from "./context.js";
import type { IngestResult, WebhookOptions } from "./types.js";
import { ingestBatch, type BatchOutcome } from "./ingest/index.js";
import { webhookMaxEvents } from "./webhook-max-events.js";

/**
 * A `(Request) => Promise<Response>` for a channel: verifies and parses with the adapter,
 * ingests every event, and answers 5xx when an event could not be stored so the provider
 * redelivers (redelivery is safe). Without `options.ingest`, the body's events are written as a
 * batch ({@link ingestBatch}: a transaction per chunk, one by one when a chunk fails); with it,
 * each event goes through `ingest` alone.
 *
 * A body whose parse yields more than `maxEvents` events (default: the desk's
 * `webhook.maxEvents`, else 1,000) is refused whole with 413
 * (`INVALID_INPUT`, `details: { tooLarge: true, maxEvents, events }`) before anything is
 * ingested, and the desk's `error` event reports it.
 *
 * @example
 * app.post("/webhooks/email", (c) => webhookHandler(ctx, "email")(c.req.raw));
 */
export function webhookHandler(
  ctx: DeskContext,
  channelId: string,
  options: WebhookOptions & { ingest?: (event: InboundEventInput) => Promise<IngestResult> } = {},
): (request: Request) => Promise<Response> {
  const { ingest } = options;
  const maxEvents =
    options.maxEvents === undefined
      ? ctx.settings.webhookMaxEvents
      : webhookMaxEvents(options.maxEvents, ["maxEvents"]);
  const adapter = ctx.channels.get(channelId);
  if (!adapter) {
    const missing = new StoredeskError({
      code: "NOT_FOUND",
      message: `No channel adapter "${channelId}" is registered`,
      path: ["channelId"],
    });
    return async () => errorResponse(missing);
  }
  return async (request) => {
    let handled;
    try {
      handled = await adapter.handleWebhook(request);
    } catch (err) {
      return errorResponse(err);
    }
    // Checked before any event is taken: the answer is the same whatever the store holds, and a
    // refused body changes nothing (413, as for a body past the adapter's byte limit).
    if (handled.events.length > maxEvents) {
      const tooMany = new StoredeskError({
        code: "INVALID_INPUT",
        message: `The body carries ${handled.events.length} events; at most ${maxEvents} are taken from one request`,
        details: { tooLarge: true, maxEvents, events: handled.events.length },
      });
      ctx.emitter.emit("error", { error: tooMany, context: `${channelId} webhook: body refused, nothing stored` });
      return errorResponse(tooMany);
    }
    // Each event on its own: one the desk refuses as invalid must not hold back the others (a
    // redelivery would be refused again). Any other failure asks the provider to deliver
    // again, so nothing it sent is lost; redelivery of what did land is a no-op.
    let retry: unknown = null;
    const outcomes = ingest ? await oneByOne(ingest, handled.events) : await ingestBatch(ctx, handled.events);
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.ok) continue;
      const err = outcome.error;
      const context = `ingest from ${channelId} webhook`;
      if (StoredeskError.is(err, "INVALID_INPUT")) {
        ctx.emitter.emit("error", {
          error: err,
          context: `${context}: event refused and skipped (${eventSummary(handled.events[i])})`,
        });
      } else {
        ctx.emitter.emit("error", { error: err, context });
        retry = err;
      }
    }
    if (retry) {
      return errorResponse(
        new StoredeskError({
          code: "PROVIDER_UNAVAILABLE",
          message: "Could not store every event; deliver them again",
          cause: retry,
        }),
      );
    }
    return handled.response;
  };
}

async function oneByOne(
  ingest: (event: InboundEventInput) => Promise<IngestResult>,
  events: readonly InboundEventInput[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const event of events) {
    try {
      outcomes.push({ ok: true, result: await ingest(event) });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/**
 * The first 500 characters of a refused event for the error log. Cut to a few levels first: the
 * event is what the body said, and JSON.stringify of one nested 10,000 deep overflows the stack.
 */
function eventSummary(event: unknown): string {
  try {
    return String(JSON.stringify(cutDeepJson(event, 8).value)).slice(0, 500);
  } catch {
    return "unprintable";
  }
}
