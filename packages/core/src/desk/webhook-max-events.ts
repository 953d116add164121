/** The cap on the events one webhook body may carry: its default and the check of a given one. */
import { StoredeskError } from "../errors.js";

/**
 * Most events `desk.webhook` takes from one request body unless its `maxEvents` option says
 * otherwise: far above what a provider batches into one delivery, low enough that one hostile
 * body cannot hold the desk for long (its events are ingested one transaction per 100).
 */
export const DEFAULT_WEBHOOK_MAX_EVENTS = 1_000;

/**
 * `maxEvents` checked: a positive integer (INVALID_INPUT at `path` otherwise), or the default.
 *
 * @example
 * const maxEvents = webhookMaxEvents(options.webhook?.maxEvents, ["webhook", "maxEvents"]);
 */
export function webhookMaxEvents(value: number | undefined, path: string[]): number {
  if (value === undefined) return DEFAULT_WEBHOOK_MAX_EVENTS;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new StoredeskError({ code: "INVALID_INPUT", message: `${path.join(".")} must be a positive integer`, path });
  return value;
}
