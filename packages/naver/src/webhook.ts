/**
 * The TalkTalk webhook with answers in the HTTP response: TalkTalk takes a `send` event as the
 * body of the 200 answer when it comes within its 5-second read timeout; a slower answer goes
 * out afterwards through the send API. Either way the reply is on the ticket.
 */
import type { Clock, Desk, Message, Ticket } from "@storedesk/core";
import { errorResponse, jsonResponse, StoredeskError, systemClock } from "@storedesk/core";
import { inlineToken } from "./talktalk-channel.js";
import type { NaverTalkTalkChannel } from "./talktalk-channel.js";

/** What the bot is asked to answer. */
export interface TalkAnswerContext {
  ticket: Ticket;
  message: Message;
  text: string;
}

/** Options of {@link talkTalkWebhook}. */
export interface TalkTalkWebhookOptions {
  desk: Pick<Desk, "ingest" | "reply">;
  channel: NaverTalkTalkChannel;
  /** The bot: an answer's text, or null to leave the ticket to a person (the hand-off). */
  answer?: (context: TalkAnswerContext) => Promise<string | null>;
  /** Time to wait for an answer to put in the HTTP response. Default 3,500 ms (TalkTalk waits 5 s). */
  budgetMs?: number;
  clock?: Clock;
  /** Called with failures of late answers (they cannot reach the HTTP response any more). */
  onError?: (error: unknown) => void;
}

const LATE = Symbol("late");

/**
 * A Web handler for the TalkTalk webhook: ingests, then answers inline when the bot is quick.
 *
 * @example
 * app.post("/webhooks/talktalk", (c) => talkTalkWebhook({ desk, channel: talk, answer: faqBot })(c.req.raw));
 */
export function talkTalkWebhook(options: TalkTalkWebhookOptions): (request: Request) => Promise<Response> {
  const clock = options.clock ?? systemClock();
  const budget = options.budgetMs ?? 3_500;
  const onError = options.onError ?? (() => undefined);
  return async (request) => {
    const started = clock.now().getTime();
    const { response, events } = await options.channel.handleWebhook(request);
    if (!response.ok || events.length === 0) return response;
    let last: { ticket: Ticket; message: Message } | null = null;
    for (const event of events) {
      try {
        const result = await options.desk.ingest(event);
        // Only a customer's message is the bot's to answer (not an agent's echo from the partner center).
        if (result.outcome !== "duplicate" && result.ticket && result.message?.direction === "inbound")
          last = { ticket: result.ticket, message: result.message };
      } catch (err) {
        if (StoredeskError.is(err, "INVALID_INPUT")) continue;
        return errorResponse(
          new StoredeskError({
            code: "PROVIDER_UNAVAILABLE",
            message: "Could not store the event",
            cause: err,
          }),
        );
      }
    }
    if (!last || !options.answer) return response;
    const { ticket, message } = last;
    // Handover: an agent in the partner center owns the chat (`standby`), so the bot stays quiet.
    if ((message.meta.naver as { standby?: unknown } | undefined)?.standby === true) return response;
    const work = options.answer({ ticket, message, text: message.text });
    const left = Math.max(0, budget - (clock.now().getTime() - started));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), left);
    });
    const first = await Promise.race([work.catch(() => null), late]);
    clearTimeout(timer);
    if (first !== LATE) {
      if (first === null) return response; // hand-off: the ticket waits for a person
      const token = inlineToken();
      try {
        await options.desk.reply(ticket.id, {
          text: first,
          authorKind: "bot",
          options: { talktalkInline: token },
        });
      } catch (err) {
        onError(err);
        return response;
      }
      const payload = options.channel.takeInline(token);
      return payload ? jsonResponse(payload) : response;
    }
    // Too slow for the HTTP answer: send it when it comes, through the send API.
    void work
      .then(async (text) => {
        if (text) await options.desk.reply(ticket.id, { text, authorKind: "bot" });
      })
      .catch(onError);
    return response;
  };
}
