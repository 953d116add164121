/**
 * Team calendars from action plans: each plan's `serviceHours` calendar belongs to its
 * `responsibleTeam`. The SLA engine and hand-off messages pick the calendar of the ticket's team.
 */
import type { ActionPlan } from "../domain/action-plan.js";
import { StoredeskError } from "../errors.js";
import type { BusinessCalendar } from "./business-calendar.js";

/** Which calendar each team works by, and which team each category's plan sends tickets to. */
export interface TeamCalendars {
  byTeam: ReadonlyMap<string, BusinessCalendar>;
  /** Category → the responsible team of its plan (for a ticket that has no team yet). */
  teamOfCategory: ReadonlyMap<string, string>;
}

/**
 * Collects the team calendars of the action plans. Plans whose `serviceHours` is a description
 * string add none (their team uses the desk's calendar).
 *
 * @throws StoredeskError `INVALID_INPUT` when two plans give one team different calendars.
 * @example
 * const teams = teamCalendars([...desk.actionPlans.values()]);
 */
export function teamCalendars(plans: Iterable<ActionPlan>): TeamCalendars {
  const byTeam = new Map<string, BusinessCalendar>();
  const teamOfCategory = new Map<string, string>();
  for (const plan of plans) {
    teamOfCategory.set(plan.category, plan.responsibleTeam);
    if (typeof plan.serviceHours === "string") continue;
    const seen = byTeam.get(plan.responsibleTeam);
    if (seen && JSON.stringify(seen) !== JSON.stringify(plan.serviceHours)) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `team "${plan.responsibleTeam}" has two different serviceHours calendars ("${seen.id}" and "${plan.serviceHours.id}"); give every plan of one team the same calendar`,
        path: ["actionPlans", plan.category, "serviceHours"],
      });
    }
    byTeam.set(plan.responsibleTeam, plan.serviceHours);
  }
  return { byTeam, teamOfCategory };
}

/**
 * The calendar a ticket is served by: its team's (or, without a team, the team of its category's
 * plan), else `fallback` (the desk's calendar).
 *
 * @example
 * const calendar = calendarForTicket(teams, ticket, deskCalendar);
 */
export function calendarForTicket(
  teams: TeamCalendars,
  ticket: { team: string | null; category: string },
  fallback: BusinessCalendar | null,
): BusinessCalendar | null {
  const team = ticket.team ?? teams.teamOfCategory.get(ticket.category) ?? null;
  return (team !== null ? teams.byTeam.get(team) : undefined) ?? fallback;
}
