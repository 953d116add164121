/**
 * The built-in auto-close as a plugin: a ticket solved and not answered closes after a while;
 * once closed, none of its timers keeps running.
 */
import { closingEffects } from "../../../domain/closing-effects.js";
import type { DeskPlugin } from "../../../ports/desk-plugin.js";
import { autoCloseJob } from "./auto-close-job.js";

/** Job type that closes a solved ticket nobody answered. */
export const AUTO_CLOSE_JOB = "ticket.auto_close";

/**
 * The built-in auto-close plugin (`createDesk({ autoCloseAfterHours })`; off with
 * `builtins: { autoClose: false }`).
 *
 * @example
 * const plugin = autoClosePlugin({ afterMs: 96 * 3_600_000 });
 */
export function autoClosePlugin(options: { afterMs: number }): DeskPlugin<"auto-close"> {
  return {
    specVersion: 1,
    id: "auto-close",
    hooks: {
      statusChanged: ({ before, ticket, now }) => {
        if (ticket.status === "solved" && before.status !== "solved") {
          const runAt = new Date(now.getTime() + options.afterMs);
          return {
            effects: [
              {
                type: "schedule",
                job: { key: `autoclose:${ticket.id}`, type: AUTO_CLOSE_JOB, ticketId: ticket.id, runAt, payload: {} },
              },
            ],
          };
        }
        if (ticket.status === "closed" && before.status !== "closed") return { effects: closingEffects(ticket.id) };
        return undefined;
      },
    },
    jobs: { [AUTO_CLOSE_JOB]: ({ job, now, desk }) => autoCloseJob(desk, job, now, options.afterMs) },
  };
}
