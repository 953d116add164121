/**
 * A template experiment's observations from ticket facts, and its results: the outcome of each
 * ticket the experiment assigned (an `experiment.assigned` audit event), fed to the pure statistics.
 */
import type { TicketEvent } from "../domain/event.js";
import { experimentResults, type ExperimentObservation, type ExperimentResults } from "./experiment-results.js";
import type { TemplateExperiment } from "./template-experiment.js";
import { factsByTicket, type TicketFacts } from "./ticket-facts.js";

const DAY_MS = 86_400_000;

/**
 * One ticket's outcome in `experiment`, or null while it has none yet:
 * - `csat`: the latest survey answer; success is a 4 or 5. No answer: no observation.
 * - `no_reopen_7d`: the first solve; success is no reopen within 7 days of it. Observed once
 *   reopened or 7 days after the solve (as of `now`), so a fresh solve does not count as a success.
 * - `resolved_within_target`: the resolution; success is within `targetHours` of creation.
 *
 * @example
 * experimentOutcome(exp, facts, Date.now()); // true | false | null
 */
export function experimentOutcome(experiment: TemplateExperiment, f: TicketFacts, now: number): boolean | null {
  switch (experiment.outcome) {
    case "csat": {
      const last = f.csat.at(-1);
      return last ? last.rating >= 4 : null;
    }
    case "no_reopen_7d": {
      if (f.firstSolvedAt === null) return null;
      const reopenedInTime = f.firstReopenAt !== null && f.firstReopenAt - f.firstSolvedAt <= 7 * DAY_MS;
      if (reopenedInTime) return false;
      return now - f.firstSolvedAt >= 7 * DAY_MS ? true : null;
    }
    case "resolved_within_target":
      return f.resolvedAt === null ? null : f.resolvedAt - f.createdAt <= experiment.targetHours * 3_600_000;
  }
}

/** An experiment's results with the experiment itself and how many tickets it assigned. */
export interface ExperimentReport extends ExperimentResults {
  experimentId: string;
  outcome: TemplateExperiment["outcome"];
  /** Tickets assigned a variant, by variant (observed or not yet). */
  assigned: Record<string, number>;
}

/**
 * Results of `experiment` from ticket facts (see {@link experimentOutcome}), as of `now` (epoch ms).
 *
 * @example
 * experimentReportFromFacts(exp, factsByTicket(events), Date.now()).decision;
 */
export function experimentReportFromFacts(
  experiment: TemplateExperiment,
  facts: Iterable<TicketFacts>,
  now: number,
): ExperimentReport {
  const observations: ExperimentObservation[] = [];
  const assigned: Record<string, number> = Object.fromEntries(experiment.variants.map((v) => [v.name, 0]));
  for (const f of facts) {
    const variant = f.experiments.get(experiment.id);
    if (variant === undefined) continue;
    if (variant in assigned) assigned[variant]!++;
    const success = experimentOutcome(experiment, f, now);
    if (success !== null) observations.push({ variant, success });
  }
  const results = experimentResults(
    experiment.variants.map((v) => v.name),
    observations,
    experiment.stopRule,
  );
  return { experimentId: experiment.id, outcome: experiment.outcome, assigned, ...results };
}

/**
 * Results of `experiment` over a history of audit events, as of `now`.
 *
 * @example
 * experimentReport(exp, events, new Date()).variants[1].test?.pValue;
 */
export function experimentReport(
  experiment: TemplateExperiment,
  history: readonly TicketEvent[],
  now: Date,
): ExperimentReport {
  return experimentReportFromFacts(experiment, factsByTicket(history), now.getTime());
}
