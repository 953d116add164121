/**
 * Call-backs as a desk plugin (`desk.callbacks.*`): a phone ticket (a request, a missed call, a
 * voicemail) gets a call-back due at the customer's time within calling hours, a timer that
 * marks it due, attempts an agent logs (`logCall`), retries after failed attempts and an end
 * (completed, given up, wrong number, cancelled). A reached call is the ticket's human reply.
 */
import type { Actor, BusinessCalendar, DeskPlugin, Effect, HookDecision, Ticket, TicketStatus } from "@storedesk/core";
import { defineDeskPlugin, formatDue, StoredeskError } from "@storedesk/core";
import { z } from "zod";
import {
  afterCall,
  callbackStateOf,
  newCallbackState,
  OPEN_CALLBACK_STATUSES,
  type CallbackPolicy,
  type CallbackState,
} from "./callback-state.js";
import type { CallbackMeta } from "./webhook.js";

/** The job that marks a call-back due (one per ticket). */
export const CALLBACK_DUE_JOB = "callbacks.due";
const jobKey = (ticketId: string) => `callbacks:${ticketId}`;

/** Options of {@link callbackPlugin}. */
export interface CallbackPluginOptions {
  /** The phone channel's id (default `phone`). */
  channelId?: string;
  /** Failed attempts before the call-back is given up (default 3). */
  maxAttempts?: number;
  /** Minutes between failed attempts, counted in calling hours when set (default 60). */
  retryAfterMinutes?: number;
  /** When agents make calls: a call-back falls due only then. Default: any time. */
  callingHours?: BusinessCalendar | null;
  /**
   * Send the customer a confirmation naming when they will be called (instead of the desk's
   * acknowledgement). Needs a channel that carries text (`phoneChannel({ sms })`). Default false.
   */
  confirm?: boolean;
  /** Time zone of the confirmation's time (default: the calling hours', else `Asia/Seoul`). */
  timeZone?: string;
}

/** A call-back waiting for an agent (see {@link CallbackMethods.queue}). */
export interface QueuedCallback {
  ticket: Ticket;
  state: CallbackState;
  dueAt: Date;
  /** Due now or earlier. */
  due: boolean;
}

/** What `logCall` accepts (validated: bad input is INVALID_INPUT and changes nothing). */
export const LogCallSchema = z.strictObject({
  outcome: z.enum(["reached", "no_answer", "busy", "voicemail", "wrong_number"]),
  agentId: z.string().trim().min(1).max(200),
  durationSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
  notes: z.string().max(5_000).nullable().optional(),
  /** The status to leave the ticket in after a reached call (`solved` when the call settled it). */
  status: z.enum(["open", "pending", "on_hold", "solved"]).nullable().optional(),
});
/** What an agent logs after a call (see {@link CallbackMethods.logCall}). */
export type LogCallInput = z.input<typeof LogCallSchema>;

/** What the plugin puts under `desk.callbacks`. */
export interface CallbackMethods {
  /**
   * Records a call an agent made: `reached` completes the call-back and counts as the ticket's
   * human reply (SLA, reports); `no_answer`, `busy`, `voicemail` schedule the next attempt or, after
   * the last, give up; `wrong_number` ends it. INVALID_INPUT for a ticket that is no call-back.
   */
  logCall(ticketId: string, input: LogCallInput): Promise<{ ticket: Ticket; state: CallbackState }>;
  /** Moves the next call to `at` (the agent agreed a time with the customer), reopening an ended call-back. */
  reschedule(ticketId: string, at: Date, actor: { agentId: string }): Promise<CallbackState>;
  /** Ends a call-back without a call (the customer wrote instead, a duplicate). */
  cancel(ticketId: string, reason: string, actor: { agentId: string }): Promise<CallbackState>;
  /** Open call-backs, soonest due first (`due`: due at `now`, default the desk's clock). */
  queue(opts?: { now?: Date; limit?: number }): Promise<QueuedCallback[]>;
  /** A ticket's call-back state, or null. */
  state(ticketId: string): Promise<CallbackState | null>;
}

const OPEN_TICKET: TicketStatus[] = ["new", "open", "pending", "on_hold"];

/**
 * The call-back plugin.
 *
 * @example
 * const desk = createDesk({ store, channels: [phoneChannel({ secret })],
 *   plugins: [callbackPlugin({ callingHours: seoulHours, maxAttempts: 3 })] });
 * for (const { ticket, state } of await desk.callbacks.queue()) console.log(ticket.number, state.number);
 */
export function callbackPlugin(options: CallbackPluginOptions = {}): DeskPlugin<"callbacks", CallbackMethods> {
  const channelId = options.channelId ?? "phone";
  const policy: CallbackPolicy = {
    maxAttempts: options.maxAttempts ?? 3,
    retryAfterMinutes: options.retryAfterMinutes ?? 60,
    callingHours: options.callingHours ?? null,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "maxAttempts must be a positive integer",
      path: ["maxAttempts"],
    });
  if (!(policy.retryAfterMinutes > 0))
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "retryAfterMinutes must be positive",
      path: ["retryAfterMinutes"],
    });
  const timeZone = options.timeZone ?? policy.callingHours?.timeZone ?? "Asia/Seoul";

  /** Refuses to act on a call-back that has ended (ILLEGAL_TRANSITION: a 409 at the HTTP edge). */
  const refuseEnded = (ticket: Ticket, state: CallbackState, what: string): void => {
    if (OPEN_CALLBACK_STATUSES.has(state.status)) return;
    throw new StoredeskError({
      code: "ILLEGAL_TRANSITION",
      message: `Cannot ${what} the call-back of ticket ${ticket.id}: it has ended (${state.status})`,
      details: { ticketId: ticket.id, status: state.status },
    });
  };

  /** The timer of a state: scheduled at its due time, else none. */
  const timer = (ticketId: string, state: CallbackState): Effect =>
    state.status === "scheduled" && state.dueAt
      ? {
          type: "schedule",
          job: { key: jobKey(ticketId), type: CALLBACK_DUE_JOB, ticketId, runAt: new Date(state.dueAt), payload: {} },
        }
      : { type: "cancel_job", key: jobKey(ticketId) };

  const confirmation = (ticket: Ticket, state: CallbackState, locale: string, now: Date): Effect | null => {
    if (!options.confirm || !state.dueAt) return null;
    const due = new Date(state.dueAt);
    const soon = due.getTime() - now.getTime() <= 10 * 60_000;
    const when = formatDue(due, locale, timeZone);
    const text = locale.startsWith("ko")
      ? soon
        ? "전화 상담 요청을 받았습니다. 곧 전화드리겠습니다."
        : `전화 상담 요청을 받았습니다. ${when}쯤 전화드리겠습니다.`
      : soon
        ? "We got your call-back request and will call you shortly."
        : `We got your call-back request and will call you around ${when}.`;
    return { type: "send", ticketId: ticket.id, text, automatic: true, reason: "auto_ack", authorId: "callbacks" };
  };

  /** A call-back starts (a new phone ticket, or a new request on one whose call-back ended). */
  const start = (ticket: Ticket, meta: CallbackMeta, locale: string, now: Date, repeat: boolean): HookDecision => {
    const state = newCallbackState(meta, policy, now);
    const confirm = confirmation(ticket, state, locale, now);
    return {
      ticket: { meta: { callback: state, ...(repeat ? {} : { firstContact: "callbacks" }) } },
      events: [
        {
          type: "plugin.callbacks.requested",
          data: {
            source: meta.source,
            number: meta.number,
            dueAt: state.dueAt,
            preferredAt: state.preferredAt,
            repeat,
          },
        },
      ],
      effects: [timer(ticket.id, state), ...(confirm ? [confirm] : [])],
    };
  };

  const metaOf = (message: { channel: string; meta: Record<string, unknown> } | null): CallbackMeta | null => {
    if (!message || message.channel !== channelId) return null;
    const meta = message.meta.callback as CallbackMeta | undefined;
    return meta && typeof meta.number === "string" ? meta : null;
  };

  return defineDeskPlugin({
    specVersion: 1,
    id: "callbacks",
    events: [
      "plugin.callbacks.requested",
      "plugin.callbacks.due",
      "plugin.callbacks.call_logged",
      "plugin.callbacks.rescheduled",
      "plugin.callbacks.gave_up",
      "plugin.callbacks.cancelled",
    ],
    hooks: {
      ticketCreated: ({ ticket, message, customer, now }) => {
        const meta = metaOf(message);
        if (!meta) return undefined;
        return start(ticket, meta, customer.locale ?? ticket.language ?? "ko", now, false);
      },
      // Solved or closed while a call is still owed (the agent answered another way): the
      // call-back is cancelled with its timer, so no queue or timer keeps a finished ticket.
      statusChanged: ({ ticket }) => {
        const state = callbackStateOf(ticket);
        if (!state || !OPEN_CALLBACK_STATUSES.has(state.status)) return undefined;
        if (ticket.status !== "solved" && ticket.status !== "closed") return undefined;
        const next: CallbackState = { ...state, status: "cancelled", dueAt: null };
        return {
          ticket: { meta: { callback: next } },
          events: [{ type: "plugin.callbacks.cancelled", data: { reason: `ticket_${ticket.status}` } }],
          effects: [timer(ticket.id, next)],
        };
      },
      customerMessage: ({ ticket, message, customer, now }) => {
        const meta = metaOf(message);
        if (!meta) return undefined;
        const state = callbackStateOf(ticket);
        // Called again while a call is owed: keep the time already promised (an earlier call is fine).
        if (state && OPEN_CALLBACK_STATUSES.has(state.status)) return undefined;
        return start(ticket, meta, customer.locale ?? ticket.language ?? "ko", now, true);
      },
    },
    jobs: {
      [CALLBACK_DUE_JOB]: async ({ job, now, desk }) => {
        const ticket = job.ticketId ? await desk.readTicket(job.ticketId) : null;
        const state = ticket ? callbackStateOf(ticket) : null;
        if (!ticket || !state || state.status !== "scheduled" || !state.dueAt) return;
        if (new Date(state.dueAt) > now) return; // rescheduled later meanwhile: its own timer runs then
        await desk.decide(
          ticket.id,
          (current) => {
            const live = callbackStateOf(current);
            if (!live || live.status !== "scheduled") return undefined;
            const due: CallbackState = { ...live, status: "due" };
            return {
              ticket: { meta: { callback: due } },
              events: [{ type: "plugin.callbacks.due", data: { number: due.number, attempt: due.attempts + 1 } }],
              effects: [
                {
                  type: "emit",
                  event: "plugin.callbacks.due",
                  data: { ticketId: current.id, number: due.number, attempt: due.attempts + 1 },
                },
              ],
            };
          },
          { kind: "system", id: "callbacks" },
          { at: now },
        );
      },
    },
    methods: ({ desk }) => {
      const change = async (
        ticketId: string,
        actor: Actor,
        decide: (ticket: Ticket, state: CallbackState, now: Date) => HookDecision & { state: CallbackState },
      ): Promise<{ ticket: Ticket; state: CallbackState }> => {
        let result: CallbackState | null = null;
        const ticket = await desk.decide(
          ticketId,
          (current, now) => {
            const state = callbackStateOf(current);
            if (!state)
              throw new StoredeskError({
                code: "INVALID_INPUT",
                message: `Ticket ${ticketId} is no call-back`,
                path: ["ticketId"],
              });
            const decided = decide(current, state, now);
            result = decided.state;
            return {
              ticket: { ...decided.ticket, meta: { ...decided.ticket?.meta, callback: decided.state } },
              events: decided.events ?? [],
              effects: [timer(current.id, decided.state), ...(decided.effects ?? [])],
            };
          },
          actor,
        );
        return { ticket, state: result! };
      };

      return {
        logCall: async (ticketId, input) => {
          const call = LogCallSchema.safeParse(input);
          if (!call.success)
            throw new StoredeskError({ code: "INVALID_INPUT", message: `Invalid call log: ${call.error.message}` });
          const { outcome, agentId, durationSeconds = null, notes = null, status = null } = call.data;
          const actor: Actor = { kind: "agent", id: agentId };
          return change(ticketId, actor, (ticket, state, now) => {
            // Judged in the write's own transaction: two agents logging at once cannot both count.
            refuseEnded(ticket, state, "log a call on");
            const next = afterCall(state, outcome, policy, now);
            const data = { outcome, number: state.number, attempt: state.attempts + 1, durationSeconds, notes };
            const events: NonNullable<HookDecision["events"]> = [{ type: "plugin.callbacks.call_logged", data, actor }];
            const patch: NonNullable<HookDecision["ticket"]> = {};
            if (outcome === "reached") {
              // A conversation with the customer: the ticket's human reply, as an agent's message would be.
              events.push({
                type: "reply.sent",
                data: {
                  channel: ticket.channel,
                  authorKind: "agent",
                  automatic: false,
                  visibility: "private",
                  call: true,
                },
                actor,
              });
              const to = status ?? (ticket.status === "new" ? "open" : null);
              if (to && to !== ticket.status) {
                patch.status = to;
                events.push({
                  type: "status.changed",
                  data: { from: ticket.status, to, reason: "call_logged" },
                  actor,
                });
              }
            }
            const effects: Effect[] = [];
            if (next.status === "gave_up") {
              events.push({
                type: "plugin.callbacks.gave_up",
                data: { number: state.number, attempts: next.attempts },
              });
              effects.push({
                type: "emit",
                event: "plugin.callbacks.gave_up",
                data: { ticketId: ticket.id, number: state.number, attempts: next.attempts },
              });
            }
            return { ticket: patch, events, effects, state: next };
          });
        },
        reschedule: async (ticketId, at, { agentId }) => {
          if (!(at instanceof Date) || Number.isNaN(at.getTime()))
            throw new StoredeskError({ code: "INVALID_INPUT", message: "at must be a valid date", path: ["at"] });
          const actor: Actor = { kind: "agent", id: agentId };
          const { state } = await change(ticketId, actor, (_ticket, current) => {
            const next: CallbackState = { ...current, status: "scheduled", dueAt: at.toISOString() };
            return {
              events: [{ type: "plugin.callbacks.rescheduled", data: { dueAt: next.dueAt }, actor }],
              state: next,
            };
          });
          return state;
        },
        cancel: async (ticketId, reason, { agentId }) => {
          const actor: Actor = { kind: "agent", id: agentId };
          const { state } = await change(ticketId, actor, (ticket, current) => {
            refuseEnded(ticket, current, "cancel");
            const next: CallbackState = { ...current, status: "cancelled", dueAt: null };
            return {
              events: [{ type: "plugin.callbacks.cancelled", data: { reason: String(reason).slice(0, 500) }, actor }],
              state: next,
            };
          });
          return state;
        },
        queue: async (opts = {}) => {
          const now = opts.now ?? desk.clock.now();
          const tickets = await (desk.listTickets as (q: object) => Promise<Ticket[]>)({
            channel: channelId,
            status: OPEN_TICKET,
          });
          const open: QueuedCallback[] = [];
          for (const ticket of tickets) {
            const state = callbackStateOf(ticket);
            if (!state || !OPEN_CALLBACK_STATUSES.has(state.status) || !state.dueAt) continue;
            const dueAt = new Date(state.dueAt);
            open.push({ ticket, state, dueAt, due: dueAt <= now });
          }
          open.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.ticket.number - b.ticket.number);
          return opts.limit ? open.slice(0, opts.limit) : open;
        },
        state: async (ticketId) => {
          const ticket = await desk.readTicket(ticketId);
          return ticket ? callbackStateOf(ticket) : null;
        },
      };
    },
  });
}
