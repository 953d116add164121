/**
 * A desk process for the connection-kill test: ingests webchat messages through postgresStore in a
 * loop (4 at a time) and prints one JSON line per second ({ ok, failed }). The test kills this
 * process's backends meanwhile; a connection loss must never end the process. Stops on SIGTERM.
 * Only a pool 'error' listener is set up, as the docs tell users (the per-client gap is the store's).
 *
 *   DATABASE_URL=… SCHEMA=… APP_NAME=… node --conditions=storedesk-source --import tsx ingest-under-kills.child.ts
 */
import pg from "pg";
import { createDesk } from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { postgresStore } from "../src/index.js";

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  application_name: process.env.APP_NAME,
  max: 4,
});
pool.on("error", () => undefined);
const store = postgresStore({ pool }, { schema: process.env.SCHEMA ?? "storedesk" });
const desk = createDesk({ store, channels: [memoryChannel({ id: "webchat" })], autoAcknowledge: false });
desk.on("error", () => undefined);

let ok = 0;
let failed = 0;
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});
const report = setInterval(() => process.stdout.write(`${JSON.stringify({ ok, failed })}\n`), 1000);

let n = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (!stopping) {
      const i = n++;
      try {
        await desk.ingest({
          type: "message",
          channel: "webchat",
          externalId: `kill-${process.pid}-${i}`,
          occurredAt: new Date(),
          from: { identities: [{ kind: "webchat", value: `visitor-${i % 40}` }] },
          text: "배송 언제 와요?",
        });
        ok++;
      } catch {
        failed++; // the delivery would be redelivered by the provider; what matters is the process lives
      }
    }
  }),
);
clearInterval(report);
process.stdout.write(`${JSON.stringify({ ok, failed, done: true })}\n`);
await pool.end();
