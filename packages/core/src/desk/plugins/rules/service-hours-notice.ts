/**
 * The hand-off line outside a team's hours: when a customer writes to a team (by the ticket's
 * team, or its category's plan) whose `serviceHours` calendar is closed, the desk tells them when
 * a person will answer ("내일 09:00부터 상담원이 답변드립니다"), once per closed period.
 */
import { nextServiceTime, serviceHoursNotice, type NextServiceTime } from "../../../calendar/service-time.js";
import { calendarForTicket, teamCalendars, type TeamCalendars } from "../../../calendar/team-calendar.js";
import type { ActionPlan } from "../../../domain/action-plan.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { HookDecision } from "../../../ports/desk-plugin.js";

/** Ticket meta key: the opening time the last notice announced (one notice per closed period). */
export const NOTICE_META = "serviceHoursNoticeFor";

/** Team calendars of a desk's plans, built once per plans map. */
const cache = new WeakMap<ReadonlyMap<string, ActionPlan>, TeamCalendars>();

/**
 * The team calendars of the desk's action plans (memoized per plans map).
 *
 * @example
 * const teams = teamsOf(desk.actionPlans);
 */
export function teamsOf(plans: ReadonlyMap<string, ActionPlan>): TeamCalendars {
  let teams = cache.get(plans);
  if (!teams) cache.set(plans, (teams = teamCalendars(plans.values())));
  return teams;
}

/**
 * The notice to send with a customer's message, or undefined: only with a team calendar of its
 * own (not the desk's), while it is closed, and not twice for the same opening.
 *
 * @example
 * const notice = serviceHoursDecision(teamsOf(desk.actionPlans), ticket, "ko", now);
 */
export function serviceHoursDecision(
  teams: TeamCalendars,
  ticket: Ticket,
  language: string,
  now: Date,
): HookDecision | undefined {
  const calendar = calendarForTicket(teams, ticket, null);
  if (!calendar) return undefined;
  const next = nextServiceTime(calendar, now);
  if (next.open || !next.at) return undefined;
  const opening = next.at.toISOString();
  if (ticket.meta[NOTICE_META] === opening) return undefined;
  const text = serviceHoursNotice(calendar, now, language);
  if (!text) return undefined;
  return {
    ticket: { meta: { [NOTICE_META]: opening } },
    events: [{ type: "service_hours.notice", data: { calendarId: calendar.id, team: ticket.team, opensAt: opening } }],
    effects: [{ type: "send", ticketId: ticket.id, text, automatic: true, reason: "service_hours" }],
  };
}

/**
 * Merges two hook decisions (fields and meta patched in order, events and effects appended).
 *
 * @example
 * const both = mergeDecisions(rules, notice);
 */
export function mergeDecisions(a: HookDecision | undefined, b: HookDecision | undefined): HookDecision | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    ...a,
    ticket: { ...a.ticket, ...b.ticket, meta: { ...a.ticket?.meta, ...b.ticket?.meta } },
    events: [...(a.events ?? []), ...(b.events ?? [])],
    effects: [...(a.effects ?? []), ...(b.effects ?? [])],
  };
}

/**
 * When a person from the ticket's team answers, for a plugin or template (the knowledge bot's
 * hand-off line): `nextServiceTime` on the ticket's team calendar, null when its team has none.
 *
 * @example
 * const next = nextServiceTimeFor(desk.actionPlans, ticket, desk.clock.now());
 * if (next && !next.open) say(`${next.localTime}부터 답변드립니다`);
 */
export function nextServiceTimeFor(
  plans: ReadonlyMap<string, ActionPlan>,
  ticket: Pick<Ticket, "team" | "category">,
  now: Date,
): NextServiceTime | null {
  const calendar = calendarForTicket(teamsOf(plans), ticket, null);
  return calendar ? nextServiceTime(calendar, now) : null;
}
