/** Agents as routing sees them: teams, skills, presence and capacity per channel. */
import { z } from "zod";
import { parseInput } from "../validate.js";

const name = z.string().min(1).max(100);

/**
 * Schema of a routable agent. `capacity` is open tickets per channel (`"*"` for any channel not
 * listed; a channel with neither gets nothing). Empty skill lists mean "any".
 *
 * @example
 * RoutingAgentSchema.parse({ id: "minji", teams: ["refunds"], skills: { languages: ["ko", "en"] },
 *   presence: "online", capacity: { webchat: 8, email: 20 } });
 */
export const RoutingAgentSchema = z.strictObject({
  id: z.string().min(1).max(200),
  teams: z.array(name).max(50).default([]),
  skills: z
    .strictObject({
      languages: z.array(name).max(50).default([]),
      categories: z.array(name).max(50).default([]),
      channels: z.array(name).max(50).default([]),
    })
    .default({ languages: [], categories: [], channels: [] }),
  /** Set by the app; only `online` agents are routed to. */
  presence: z.enum(["online", "away", "offline"]),
  capacity: z.record(name, z.number().int().nonnegative().max(10_000)),
});
/** A routable agent. */
export type RoutingAgent = z.output<typeof RoutingAgentSchema>;
/** Input form of a routable agent. */
export type RoutingAgentInput = z.input<typeof RoutingAgentSchema>;

/**
 * Validates an agent (INVALID_INPUT on bad input).
 *
 * @example
 * const agent = defineRoutingAgent({ id: "minji", presence: "online", capacity: { "*": 10 } });
 */
export function defineRoutingAgent(input: RoutingAgentInput): RoutingAgent {
  return parseInput(RoutingAgentSchema, input, "agent");
}

/** Open tickets per agent id per channel, e.g. `{ minji: { webchat: 3 } }`. */
export type AgentLoad = Readonly<Record<string, Readonly<Record<string, number>> | undefined>>;
