/** Which plugins a desk runs: the built-in ones its options ask for, then the caller's. */
import { teamCalendars } from "../../calendar/index.js";
import { StoredeskError } from "../../errors.js";
import type { AnyDeskPlugin } from "../../ports/desk-plugin.js";
import type { DeskContext } from "../context.js";
import type { JobHandler } from "../jobs/job-handler.js";
import { autoAcknowledgePlugin } from "./auto-acknowledge/auto-acknowledge-plugin.js";
import { autoClosePlugin } from "./auto-close/auto-close-plugin.js";
import { commerceContextPlugin } from "./commerce-context/commerce-context-plugin.js";
import { complaintPlugin } from "./complaint/complaint-plugin.js";
import { shouldAcknowledge } from "../ingest/acknowledge.js";
import { hooksByStage } from "./run-hooks.js";
import { slaPlugin } from "./sla/sla-plugin.js";

const PLUGIN_ID = /^[a-z][a-z0-9-]{0,49}$/;

/**
 * The built-in plugins the options ask for, in the order their hooks run: complaint (it
 * changes the category the SLA follows), auto-close, SLA, auto-acknowledgement, commerce context.
 *
 * @example
 * const plugins = builtinPlugins(ctx);
 */
export function builtinPlugins(ctx: DeskContext): AnyDeskPlugin[] {
  const { options, settings } = ctx;
  const on = options.builtins ?? {};
  const plugins: AnyDeskPlugin[] = [];
  if (on.complaint !== false)
    plugins.push(
      complaintPlugin({
        updateIntervalMinutes: settings.complaintIntervalMinutes,
        responsibleTeam: ctx.actionPlans.get("complaint")?.responsibleTeam ?? null,
        updateTemplate: ctx.templates.get("complaint_update")!,
      }),
    );
  if (on.autoClose !== false)
    plugins.push(autoClosePlugin({ afterMs: (options.autoCloseAfterHours ?? 96) * 3_600_000 }));
  if (on.sla !== false)
    plugins.push(
      slaPlugin({
        policies: settings.slaPolicies,
        calendar: settings.calendar,
        teamCalendars: teamCalendars(ctx.actionPlans.values()),
      }),
    );
  if (on.autoAcknowledge !== false && options.autoAcknowledge !== false)
    plugins.push(
      autoAcknowledgePlugin({
        // Decided once here (channels are fixed at creation): the acknowledgement needs a channel that can send.
        acknowledges: (ticket) => shouldAcknowledge(ctx, ticket),
      }),
    );
  if (on.commerceContext !== false && options.commerce)
    plugins.push(
      commerceContextPlugin(options.commerce, {
        highValueTotalSpent: options.commerceContext?.highValueTotalSpent ?? null,
      }),
    );
  return plugins;
}

/**
 * Registers the desk's plugins on the context (a caller's plugin with a built-in's id replaces
 * it) and returns the job handlers by type.
 *
 * @example
 * const jobs = registerPlugins(ctx, options.plugins ?? []);
 */
export function registerPlugins(ctx: DeskContext, extra: readonly AnyDeskPlugin[]): Map<string, JobHandler> {
  const ids = new Set<string>();
  for (const [i, plugin] of extra.entries()) {
    if (plugin.specVersion !== 1) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Plugin ${plugin.id} is written for contract version ${String(plugin.specVersion)}; this desk runs 1`,
        path: ["plugins", i],
      });
    }
    if (!PLUGIN_ID.test(plugin.id)) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Plugin id "${plugin.id}": lowercase letters, digits and -`,
        path: ["plugins", i, "id"],
      });
    }
    if (ids.has(plugin.id))
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Two plugins share the id "${plugin.id}"`,
        path: ["plugins", i, "id"],
      });
    ids.add(plugin.id);
  }
  const plugins = [...builtinPlugins(ctx).filter((p) => !ids.has(p.id)), ...extra];
  ctx.plugins = plugins;
  ctx.hooks = hooksByStage(plugins);
  const jobs = new Map<string, JobHandler>();
  for (const plugin of plugins) {
    for (const [type, handler] of Object.entries(plugin.jobs ?? {})) {
      if (jobs.has(type))
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `Two plugins handle the job type "${type}"`,
          path: ["plugins"],
        });
      jobs.set(type, (c, job, now) => handler({ job, now, desk: c.pluginDesk!, records: c.recordsOf(plugin.id) }));
    }
  }
  return jobs;
}
