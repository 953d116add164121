/** The Web-standard webhook handler of a channel: verify and parse, ingest each event, answer. */
import { errorResponse } from "../channel-kit/http-responses.js";
import type { InboundEventInput } from "../domain/inbound.js";
import { StoredeskError } from "../errors.js";
import type { DeskContext } from "./context.js";
import type { IngestResult } from "./types.js";

/**
 * A `(Request) => Promise<Response>` for a channel: verifies and parses with the adapter,
 * ingests every event, and answers 5xx when an event could not be stored so the provider
 * redelivers (redelivery is safe).
 *
 * @example
 * app.post("/webhooks/email", (c) => webhookHandler(ctx, "email", ingest)(c.req.raw));
 */
export function webhookHandler(
  ctx: DeskContext, channelId: string, ingest: (event: InboundEventInput) => Promise<IngestResult>,
): (request: Request) => Promise<Response> {
  const adapter = ctx.channels.get(channelId);
  if (!adapter) {
    const missing = new StoredeskError({ code: "NOT_FOUND", message: `No channel adapter "${channelId}" is registered`, path: ["channelId"] });
    return async () => errorResponse(missing);
  }
  return async (request) => {
    let handled;
    try {
      handled = await adapter.handleWebhook(request);
    } catch (err) {
      return errorResponse(err);
    }
    // Each event on its own: one the desk refuses as invalid must not hold back the others (a
    // redelivery would be refused again). Any other failure asks the provider to deliver
    // again, so nothing it sent is lost; redelivery of what did land is a no-op.
    let retry: unknown = null;
    for (const event of handled.events) {
      try {
        await ingest(event);
      } catch (err) {
        const context = `ingest from ${channelId} webhook`;
        if (StoredeskError.is(err, "INVALID_INPUT")) {
          ctx.emitter.emit("error", { error: err, context: `${context}: event refused and skipped (${JSON.stringify(event).slice(0, 500)})` });
        } else {
          ctx.emitter.emit("error", { error: err, context });
          retry = err;
        }
      }
    }
    if (retry) {
      return errorResponse(new StoredeskError({ code: "PROVIDER_UNAVAILABLE", message: "Could not store every event; deliver them again", cause: retry }));
    }
    return handled.response;
  };
}
