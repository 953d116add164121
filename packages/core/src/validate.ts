import type { z } from "zod";
import { StoredeskError } from "./errors.js";

/**
 * Parses outside input with a zod schema. A failure becomes one INVALID_INPUT
 * error naming the first offending field, with the full zod issue list as `cause`.
 *
 * @example
 * const event = parseInput(InboundEventSchema, body, "inbound event");
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "input"): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== "symbol");
  const where = path.length > 0 ? ` at ${path.join(".")}` : "";
  throw new StoredeskError({
    code: "INVALID_INPUT",
    message: `Invalid ${what}${where}: ${issue?.message ?? "malformed"}`,
    path,
    cause: result.error,
  });
}
