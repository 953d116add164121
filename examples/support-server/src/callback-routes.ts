/**
 * The call-back queue in the agent API (`desk.callbacks` of `@storedesk/phone`): the queue, soonest
 * due first, and an agent's call logged, moved or cancelled. The signed-in agent is the actor,
 * never a field of the body, so nobody logs a call in a colleague's name.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { StoredeskError, parseInput } from "@storedesk/core";
import type { Desk, Ticket } from "@storedesk/core";
import { callbackStateOf, displayNumber, OPEN_CALLBACK_STATUSES } from "@storedesk/phone";
import type { CallbackMethods, CallbackState } from "@storedesk/phone";
import type { AgentApiEnv } from "./agent-api.js";

type CountryCode = Parameters<typeof displayNumber>[1];

/** What the call-back routes need. */
export interface CallbackRoutesOptions {
  desk: Desk;
  callbacks: CallbackMethods;
  /** Failed attempts before the plugin gives up (shown as "attempt 1 of 3"). */
  maxAttempts: number;
  /** Numbers of this country are shown in their national form (`010-1234-5678`). */
  homeCountry?: CountryCode;
}

// Strict: an unknown field is a mistake (or `agentId`, which only the session names), not ignored.
const LogSchema = z.strictObject({
  outcome: z.enum(["reached", "no_answer", "busy", "voicemail", "wrong_number"]),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  notes: z.string().trim().max(5_000).optional(),
  /** The ticket's status after a reached call (`solved` when the call settled it). */
  status: z.enum(["open", "pending", "on_hold", "solved"]).optional(),
});
const RescheduleSchema = z.strictObject({ at: z.iso.datetime({ offset: true }) });
const CancelSchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const QueueQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

/** How far ahead a call may be booked. */
const MAX_AHEAD_MS = 366 * 24 * 3_600_000;
/** A time this little in the past is "now" (the agent's clock, a slow click), not a mistake. */
const PAST_SLACK_MS = 5 * 60_000;

/** A ticket's call-back as the inbox shows it, or null for a ticket that is no call-back. */
export function callbackView(ticket: Ticket, homeCountry: CountryCode = "KR", now?: Date) {
  const state = callbackStateOf(ticket);
  if (!state) return null;
  return {
    ...state,
    displayNumber: displayNumber(state.number, homeCountry),
    open: OPEN_CALLBACK_STATUSES.has(state.status),
    ...(now && state.dueAt ? { due: new Date(state.dueAt) <= now } : {}),
  };
}

const refused = (message: string, details?: Record<string, unknown>) =>
  new StoredeskError({ code: "CONFLICT", message, retryable: false, ...(details ? { details } : {}) });

/**
 * Adds the call-back routes to the agent API (behind its session and CSRF checks):
 * `GET /callbacks`, `POST /tickets/:id/callback/{log,reschedule,cancel}`.
 *
 * @example
 * callbackRoutes(api, { desk, callbacks: desk.callbacks, maxAttempts: 3 });
 */
export function callbackRoutes(api: Hono<AgentApiEnv>, options: CallbackRoutesOptions): void {
  const { desk, callbacks, maxAttempts } = options;
  const home = options.homeCountry ?? "KR";
  const who = (c: Context<AgentApiEnv>) => c.get("session").agent;
  const json = async (c: Context<AgentApiEnv>) => (await c.req.json().catch(() => null)) as unknown;

  /** The ticket and its call-back; INVALID_INPUT for a ticket that is no call-back. */
  const callbackOf = async (ticketId: string): Promise<{ ticket: Ticket; state: CallbackState }> => {
    const ticket = await desk.getTicket(ticketId);
    const state = callbackStateOf(ticket);
    if (!state)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `SD-${ticket.number} is no call-back`,
        path: ["ticketId"],
      });
    return { ticket, state };
  };
  // Checked before the plugin writes: a second click on "reached" must not log a second call.
  const mustBeOpen = (ticket: Ticket, state: CallbackState) => {
    if (!OPEN_CALLBACK_STATUSES.has(state.status))
      throw refused(`SD-${ticket.number}'s call-back is ${state.status}: reschedule it to call again`, {
        callbackStatus: state.status,
      });
  };

  api.get("/callbacks", async (c) => {
    const query = parseInput(QueueQuerySchema, c.req.query(), "call-back queue query");
    const now = desk.clock.now();
    const queue = await callbacks.queue({ now, ...(query.limit ? { limit: query.limit } : {}) });
    const rows = await Promise.all(
      queue.map(async ({ ticket, state, dueAt, due }) => {
        const customer = await desk.getCustomer(ticket.customerId);
        return {
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          subject: ticket.subject,
          ticketStatus: ticket.status,
          assigneeId: ticket.assigneeId,
          customerName: customer?.name ?? null,
          number: state.number,
          displayNumber: displayNumber(state.number, home),
          status: state.status,
          source: state.source,
          dueAt: dueAt.toISOString(),
          due,
          preferredAt: state.preferredAt,
          attempts: state.attempts,
          lastOutcome: state.lastOutcome,
        };
      }),
    );
    return c.json({ now: now.toISOString(), maxAttempts, callbacks: rows });
  });

  api.post("/tickets/:id/callback/log", async (c) => {
    const body = parseInput(LogSchema, await json(c), "call log");
    const { ticket, state } = await callbackOf(c.req.param("id"));
    mustBeOpen(ticket, state);
    const result = await callbacks.logCall(ticket.id, { ...body, agentId: who(c).id });
    return c.json({ ticket: result.ticket, callback: callbackView(result.ticket, home, desk.clock.now()) });
  });

  api.post("/tickets/:id/callback/reschedule", async (c) => {
    const body = parseInput(RescheduleSchema, await json(c), "reschedule");
    const at = new Date(body.at);
    const now = desk.clock.now();
    if (at.getTime() < now.getTime() - PAST_SLACK_MS || at.getTime() > now.getTime() + MAX_AHEAD_MS)
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: "at must lie between now and a year from now",
        path: ["at"],
      });
    const { ticket } = await callbackOf(c.req.param("id"));
    // The queue lists open tickets only: a call booked on a solved ticket would wait unseen.
    if (ticket.status === "solved" || ticket.status === "closed")
      throw refused(`SD-${ticket.number} is ${ticket.status}: reopen it before booking a call`, {
        ticketStatus: ticket.status,
      });
    await callbacks.reschedule(ticket.id, at, { agentId: who(c).id });
    const updated = await desk.getTicket(ticket.id);
    return c.json({ ticket: updated, callback: callbackView(updated, home, desk.clock.now()) });
  });

  api.post("/tickets/:id/callback/cancel", async (c) => {
    const body = parseInput(CancelSchema, await json(c), "cancel");
    const { ticket, state } = await callbackOf(c.req.param("id"));
    mustBeOpen(ticket, state);
    await callbacks.cancel(ticket.id, body.reason, { agentId: who(c).id });
    const updated = await desk.getTicket(ticket.id);
    return c.json({ ticket: updated, callback: callbackView(updated, home, desk.clock.now()) });
  });
}
