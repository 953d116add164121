/**
 * Job `csat.send`: the survey of one solved ticket, at most once, through the desk's public
 * `reply` (so the outbox, the reply window and `beforeSend` hooks apply as to any message).
 */
import type { TicketEvent } from "../../../domain/event.js";
import { ticketRef, type Ticket } from "../../../domain/ticket.js";
import { StoredeskError } from "../../../errors.js";
import type { PluginDesk, PluginJobContext, PluginRecords } from "../../../ports/desk-plugin.js";
import type { Desk, ReplyInput } from "../../types.js";
import { surveyButtonId, type CsatOptions, type SurveyRecord } from "./csat-options.js";
import { chatSurveyText, emailSurvey, ratingLabel, surveyLocale } from "./survey-text.js";
import { signSurveyToken } from "./survey-token.js";

/** The desk a plugin job sees, with the public methods typed. */
export type CsatDesk = PluginDesk & Desk;

/** Why a survey is not sent, when it is not. */
function skipReason(ticket: Ticket, log: readonly TicketEvent[], options: CsatOptions): string | null {
  if (ticket.mergedInto) return "merged";
  if (ticket.tags.includes(options.skipTag ?? "no-survey") || ticket.meta.csat === "skip") return "marked_no_survey";
  if (options.channels && !options.channels.includes(ticket.channel)) return "channel_off";
  if (ticket.status === "closed") {
    const closing = [...log].reverse().find((e) => e.type === "status.changed" && e.data.to === "closed");
    const auto = closing?.actor.kind === "system" && closing.actor.id === "auto-close";
    if (auto && !options.afterAutoClose) return "auto_closed";
  }
  return null;
}

/** The agent the survey is about: the assignee, else the last agent who replied. */
function agentOf(ticket: Ticket, log: readonly TicketEvent[]): string | null {
  if (ticket.assigneeId) return ticket.assigneeId;
  const last = [...log].reverse().find((e) => e.type === "reply.sent" && e.actor.kind === "agent" && e.actor.id);
  return last?.actor.id ?? null;
}

/**
 * Records a skipped survey: the record (so it is never sent later) and a `csat.skipped` audit note.
 *
 * @example
 * await skipSurvey(desk, records, ticket, "reply_window_closed");
 */
export async function skipSurvey(
  desk: CsatDesk,
  records: PluginRecords,
  ticket: Ticket,
  reason: string,
  base?: SurveyRecord,
): Promise<void> {
  const value: SurveyRecord = base
    ? { ...base, state: "skipped", skipReason: reason }
    : {
        ticketId: ticket.id,
        customerId: ticket.customerId,
        state: "skipped",
        channel: ticket.channel,
        locale: ticket.language,
        agentId: ticket.assigneeId,
        category: ticket.category,
        sentAt: null,
        expiresAt: null,
        viaTicketId: null,
        rating: null,
        comment: null,
        answeredAt: null,
        skipReason: reason,
      };
  await records.put({ namespace: "surveys", key: ticket.id, value });
  await desk.decide(
    ticket.id,
    () => ({
      events: [{ type: "csat.skipped", data: { reason, channel: ticket.channel } }],
      effects: [{ type: "emit", event: "plugin.csat.skipped", data: { ticketId: ticket.id, reason } }],
    }),
    { kind: "system", id: "csat" },
  );
}

/** The message of a survey on the ticket's channel: links for e-mail, buttons elsewhere. */
function surveyMessage(
  ticket: Ticket,
  record: SurveyRecord,
  options: CsatOptions,
  expiresAt: number,
): ReplyInput | null {
  const locale = surveyLocale(record.locale);
  const ref = ticketRef(ticket);
  if ((options.linkChannels ?? ["email"]).includes(record.channel)) {
    if (!options.secret || !options.linkBaseUrl) return null;
    const links = [1, 2, 3, 4, 5].map((rating) => {
      const url = new URL(options.linkBaseUrl!);
      url.searchParams.set("token", signSurveyToken({ ticketId: ticket.id, rating, expiresAt }, options.secret!));
      return url.toString();
    });
    const mail = emailSurvey(locale, ref, links);
    return { text: mail.text, html: mail.html, subject: mail.subject, automatic: true, authorKind: "system" };
  }
  const quickReplies = [5, 4, 3, 2, 1].map((rating) => ({
    id: surveyButtonId(ticket.id, rating),
    title: ratingLabel(rating, locale),
  }));
  return { text: chatSurveyText(locale, ref), automatic: true, authorKind: "system", options: { quickReplies } };
}

/**
 * Sends the survey of `job.ticketId` unless it was sent or skipped already, the ticket was
 * reopened, marked "no survey", auto-closed (unless `afterAutoClose`), or its channel is off.
 * Outside the reply window it uses the channel's template from `options.templates`, or skips
 * with a `csat.skipped` audit note (`reply_window_closed`).
 *
 * @example
 * await sendSurveyJob({ job, now, desk, records }, { delayHours: 24 });
 */
export async function sendSurveyJob(context: PluginJobContext, options: CsatOptions): Promise<void> {
  const { job, now, records } = context;
  const desk = context.desk as CsatDesk;
  if (!job.ticketId) return;
  const ticket = await desk.store.getTicket(job.ticketId);
  if (!ticket || (ticket.status !== "solved" && ticket.status !== "closed")) return; // reopened meanwhile: a new solve schedules again
  if (await records.get("surveys", ticket.id)) return; // at most once per ticket
  const log = await desk.listEvents(ticket.id);
  const reason = skipReason(ticket, log, options);
  if (reason === "merged") return;
  if (reason) return skipSurvey(desk, records, ticket, reason);
  const customer = await desk.getCustomer(ticket.customerId);
  const expiresAt = now.getTime() + (options.answerWithinHours ?? 168) * 3_600_000;
  const record: SurveyRecord = {
    ticketId: ticket.id,
    customerId: ticket.customerId,
    state: "sending",
    channel: ticket.channel,
    locale: customer?.locale ?? ticket.language,
    agentId: agentOf(ticket, log),
    category: ticket.category,
    sentAt: now.toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    viaTicketId: null,
    rating: null,
    comment: null,
    answeredAt: null,
    skipReason: null,
  };
  const input = surveyMessage(ticket, record, options, expiresAt);
  if (!input) return skipSurvey(desk, records, ticket, "no_link_secret", record);
  // Insert-only: of two instances running the job after a lease expired, one sends.
  const claimed = await records
    .put({ namespace: "surveys", key: ticket.id, value: record }, null)
    .catch((e: unknown) => {
      if (StoredeskError.is(e, "CONFLICT")) return null;
      throw e;
    });
  if (!claimed) return;
  let via: "message" | "template" | "new_ticket" = "message";
  try {
    if (ticket.status === "closed") {
      // A closed ticket takes no reply: the survey opens a solved ticket of its own (typed digits answer it).
      const sent = await desk.sendToCustomer(ticket.customerId, {
        text: input.text,
        subject: input.subject ?? null,
        channel: ticket.channel,
        reason: "csat_survey",
      });
      record.viaTicketId = sent.ticket.id;
      await records.put({ namespace: "via", key: sent.ticket.id, value: ticket.id });
      via = "new_ticket";
    } else {
      try {
        await desk.reply(ticket.id, input);
      } catch (err) {
        if (!StoredeskError.is(err, "REPLY_WINDOW_CLOSED")) throw err;
        const template = options.templates?.[ticket.channel];
        if (!template) return await skipSurvey(desk, records, ticket, "reply_window_closed", record);
        await desk.reply(ticket.id, { ...input, template });
        via = "template";
      }
    }
  } catch (err) {
    // Not sent: free the claim so the job's retry can send it.
    await records.delete("surveys", ticket.id);
    throw err;
  }
  await records.put({ namespace: "surveys", key: ticket.id, value: { ...record, state: "sent" } });
  await desk.decide(
    ticket.id,
    () => ({
      events: [
        {
          type: "csat.sent",
          data: { channel: ticket.channel, via, agentId: record.agentId, category: record.category },
        },
      ],
      effects: [
        { type: "emit", event: "plugin.csat.sent", data: { ticketId: ticket.id, channel: ticket.channel, via } },
      ],
    }),
    { kind: "system", id: "csat" },
  );
}
