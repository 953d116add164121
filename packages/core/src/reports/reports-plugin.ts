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

/**
 * The optional store capability: the same report as {@link computeReport} over every ticket of
 * the store, computed where the data is. Results must equal `computeReport` over the store's
 * events (the PostgreSQL package's conformance checks that).
 */
export interface ReportSource {
  computeReport(options?: ReportOptionsInput): Promise<Report>;
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
    methods: ({ desk }) => {
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
      return {
        compute,
        csv: async (o) => reportToCsv(await compute(o)),
        json: async (o) => reportToJson(await compute(o)),
        source: source ? "store" : "memory",
      };
    },
  });
}
