/**
 * CSAT surveys as a desk plugin: a solved ticket gets a survey N hours later (a scheduler job
 * this plugin registers), once; the answer (a button, a typed digit, an e-mail link) threads
 * onto the ticket as `csat.received`, which the desk emits as `plugin.csat.received` and rules
 * can act on.
 */
import { StoredeskError } from "../../../errors.js";
import { defineDeskPlugin, type DeskPlugin, type PluginDesk, type PluginRecords } from "../../../ports/desk-plugin.js";
import { answerDecision } from "./answer-survey.js";
import { csatHandler } from "./csat-handler.js";
import { CSAT_SEND_JOB, csatJobKey, surveyDelayMs, type CsatOptions, type SurveyRecord } from "./csat-options.js";
import { sendSurveyJob, skipSurvey, type CsatDesk } from "./send-survey-job.js";

/** What the plugin puts under `desk.csat`. */
export interface CsatMethods {
  /**
   * Marks a ticket "no survey" (an agent's or a rule's choice): a pending survey is not sent,
   * with a `csat.skipped` audit note. Returns false when the survey had already gone out.
   */
  skip(ticketId: string, reason?: string): Promise<boolean>;
  /** The survey record of a ticket (state, rating, comment…), or null. */
  survey(ticketId: string): Promise<SurveyRecord | null>;
  /** The Web handler of the e-mail rating links and the comment form: mount it at `linkBaseUrl`. */
  handler(): (request: Request) => Promise<Response>;
}

/**
 * The CSAT survey plugin (`desk.csat.*`).
 *
 * @example
 * const desk = createDesk({ store, channels, plugins: [csatPlugin({ delayHours: { default: 24, whatsapp: 2 },
 *   secret: process.env.CSAT_SECRET, linkBaseUrl: "https://shop.example/csat", templates: { whatsapp: { name: "csat_survey", language: "ko" } } })] });
 * desk.on("plugin.csat.received", ({ rating }) => console.log(rating));
 */
export function csatPlugin(options: CsatOptions = {}): DeskPlugin<"csat", CsatMethods> {
  if (options.delayHours !== undefined) {
    const hours = typeof options.delayHours === "number" ? [options.delayHours] : Object.values(options.delayHours);
    if (hours.some((h) => typeof h !== "number" || !(h >= 0))) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "csat delayHours must be non-negative numbers",
        path: ["delayHours"],
      });
    }
  }
  if (options.linkBaseUrl !== undefined && !URL.canParse(options.linkBaseUrl)) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "csat linkBaseUrl must be an absolute URL",
      path: ["linkBaseUrl"],
    });
  }
  const skipTag = options.skipTag ?? "no-survey";
  let deskRef: CsatDesk | null = null;
  const desk = (): CsatDesk => {
    if (!deskRef)
      throw new StoredeskError({ code: "UNSUPPORTED", message: "The csat plugin is not part of a desk yet" });
    return deskRef;
  };
  return defineDeskPlugin({
    specVersion: 1,
    id: "csat",
    events: ["plugin.csat.sent", "plugin.csat.skipped", "plugin.csat.received", "plugin.csat.commented"],
    hooks: {
      statusChanged: ({ before, ticket, now }) => {
        if (ticket.status === "solved" && before.status !== "solved") {
          if (ticket.tags.includes(skipTag) || (options.channels && !options.channels.includes(ticket.channel)))
            return undefined;
          const runAt = new Date(now.getTime() + surveyDelayMs(options, ticket.channel));
          return {
            effects: [
              {
                type: "schedule",
                job: { key: csatJobKey(ticket.id), type: CSAT_SEND_JOB, ticketId: ticket.id, runAt, payload: {} },
              },
            ],
          };
        }
        // Reopened before the survey was due: no survey now; the next solve schedules one.
        if (before.status === "solved" && ticket.status !== "closed")
          return { effects: [{ type: "cancel_job", key: csatJobKey(ticket.id) }] };
        return undefined;
      },
      customerMessage: ({ before, ticket, message, customer, records, now }) =>
        answerDecision({ before, ticket, message, customer, records, now }),
      ticketCreated: ({ ticket, message, customer, records, now }) =>
        message && ticket.followUpOf
          ? answerDecision({ before: null, ticket, message, customer, records, now })
          : undefined,
    },
    jobs: { [CSAT_SEND_JOB]: (context) => sendSurveyJob(context, options) },
    methods: ({ desk: pluginDesk, records }: { desk: PluginDesk; records: PluginRecords }): CsatMethods => {
      deskRef = pluginDesk as CsatDesk;
      return {
        async skip(ticketId, reason = "marked_no_survey") {
          const existing = await records.get("surveys", ticketId);
          if (existing) return (existing.value as SurveyRecord).state === "skipped";
          const ticket = await desk().getTicket(ticketId);
          await skipSurvey(desk(), records, ticket, reason);
          return true;
        },
        async survey(ticketId) {
          return ((await records.get("surveys", ticketId))?.value as SurveyRecord | undefined) ?? null;
        },
        handler: () => csatHandler(desk, records, options),
      };
    },
  });
}
