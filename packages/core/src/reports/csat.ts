/** CSAT survey responses and their score math: score = share of 4–5 ratings, response rate. */
import { z } from "zod";
import { ChannelIdSchema } from "../domain/enums.js";

/** One answered survey (zod): the rating and what the ticket was when it was asked. */
export const SurveyResponseSchema = z.object({
  ticketId: z.string().min(1),
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(5000).nullable().default(null),
  channel: ChannelIdSchema,
  /** The agent and category at the time of the survey, so later changes do not move old scores. */
  agentId: z.string().nullable().default(null),
  category: z.string().nullable().default(null),
  respondedAt: z.date(),
});
/** A survey response as given. */
export type SurveyResponseInput = z.input<typeof SurveyResponseSchema>;
/** A survey response. */
export type SurveyResponse = z.output<typeof SurveyResponseSchema>;

/** CSAT figures of a group of responses. */
export interface CsatScore {
  responses: number;
  satisfied: number;
  /** Share of 4 and 5 ratings, null without responses. */
  score: number | null;
  /** Responses per survey sent, null when nothing was sent (or the count is not given). */
  responseRate: number | null;
  /** Ratings 1–5 counted (index 0 is rating 1). */
  distribution: [number, number, number, number, number];
}

/**
 * CSAT of `responses`; a second answer to the same ticket replaces the first (the latest counts).
 *
 * @example
 * csatScore([{ rating: 5, … }, { rating: 2, … }], { sent: 4 }); // score 0.5, responseRate 0.5
 */
export function csatScore(responses: readonly SurveyResponse[], opts: { sent?: number } = {}): CsatScore {
  const latest = new Map<string, SurveyResponse>();
  for (const r of responses) {
    const prev = latest.get(r.ticketId);
    if (!prev || r.respondedAt >= prev.respondedAt) latest.set(r.ticketId, r);
  }
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of latest.values()) distribution[r.rating - 1]!++;
  const n = latest.size;
  const satisfied = distribution[3] + distribution[4];
  return {
    responses: n,
    satisfied,
    score: n ? satisfied / n : null,
    responseRate: opts.sent ? Math.min(1, n / opts.sent) : null,
    distribution,
  };
}

/**
 * CSAT per group (agent, category, channel…), by a key function; null keys are grouped as "".
 *
 * @example
 * csatBy(responses, (r) => r.agentId).get("kim")?.score;
 */
export function csatBy(
  responses: readonly SurveyResponse[],
  key: (r: SurveyResponse) => string | null,
): Map<string, CsatScore> {
  const groups = new Map<string, SurveyResponse[]>();
  for (const r of responses) {
    const k = key(r) ?? "";
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return new Map([...groups].map(([k, g]) => [k, csatScore(g)]));
}
