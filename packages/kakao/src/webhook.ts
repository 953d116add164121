/**
 * The skill endpoint with Kakao's time limit: Open Builder waits 5 seconds for the skill's
 * answer. A quick bot answer goes in the response; a slow one goes through the callback URL
 * (when the block has callbacks on); a hand-off says a person will answer and leaves a ticket.
 */
import { randomBytes } from "node:crypto";
import type { Clock, Desk, Message, Ticket } from "@storedesk/core";
import { errorResponse, jsonResponse, StoredeskError, systemClock } from "@storedesk/core";
import type { KakaoSkillChannel } from "./skill-channel.js";
import { callbackAcknowledgement, skillResponse } from "./skill-response.js";
import type { SkillAnswer } from "./skill-response.js";

/** What the bot is asked. */
export interface SkillAnswerContext {
  ticket: Ticket;
  message: Message;
  text: string;
  /** Whether a late answer can still reach the user through the callback. */
  callback: boolean;
}

/** Options of {@link kakaoSkillHandler}. */
export interface KakaoSkillHandlerOptions {
  desk: Pick<Desk, "ingest" | "reply">;
  channel: KakaoSkillChannel;
  /** The bot: an answer, or null to hand the chat to a person. */
  answer?: (context: SkillAnswerContext) => Promise<SkillAnswer | string | null>;
  /** How long to wait before answering without the bot. Default 3,500 ms (Kakao allows 5 s). */
  budgetMs?: number;
  /** Said while the callback answer is prepared. */
  waitText?: string;
  /** Said on a hand-off. */
  handoffText?: string;
  clock?: Clock;
  onError?: (error: unknown) => void;
}

const LATE = Symbol("late");

/**
 * A Web handler for the skill URL that always answers within the limit.
 *
 * @example
 * app.post("/kakao/skill", (c) => kakaoSkillHandler({ desk, channel: kakao, answer: faqBot })(c.req.raw));
 */
export function kakaoSkillHandler(options: KakaoSkillHandlerOptions): (request: Request) => Promise<Response> {
  const clock = options.clock ?? systemClock();
  const budget = options.budgetMs ?? 3_500;
  const waitText = options.waitText ?? "답변을 준비하고 있어요. 잠시만 기다려 주세요. / One moment, please.";
  const handoffText = options.handoffText ?? "상담원이 확인 후 답변드릴게요. / A person will answer you shortly.";
  const onError = options.onError ?? (() => undefined);

  return async (request) => {
    const started = clock.now().getTime();
    const { response, events } = await options.channel.handleWebhook(request);
    if (!response.ok || events.length === 0) return response;
    let ingested: { ticket: Ticket; message: Message } | null = null;
    try {
      const result = await options.desk.ingest(events[0]!);
      if (result.ticket && result.message) ingested = { ticket: result.ticket, message: result.message };
    } catch (err) {
      if (!StoredeskError.is(err, "INVALID_INPUT")) {
        return errorResponse(
          new StoredeskError({
            code: "PROVIDER_UNAVAILABLE",
            message: "Could not store the message",
            cause: err,
          }),
        );
      }
    }
    if (!ingested) return response;
    const { ticket, message } = ingested;
    const userKey = String((message.meta.kakao as { userKey?: string } | undefined)?.userKey ?? "");
    const callback = options.channel.callbackFor(userKey) !== null;
    if (!options.answer)
      return jsonResponse(callback ? callbackAcknowledgement(handoffText) : skillResponse(handoffText));

    const work = options.answer({ ticket, message, text: message.text, callback }).catch((err: unknown) => {
      onError(err);
      return null;
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), Math.max(0, budget - (clock.now().getTime() - started)));
    });
    const first = await Promise.race([work, late]);
    clearTimeout(timer);

    if (first !== LATE) {
      // Hand-off: the ticket waits for a person, who can still answer through the callback's minute.
      if (first === null)
        return jsonResponse(callback ? callbackAcknowledgement(handoffText) : skillResponse(handoffText));
      options.channel.dropCallback(userKey); // answered in the response: the callback URL is not used
      const token = randomBytes(12).toString("hex");
      const answer = typeof first === "string" ? { text: first } : first;
      try {
        await options.desk.reply(ticket.id, {
          text: answer.text,
          authorKind: "bot",
          options: {
            kakaoInline: token,
            ...(answer.quickReplies ? { quickReplies: answer.quickReplies } : {}),
            ...(answer.card ? { card: answer.card } : {}),
          },
        });
      } catch (err) {
        onError(err);
        return jsonResponse(skillResponse(handoffText));
      }
      return jsonResponse(options.channel.takeInline(token) ?? skillResponse(handoffText));
    }
    if (!callback) {
      // No callback: the user hears a person will answer; the late answer cannot reach the chat.
      void work.then(() => undefined);
      return jsonResponse(skillResponse(handoffText));
    }
    void work
      .then(async (late) => {
        if (late === null) return; // hand-off: an agent answers (callback within the minute, else 상담톡)
        const answer = typeof late === "string" ? { text: late } : late;
        // The same options as an inline answer: a card dropped here would never reach the user.
        const extras = {
          ...(answer.quickReplies ? { quickReplies: answer.quickReplies } : {}),
          ...(answer.card ? { card: answer.card } : {}),
        };
        await options.desk.reply(ticket.id, {
          text: answer.text,
          authorKind: "bot",
          ...(Object.keys(extras).length > 0 ? { options: extras } : {}),
        });
      })
      .catch(onError);
    return jsonResponse(callbackAcknowledgement(waitText));
  };
}
