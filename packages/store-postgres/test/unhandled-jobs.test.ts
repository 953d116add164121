/**
 * A job whose plugin is missing on the instance that claims it (removed between deploys, or a
 * rolling deploy not finished) on PostgreSQL (PGlite, and the server when DATABASE_URL is set),
 * as on the memory store: kept and put off, reported each time, run once the plugin is back.
 */
import { expect } from "vitest";
import { createDesk, defineDeskPlugin, StoredeskError, UNHANDLED_JOB_RETRY_MS } from "@storedesk/core";
import { runPluginTest } from "@storedesk/core/testing";
import { pluginTestStores } from "./helpers.js";

const recheckedTickets: string[] = [];
const vip = defineDeskPlugin({
  specVersion: 1,
  id: "vip",
  jobs: { "vip.recheck": async ({ job }) => void recheckedTickets.push(job.ticketId!) },
});

const stores = pluginTestStores();

runPluginTest(
  "a job whose plugin is gone waits, reported each time, and runs with all its attempts once the plugin is back",
  { plugins: [vip], stores, options: { autoAcknowledge: false } },
  async (kit) => {
    recheckedTickets.length = 0;
    const { ticket } = await kit.message("VIP 등급 확인 부탁드려요");
    const start = kit.clock.now();
    await kit.store.scheduleJob({
      id: "job_vip_1",
      key: `vip:${ticket!.id}`,
      type: "vip.recheck",
      ticketId: ticket!.id,
      runAt: start,
      payload: {},
      attempts: 0,
      lockedBy: null,
      lockedUntil: null,
    });
    // The deploy without the plugin, on the same store.
    const without = createDesk({ store: kit.store, clock: kit.clock, channels: [], ownsStore: false });
    const errors: unknown[] = [];
    without.on("error", ({ error }) => errors.push(error));
    try {
      for (let hour = 0; hour < 3; hour++) {
        kit.clock.set(new Date(start.getTime() + hour * UNHANDLED_JOB_RETRY_MS));
        expect(await without.runDue(), `hour ${hour}`).toEqual({ ran: 0, failed: 0, deferred: 1 });
        // Once put off, the same call's next claim, and another one now, leave it alone.
        expect(await without.runDue()).toEqual({ ran: 0, failed: 0, deferred: 0 });
      }
    } finally {
      await without.close();
    }
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => StoredeskError.is(e, "UNSUPPORTED"))).toBe(true);
    const vipJobs = async () => (await kit.store.listJobs()).filter((j) => j.type === "vip.recheck");
    expect(await vipJobs()).toMatchObject([
      { id: "job_vip_1", attempts: 0, lockedBy: null, runAt: new Date(start.getTime() + 3 * UNHANDLED_JOB_RETRY_MS) },
    ]);
    expect(recheckedTickets).toEqual([]);

    // The plugin is back: the job runs once, and is done.
    kit.clock.set(new Date(start.getTime() + 3 * UNHANDLED_JOB_RETRY_MS));
    expect(await kit.desk.runDue()).toEqual({ ran: 1, failed: 0, deferred: 0 });
    expect(recheckedTickets).toEqual([ticket!.id]);
    expect(await vipJobs()).toEqual([]);
  },
);
