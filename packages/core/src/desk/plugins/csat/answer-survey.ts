/**
 * A customer's message that answers a survey: a survey button's id (in the text or in the
 * channel's payload: WhatsApp interactive/button, Messenger quick reply or postback, chat) or a
 * bare digit 1–5 on the ticket the survey went out on. The answer threads onto the ticket as a
 * `csat.received` audit event and keeps a solved ticket solved.
 */
import type { Customer } from "../../../domain/customer.js";
import type { Message } from "../../../domain/message.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { HookDecision, PluginRecords, TicketPatch } from "../../../ports/desk-plugin.js";
import { parseSurveyButtonId, type SurveyRecord } from "./csat-options.js";

/** The reason on the status change that puts a ticket back to solved after a survey answer (reports read it). */
export const SURVEY_ANSWER_REASON = "csat_answer";

function payloads(message: Message): unknown[] {
  const m = message.meta as Record<string, Record<string, unknown> | undefined>;
  return [
    message.text,
    m.interactive?.id,
    m.button?.payload,
    m.quickReply?.payload,
    m.quickReply?.id,
    m.postback?.payload,
    m.payload,
  ];
}

/**
 * The rating a message gives and the ticket whose survey it answers, or null.
 *
 * @example
 * await findAnswer(message, ticket, records); // { surveyed: "t1", rating: 5, record }
 */
export async function findAnswer(
  message: Message,
  ticket: Ticket,
  customer: Customer,
  records: PluginRecords,
  now: Date,
): Promise<{ record: SurveyRecord; rating: number; fresh: boolean } | null> {
  let surveyed: string | null = null;
  let rating: number | null = null;
  let button = false;
  for (const p of payloads(message)) {
    const parsed = parseSurveyButtonId(p);
    if (parsed) {
      surveyed = parsed.ticketId;
      rating = parsed.rating;
      button = true;
      break;
    }
  }
  if (!surveyed) {
    const digit = /^\s*([1-5])\s*(점|points?)?\s*[.!]?\s*$/i.exec(message.text);
    if (!digit) return null;
    rating = Number(digit[1]);
    // The ticket the survey went out on, the surveyed ticket itself, or the closed one this follows up.
    const via = await records.get("via", ticket.id);
    const candidates = [typeof via?.value === "string" ? via.value : null, ticket.id, ticket.followUpOf];
    for (const id of candidates) {
      if (id && (await records.get("surveys", id))) {
        surveyed = id;
        break;
      }
    }
    if (!surveyed) return null;
  }
  const found = await records.get("surveys", surveyed);
  const record = found?.value as SurveyRecord | undefined;
  // Only the surveyed customer, only a survey that is out and not answered, only while it may be answered.
  if (!record || record.customerId !== customer.id) return null;
  const fresh = record.state === "sent" && !(record.expiresAt && now.getTime() > Date.parse(record.expiresAt));
  // A second tap (or a late one) on a button is still a survey tap, not news: it answers nothing.
  if (!fresh && !(button && (record.state === "answered" || record.state === "sent"))) return null;
  return { record, rating: rating!, fresh };
}

/**
 * The answered survey record and the audit event of the answer.
 *
 * @example
 * const { value, event } = answeredRecord(record, 5, null, "whatsapp", now);
 */
export function answeredRecord(
  record: SurveyRecord,
  rating: number,
  comment: string | null,
  channel: string,
  now: Date,
) {
  const value: SurveyRecord = { ...record, state: "answered", rating, comment, answeredAt: now.toISOString() };
  const data = {
    ticketId: record.ticketId,
    rating,
    comment,
    channel,
    agentId: record.agentId,
    category: record.category,
    respondedAt: now.toISOString(),
  };
  return { value, data };
}

/**
 * The decision of a hook for a message that answers a survey: the record marked answered (in the
 * stage's transaction), `csat.received` on the ticket, `plugin.csat.received` after commit, and
 * the ticket put back to solved if the message reopened it.
 *
 * @example
 * return answerDecision({ before, ticket, message, customer, records, now });
 */
export async function answerDecision(args: {
  before: Ticket | null;
  ticket: Ticket;
  message: Message;
  customer: Customer;
  records: PluginRecords;
  now: Date;
}): Promise<HookDecision | undefined> {
  const { before, ticket, message, customer, records, now } = args;
  const answer = await findAnswer(message, ticket, customer, records, now);
  if (!answer) return undefined;
  const decision: HookDecision = { events: [], effects: [] };
  if (answer.fresh) {
    const found = await records.get("surveys", answer.record.ticketId);
    const { value, data } = answeredRecord(answer.record, answer.rating, null, message.channel, now);
    await records.put({ namespace: "surveys", key: answer.record.ticketId, value }, found?.version);
    decision.events!.push({
      type: "csat.received",
      data: { ...data, messageId: message.id },
      actor: { kind: "customer", id: customer.id },
    });
    decision.effects!.push({ type: "emit", event: "plugin.csat.received", data });
  }
  // A tap on a survey button is not the customer reopening the ticket: it stays solved, and the
  // log says why (the status change back carries SURVEY_ANSWER_REASON, which reports read).
  const wasSolved = before?.status === "solved" || (!before && ticket.followUpOf !== null);
  if (wasSolved && ticket.status !== "solved") {
    const solvedAt = before?.solvedAt ?? now;
    decision.ticket = {
      status: "solved",
      solvedAt,
      ...(!before ? { tags: [...ticket.tags, "csat-answer"] } : {}),
    } as TicketPatch;
    decision.events!.push({
      type: "status.changed",
      data: { from: ticket.status, to: "solved", reason: SURVEY_ANSWER_REASON },
    });
  }
  return decision;
}
