/**
 * `desk.reports.*`: the report over the desk's whole history. A store that can aggregate in its
 * own engine declares it with a `reports` member ({@link ReportSource}: PostgreSQL does it in SQL);
 * any other store falls back to loading the audit logs and the pure {@link computeReport}.
 */
import type { TicketEvent } from "../domain/event.js";
import { defineDeskPlugin, type DeskPlugin } from "../ports/desk-plugin.js";
import type { Store } from "../ports/store.js";
import { computeReport, type Report } from "./compute-report.js";
import { reportToCsv, reportToJson } from "./report-export.js";
import type { ReportOptionsInput } from "./report-options.js";
import { experimentReport, type ExperimentReport } from "./experiment-report.js";
import {
  TemplateExperimentSchema,
  assignVariant,
  defineTemplateExperiment,
  type TemplateExperiment,
  type TemplateExperimentInput,
} from "./template-experiment.js";
import { StoredeskError } from "../errors.js";
import type { PluginRecords } from "../ports/desk-plugin.js";

/** Record namespace of the experiments (stored as `reports.experiments`). */
const EXPERIMENTS = "experiments";

/**
 * The optional store capability: the same report as {@link computeReport} over every ticket of
 * the store, computed where the data is. Results must equal `computeReport` over the store's
 * events (the PostgreSQL package's conformance checks that).
 */
export interface ReportSource {
  computeReport(options?: ReportOptionsInput): Promise<Report>;
  /** Optional: a template experiment's results as of `now`, equal to core's `experimentReport`. */
  experimentReport?(experiment: TemplateExperiment, now: Date): Promise<ExperimentReport>;
}

/** Options of {@link reportsPlugin}. */
export interface ReportsPluginOptions {
  /** Default zone of hour-of-day, weekday and backlog days when a query names none (the shop's). Default `Asia/Seoul`. */
  timeZone?: string;
}

/** What the plugin puts under `desk.reports`. */
export interface ReportsMethods {
  /** The report over the desk's store (in SQL when the store can). */
  compute(options?: ReportOptionsInput): Promise<Report>;
  /** The report as CSV (`section,key,value`). */
  csv(options?: ReportOptionsInput): Promise<string>;
  /** The report as JSON. */
  json(options?: ReportOptionsInput): Promise<string>;
  /** Where the figures come from: `store` (the store aggregates) or `memory` (events loaded). */
  readonly source: "store" | "memory";
  /** A/B tests of reply templates, stored as plugin records (editable at run time). */
  readonly experiments: ExperimentMethods;
}

/** `desk.reports.experiments.*`. */
export interface ExperimentMethods {
  /** Creates or replaces an experiment (validated; `INVALID_INPUT` on bad input). */
  save(input: TemplateExperimentInput): Promise<TemplateExperiment>;
  /** The experiment, or null. */
  get(id: string): Promise<TemplateExperiment | null>;
  /** Every stored experiment. */
  list(): Promise<TemplateExperiment[]>;
  /** Stops assigning variants (`active: false`); results stay readable. NOT_FOUND when absent. */
  stop(id: string): Promise<TemplateExperiment>;
  /** Deletes the experiment; true when it was there. */
  remove(id: string): Promise<boolean>;
  /** Counts, rates, intervals, tests and the stop rule's decision, as of the desk's clock. */
  results(id: string): Promise<ExperimentReport>;
}

async function storedExperiments(records: PluginRecords): Promise<TemplateExperiment[]> {
  const rows = await records.list(EXPERIMENTS);
  // Stored values were validated on save; parse again so an old record gets today's defaults.
  return rows.flatMap((r) => {
    const parsed = TemplateExperimentSchema.safeParse(r.value);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * The store's report capability, or null when it has none.
 *
 * @example
 * storeReports(postgresStore({ pglite }))?.computeReport({ timeZone: "Asia/Seoul" });
 */
export function storeReports(store: Store): ReportSource | null {
  const reports = (store as Store & { reports?: Partial<ReportSource> }).reports;
  return reports && typeof reports.computeReport === "function" ? (reports as ReportSource) : null;
}

/**
 * The reports plugin (`desk.reports.compute(query)`).
 *
 * @example
 * const desk = createDesk({ store, plugins: [reportsPlugin({ timeZone: "Asia/Seoul" })] });
 * const report = await desk.reports.compute({ period: { from: new Date("2026-11-01T00:00:00+09:00") } });
 */
export function reportsPlugin(options: ReportsPluginOptions = {}): DeskPlugin<"reports", ReportsMethods> {
  return defineDeskPlugin({
    specVersion: 1,
    id: "reports",
    hooks: {
      // The one place a registered template is picked for an outbound message: an active
      // experiment on it assigns the ticket's variant and records it in the audit log.
      async chooseTemplate({ ticket, templateId, records }) {
        const experiment = (await storedExperiments(records)).find((e) => e.active && e.template === templateId);
        if (!experiment) return;
        const variant = assignVariant(experiment, ticket.id);
        const chosen = experiment.variants.find((v) => v.name === variant)?.templateId ?? experiment.template;
        return {
          templateId: chosen,
          events: [
            {
              type: "experiment.assigned",
              data: { experimentId: experiment.id, template: templateId, variant, templateId: chosen },
            },
          ],
        };
      },
    },
    methods: ({ desk, records }) => {
      const store = desk.store as Store;
      const source = storeReports(store);
      const withZone = (o: ReportOptionsInput = {}): ReportOptionsInput => ({
        ...o,
        timeZone: o.timeZone ?? options.timeZone ?? "Asia/Seoul",
      });
      const compute = async (o?: ReportOptionsInput): Promise<Report> => {
        if (source) return source.computeReport(withZone(o));
        const tickets = await store.listTickets({});
        const history: TicketEvent[] = [];
        for (const t of tickets) history.push(...(await store.listEvents(t.id)));
        return computeReport(history, withZone(o));
      };
      const get = async (id: string): Promise<TemplateExperiment | null> => {
        const r = await records.get(EXPERIMENTS, id);
        return r ? TemplateExperimentSchema.parse(r.value) : null;
      };
      const mustGet = async (id: string): Promise<TemplateExperiment> => {
        const e = await get(id);
        if (!e) throw new StoredeskError({ code: "NOT_FOUND", message: `Experiment ${id} not found`, path: ["id"] });
        return e;
      };
      const save = async (input: TemplateExperimentInput): Promise<TemplateExperiment> => {
        const e = defineTemplateExperiment(input);
        await records.put({ namespace: EXPERIMENTS, key: e.id, value: e });
        return e;
      };
      const experiments: ExperimentMethods = {
        save,
        get,
        list: () => storedExperiments(records),
        stop: async (id) => save({ ...(await mustGet(id)), active: false }),
        remove: (id) => records.delete(EXPERIMENTS, id),
        results: async (id) => {
          const e = await mustGet(id);
          const now = desk.clock.now();
          if (source?.experimentReport) return source.experimentReport(e, now);
          const tickets = await store.listTickets({});
          const history: TicketEvent[] = [];
          for (const t of tickets) history.push(...(await store.listEvents(t.id)));
          return experimentReport(e, history, now);
        },
      };
      return {
        experiments,
        compute,
        csv: async (o) => reportToCsv(await compute(o)),
        json: async (o) => reportToJson(await compute(o)),
        source: source ? "store" : "memory",
      };
    },
  });
}
